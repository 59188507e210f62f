import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/app/registry.ts';
import { coreEnv } from '../../src/config/core.ts';
import { focusModule } from '../../src/modules/kontur-focus/module.ts';
import { fixturesDir, projectRoot } from '../../src/paths.ts';

const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
const packageJson = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

interface Heading {
  level: number;
  text: string;
  slug: string;
}

/** The README's headings outside code blocks, each with GitHub's anchor (a repeated one gets -1, -2 …). */
function headings(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const found: Heading[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6}) (.+)$/.exec(line);
    if (!match) continue;
    const text = match[2]!.trim();
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const repeats = seen.get(base) ?? 0;
    seen.set(base, repeats + 1);
    found.push({ level: match[1]!.length, text, slug: repeats === 0 ? base : `${base}-${repeats}` });
  }
  return found;
}

/** The text of a `## ` section, up to the next `## ` heading. */
function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  expect(start, `README has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
}

describe('the README', () => {
  it('opens with a table of contents linking every ## and ### section, in order', () => {
    const expected = headings(readme)
      .filter((heading) => (heading.level === 2 || heading.level === 3) && heading.text !== 'Contents')
      .map((heading) => `${heading.level === 3 ? '  ' : ''}- [${heading.text}](#${heading.slug})`);
    const toc = section('Contents')
      .split('\n')
      .filter((line) => /^\s*- \[/.test(line));
    // A failure shows the lines to paste.
    expect(toc).toEqual(expected);
  });

  it('links only to anchors it has', () => {
    const anchors = new Set(headings(readme).map((heading) => heading.slug));
    const links = [...readme.matchAll(/\]\(#([^)]+)\)/g)].map((match) => match[1]!);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  it('names the three vendors, the CRM and the website routes before the contents', () => {
    const intro = readme.slice(0, readme.indexOf('## Contents'));
    for (const name of ['Kontur.Focus', 'T-Bank', 'Jump.Finance', 'Bitrix24', '/autofill/v1/']) expect(intro).toContain(name);
  });

  it('quick start: the Node version package.json asks for, npm start, npm run dev and how to pick a port', () => {
    const quickStart = section('Quick start');
    expect(packageJson.engines.node).toBe('>=20.19');
    expect(quickStart).toContain('Node.js 20.19 or newer');
    expect(packageJson.scripts.dev).toBe('tsx src/main.ts');
    expect(quickStart).toMatch(/^npm install && npm start /m);
    expect(quickStart).toMatch(/^npm install && npm test /m);
    expect(quickStart).toMatch(/^npm start /m);
    expect(quickStart).toMatch(/^npm run dev /m);
    expect(quickStart).toMatch(/^PORT=\d+ npm start /m);
    expect(quickStart).toContain('Pick another: PORT=4001 npm start');
  });

  it('documents every variable the subgraph reads exactly once, in the Configuration tables', () => {
    const declared = [...Object.keys(coreEnv), ...MODULES.flatMap((module) => Object.keys(module.env ?? {}))];
    const documented = section('Configuration')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split(' | ')[0]!.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!));
    expect(declared.filter((name) => !documented.includes(name))).toEqual([]);
    expect(documented.filter((name, index) => documented.indexOf(name) !== index)).toEqual([]);
    // Besides ours, only the OpenTelemetry SDK's standard variables (src/observability/tracing.ts hands them over).
    expect(documented.filter((name) => !declared.includes(name) && !name.startsWith('OTEL_'))).toEqual([]);
  });

  it('the sandbox table lists the same real captured INNs as the start-up banner, each a fixture', () => {
    const banner = (focusModule.vendor?.banner ?? []).join(' ');
    const inBanner = [...banner.slice(0, banner.indexOf(';')).matchAll(/\b\d{10}(?:\d{2})?\b/g)].map((match) => match[0]);
    const table = section('Quick start')
      .split('\n')
      .filter((line) => /^\| `\d/.test(line) && /\breal\b/.test(line.split(' | ')[1] ?? ''));
    const inReadme = table.map((line) => /^\| `(\d+)`/.exec(line)![1]!);
    expect(inReadme.length).toBeGreaterThan(0);
    expect(inReadme).toEqual(inBanner);
    for (const inn of inReadme) expect(fs.existsSync(path.join(fixturesDir, 'kontur-focus', `${inn}.req.json`)), inn).toBe(true);
  });
});
