import { describe, expect, it } from 'vitest';
import type { GraphQLContext } from '../../src/common/context.ts';
import { companyModule } from '../../src/modules/company/module.ts';
import type { AppConfig } from '../../src/modules/contract.ts';

/** The company module's choice of requisites source, from the parts of a context it reads. */
function chosen(focusConfigured: boolean, tbank: boolean): string {
  const context = {
    focus: { configured: focusConfigured, requisites: { vendor: 'kontur-focus' } },
    tbank: tbank ? { requisites: { vendor: 'tbank' } } : undefined,
  } as unknown as GraphQLContext;
  const part = companyModule.context!({} as never, { context, config: {} as AppConfig });
  return (part.requisites as unknown as { vendor: string }).vendor;
}

describe('the requisites source is chosen explicitly', () => {
  it('Kontur.Focus when configured; else T-Bank when configured; else Kontur.Focus (answering "not configured")', () => {
    expect(chosen(true, true)).toBe('kontur-focus');
    expect(chosen(true, false)).toBe('kontur-focus');
    expect(chosen(false, true)).toBe('tbank');
    expect(chosen(false, false)).toBe('kontur-focus');
  });
});
