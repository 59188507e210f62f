import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { withTbankSubgraph } from '../support/tbank.ts';

describe('risk with T-Bank configured', () => {
  const env = withTbankSubgraph();

  it("T-Bank's frozen-account decisions become a TBANK factor next to Kontur's blocked-accounts marker", async () => {
    const result = await env.subgraph.gql(
      `{ company(inn: "366512608416") { tbankCheck { __typename } risk { level requiresReview factors { code severity source details { name value } } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const factors = result.data.company.risk.factors as Array<{
      code: string;
      severity: string;
      source: string;
      details: Array<{ name: string; value: string }>;
    }>;
    const frozen = factors.find((factor) => factor.code === 'TBANK_FROZEN_ACCOUNTS');
    expect(frozen).toMatchObject({ severity: 'RED', source: 'TBANK' });
    expect(Number(frozen!.details.find((detail) => detail.name === 'decisions')!.value)).toBeGreaterThanOrEqual(1);
    expect(factors.find((factor) => factor.code === 'BLOCKED_ACCOUNTS')).toMatchObject({ severity: 'RED', source: 'ANALYTICS' });
    expect(result.data.company.risk).toMatchObject({ level: 'CRITICAL', requiresReview: true });
  });

  it('a list profiles from Kontur.Focus alone; a single company adds T-Bank', async () => {
    const single = await env.subgraph.gql(`{ company(inn: "6663003127") { risk { sources unavailableSources } } }`);
    expect(single.data.company.risk).toEqual({ sources: ['STATUS', 'ANALYTICS', 'EXPRESS_REPORT', 'TBANK'], unavailableSources: [] });
    const list = await env.subgraph.gql(`{ companies(inns: ["6663003127"]) { risk { sources } } }`);
    expect(list.data.companies[0].risk).toEqual({ sources: ['STATUS', 'ANALYTICS', 'EXPRESS_REPORT'] });
  });

  it('when T-Bank fails the profile says so and asks for review instead of looking clean', async () => {
    env.tbank.injectFault({ fault: { kind: 'status', status: 500 } });
    try {
      const result = await env.subgraph.gql(`{ company(inn: "7700000009") { risk { level requiresReview sources unavailableSources } } }`);
      expect(result.data.company.risk).toMatchObject({ requiresReview: true, unavailableSources: ['TBANK'] });
    } finally {
      env.tbank.clearFaults();
    }
  });

  it('another company’s excerpt never feeds the profile: T-Bank counts as unavailable, and nothing of it is cached', async () => {
    const [inn] = legalEntityInns(1, 67);
    const query = `{ company(inn: "${inn}") { risk { requiresReview sources unavailableSources factors { code source } } } }`;
    // 7700000376 is bankrupt with frozen accounts: read as this company's, it would add TBANK factors.
    env.tbank.injectFault({ fault: { kind: 'wrongCompany', inn: '7700000376' }, whenIdsInclude: [inn!] });
    try {
      const result = await env.subgraph.gql(query);
      // Consulted (sources) but failed (unavailableSources): the profile asks for review instead of looking clean.
      expect(result.data.company.risk).toMatchObject({
        requiresReview: true,
        sources: ['STATUS', 'ANALYTICS', 'EXPRESS_REPORT', 'TBANK'],
        unavailableSources: ['TBANK'],
      });
      expect(result.data.company.risk.factors.filter((factor: { source: string }) => factor.source === 'TBANK')).toEqual([]);
    } finally {
      env.tbank.clearFaults();
    }
    const before = env.tbank.calls.length;
    const fresh = await env.subgraph.gql(query);
    expect(fresh.data.company.risk).toMatchObject({ sources: ['STATUS', 'ANALYTICS', 'EXPRESS_REPORT', 'TBANK'], unavailableSources: [] });
    expect(env.tbank.calls.length).toBe(before + 1);
  });

  it('bulk screening leaves T-Bank out (its quota would cover only the first INNs)', async () => {
    const before = env.tbank.calls.length;
    const result = await env.subgraph.gql(`{ screenCounterparties(inns: ["6663003127", "7736050003"]) { inn riskLevel factorCodes } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.screenCounterparties.map((row: { inn: string }) => row.inn)).toEqual(['6663003127', '7736050003']);
    expect(env.tbank.calls.length - before).toBe(0);
  });
});
