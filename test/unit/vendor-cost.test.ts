import { describe, expect, it } from 'vitest';
import { mergeCostRules } from '../../src/common/cost.ts';
import { estimateByVendor } from '../support/cost.ts';
import { legalEntityInns } from '../support/inns.ts';

const INN = '6663003127';

describe('the cost estimate per vendor, each with its own identifiers per call', () => {
  it('T-Bank: tbankCheck is one excerpt call per company (unbatched), next to the Kontur.Focus lookup', () => {
    expect(estimateByVendor(`{ company(inn: "${INN}") { tbankCheck { ogrn } } }`)).toEqual({
      total: 2,
      byVendor: { 'Kontur.Focus': 1, 'T-Bank': 1 },
    });
    // 150 companies: Kontur.Focus batches them into 2 req calls, T-Bank needs 150 excerpts.
    const inns = legalEntityInns(150, 90);
    expect(estimateByVendor(`query ($inns: [String!]!) { companies(inns: $inns) { shortName tbankCheck { ogrn } } }`, { inns })).toEqual({
      total: 152,
      byVendor: { 'Kontur.Focus': 2, 'T-Bank': 150 },
    });
    // Three aliased lookups share one req call, but not one excerpt.
    const aliases = legalEntityInns(3, 91)
      .map((inn, i) => `c${i}: company(inn: "${inn}") { tbankCheck { ogrn } }`)
      .join(' ');
    expect(estimateByVendor(`{ ${aliases} }`)).toEqual({ total: 4, byVendor: { 'Kontur.Focus': 1, 'T-Bank': 3 } });
  });

  it('T-Bank: stateContracts costs one call per company and page of 100, two when the window starts after a cursor', () => {
    expect(estimateByVendor(`{ company(inn: "${INN}") { stateContracts(first: 100) { totalCount } } }`)).toEqual({
      total: 2,
      byVendor: { 'Kontur.Focus': 1, 'T-Bank': 1 },
    });
    const inns = legalEntityInns(10, 92);
    expect(
      estimateByVendor(`query ($inns: [String!]!) { companies(inns: $inns) { stateContracts(first: 20, after: "x") { totalCount } } }`, {
        inns,
      }),
    ).toEqual({ total: 21, byVendor: { 'Kontur.Focus': 1, 'T-Bank': 20 } });
  });

  it('both vendors in one selection add up; Kontur.Focus alone is named alone', () => {
    expect(
      estimateByVendor(`{ company(inn: "${INN}") { analytics { revenue } tbankCheck { ogrn } stateContracts { totalCount } } }`),
    ).toEqual({ total: 4, byVendor: { 'Kontur.Focus': 2, 'T-Bank': 2 } });
    expect(estimateByVendor(`{ company(inn: "${INN}") { analytics { revenue } } }`)).toEqual({ total: 2, byVendor: { 'Kontur.Focus': 2 } });
  });

  it('refuses rules whose calls belong to no vendor', () => {
    expect(() => mergeCostRules([{ companyFields: { foo: ['nope'] } }])).toThrow('The method nope is costed but no vendor declares it');
    expect(() => mergeCostRules([{ methods: { foo: {} } }])).toThrow('name no vendor');
    expect(() =>
      mergeCostRules([
        { vendor: 'A', methods: { foo: {} } },
        { vendor: 'B', methods: { foo: { identifiersPerCall: 1 } } },
      ]),
    ).toThrow('declared by two modules');
    expect(mergeCostRules([{ vendor: 'A', methods: { foo: {} } }]).methods.foo).toEqual({ vendor: 'A', identifiersPerCall: 100 });
  });
});
