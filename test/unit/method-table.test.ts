import { describe, expect, it } from 'vitest';
import { companyModule } from '../../src/modules/company/module.ts';
import type { FocusBatcher } from '../../src/modules/kontur-focus/batcher.ts';
import { createFocusLoaders, type FocusBatchers } from '../../src/modules/kontur-focus/loaders.ts';
import type { FocusPages } from '../../src/modules/kontur-focus/pages.ts';
import { FOCUS_METHODS, PER_INN_METHODS, companyFieldMethods, pagedCompanyFields } from '../../src/modules/kontur-focus/vendor/methods.ts';
import { COST_RULES, estimate } from '../support/cost.ts';

const INN = '6663003127';
const TTL = { requisitesMs: 60_000, statusMs: 60_000 };

describe('the Kontur.Focus method table drives the cost estimate and refreshCompany', () => {
  it('every Company field a batch row names costs its method in the estimate, once per 100 companies', () => {
    for (const [field, methods] of Object.entries(companyFieldMethods())) {
      expect(COST_RULES.companyFields[field]).toEqual(expect.arrayContaining(methods));
    }
    // analytics is the analytics row's field: req (every lookup) + analytics.
    expect(estimate(`{ company(inn: "${INN}") { analytics { revenue } } }`)).toBe(2);
    // region is named by two rows (req, egrDetails): both count.
    expect(estimate(`{ company(inn: "${INN}") { region } }`)).toBe(2);
    expect(
      estimate(`query ($inns: [String!]!) { companies(inns: $inns) { financials { year } } }`, {
        inns: Array.from({ length: 150 }, () => INN),
      }),
    ).toBe(4);
  });

  it('paged rows cost per company and page', () => {
    expect(pagedCompanyFields().sort()).toEqual(['fsspProceedings', 'purchases']);
    const focusPaged = Object.entries(COST_RULES.pagedFields).filter(([, rule]) => rule.vendor === 'Kontur.Focus');
    expect(focusPaged.map(([field]) => field).sort()).toEqual(pagedCompanyFields().sort());
    expect(estimate(`{ company(inn: "${INN}") { fsspProceedings(first: 1000) { totalCount } } }`)).toBe(2);
  });

  it('refreshCompany refetches, and is costed for, exactly the rows marked perInn', () => {
    const perInn = Object.entries(FOCUS_METHODS)
      .filter(([, row]) => (row as { perInn?: boolean }).perInn === true)
      .map(([name]) => name);
    expect(PER_INN_METHODS).toEqual(perInn);
    expect(perInn).toContain('req');
    // Every per-INN row has its per-request loader (req is read through `requisites`), and nothing else has one.
    const batchers = Object.fromEntries(
      [...perInn, 'reqByOgrn'].map((name) => [name, { getMany: () => Promise.resolve([]) } as unknown as FocusBatcher<'req'>]),
    ) as unknown as FocusBatchers;
    const loaders = createFocusLoaders(true, batchers, {} as FocusPages, { briefReport: () => Promise.resolve([]) }, TTL, Date.now);
    const loaded = perInn.filter((method) => method in loaders);
    expect(loaded).toEqual(perInn.filter((method) => method !== 'req'));
    expect(companyModule.costs?.roots?.refreshCompany?.methods).toEqual(perInn);
    // One refresh: each per-INN method once, and req for the answer.
    expect(estimate(`mutation { refreshCompany(inn: "${INN}") { inn } }`)).toBe(perInn.length + 1);
  });
});
