import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.ts';
import { projectRoot } from '../../src/paths.ts';

describe('the error catalogue', () => {
  it("the README's Errors table lists exactly the codes of src/errors.ts", () => {
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Errors'), readme.indexOf('## ', readme.indexOf('## Errors') + 3));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]).sort();
    expect(documented).toEqual(Object.keys(ERROR_CATALOGUE).sort());
  });

  it("REST statuses follow the fault: the vendor's (502), unavailable for now (503), too slow (504)", () => {
    expect([
      ERROR_CATALOGUE.VENDOR_BAD_RESPONSE.http,
      ERROR_CATALOGUE.VENDOR_UNAVAILABLE.http,
      ERROR_CATALOGUE.VENDOR_TIMEOUT.http,
    ]).toEqual([502, 503, 504]);
  });
});
