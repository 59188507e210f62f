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

describe("risk: T-Bank's tax debt and its own risk level", () => {
  const env = withTbankSubgraph({ tbank: { rateLimit: null }, env: { TBANK_RATE_LIMIT: '1000/min' } });

  type Factor = { code: string; severity: string; source: string; title: string; details: Array<{ name: string; value: string }> };
  const profile = async (inn: string) => {
    const result = await env.subgraph.gql(
      `{ company(inn: "${inn}") { risk { level score requiresReview factors { code severity source title details { name value } } } } }`,
    );
    expect(result.errors, inn).toBeUndefined();
    return result.data.company.risk as { level: string; score: number; requiresReview: boolean; factors: Factor[] };
  };
  const tbankFactors = (factors: Factor[]) => factors.filter((factor) => factor.source === 'TBANK');

  it('a tax debt of half the revenue and T-Bank’s HIGH risk level: both red, with what triggered them', async () => {
    const risk = await profile('7740000083');
    expect(tbankFactors(risk.factors)).toEqual([
      {
        code: 'TBANK_NEGATIVE_LISTS',
        severity: 'RED',
        source: 'TBANK',
        title: 'Т-Банк: компания в негативных списках',
        details: [{ name: 'lists', value: 'Задолженность по налогам свыше 1000 рублей' }],
      },
      {
        code: 'TBANK_TAX_DEBT',
        severity: 'RED',
        source: 'TBANK',
        title: 'Т-Банк: налоговая задолженность',
        details: [
          { name: 'amount', value: '488 037 ₽' },
          { name: 'date', value: '2025-01-11' },
          { name: 'tbankColor', value: 'красный' },
          // T-Bank's own latest revenue (2024).
          { name: 'revenue', value: '926 000 ₽' },
          { name: 'percentOfRevenue', value: '52.7' },
        ],
      },
      {
        code: 'TBANK_RISK_LEVEL',
        severity: 'RED',
        source: 'TBANK',
        title: 'Т-Банк: высокий уровень риска',
        details: [{ name: 'tbankRiskLevel', value: '3' }],
      },
    ]);
    // 50 (negative lists) + 20 + 20 by the default weights.
    expect([risk.level, risk.score, risk.requiresReview]).toEqual(['CRITICAL', 90, true]);
  });

  it('a small tax debt against the revenue and T-Bank’s MEDIUM risk level: both yellow', async () => {
    const risk = await profile('7740001023');
    expect(tbankFactors(risk.factors).map((factor) => [factor.code, factor.severity])).toEqual([
      ['TBANK_NEGATIVE_LISTS', 'RED'],
      ['TBANK_TAX_DEBT', 'YELLOW'],
      ['TBANK_RISK_LEVEL', 'YELLOW'],
    ]);
    expect(risk.factors.find((factor) => factor.code === 'TBANK_TAX_DEBT')!.details).toEqual([
      { name: 'amount', value: '1 863 ₽' },
      { name: 'date', value: '2025-03-22' },
      { name: 'tbankColor', value: 'жёлтый' },
      { name: 'revenue', value: '1 067 031 000 ₽' },
      { name: 'percentOfRevenue', value: '0.0' },
    ]);
    expect(risk.factors.find((factor) => factor.code === 'TBANK_RISK_LEVEL')).toMatchObject({ title: 'Т-Банк: средний уровень риска' });
  });

  it('a sole proprietor has no revenue to weigh the debt against: red', async () => {
    const risk = await profile('504000004165');
    expect(risk.factors.find((factor) => factor.code === 'TBANK_TAX_DEBT')).toEqual({
      code: 'TBANK_TAX_DEBT',
      severity: 'RED',
      source: 'TBANK',
      title: 'Т-Банк: налоговая задолженность',
      details: [
        { name: 'amount', value: '1 748 848 ₽' },
        { name: 'date', value: '2025-01-12' },
        { name: 'tbankColor', value: 'красный' },
      ],
    });
  });

  it('clean companies (no tax debt, T-Bank’s risk level LOW) get neither factor', async () => {
    for (const inn of ['7740000005', '7740000020']) {
      const check = await env.subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { riskLevel taxDebt { amount } } } }`);
      expect(check.data.company.tbankCheck, inn).toEqual({ riskLevel: 'LOW', taxDebt: null });
      const risk = await profile(inn);
      expect(tbankFactors(risk.factors), inn).toEqual([]);
      expect([risk.level, risk.score, risk.requiresReview], inn).toEqual(['LOW', 0, false]);
    }
  });

  it('only when T-Bank is a source: a list profiles from Kontur.Focus alone, without them', async () => {
    const list = await env.subgraph.gql(`{ companies(inns: ["7740000083"]) { risk { sources factors { code } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.companies[0].risk.sources).toEqual(['STATUS', 'ANALYTICS', 'EXPRESS_REPORT']);
    const codes = list.data.companies[0].risk.factors.map((factor: { code: string }) => factor.code);
    expect(codes).not.toContain('TBANK_TAX_DEBT');
    expect(codes).not.toContain('TBANK_RISK_LEVEL');
  });

  it('the policy in force lists them with their default weights, and the tax-debt threshold', async () => {
    const result = await env.subgraph.gql(
      '{ riskPolicy { factors { code enabled weight critical } thresholds { taxDebt { minAmount percentOfRevenue redPercentOfRevenue } } } }',
    );
    expect(result.errors).toBeUndefined();
    const { factors, thresholds } = result.data.riskPolicy;
    expect(
      factors.filter((factor: { code: string }) => factor.code.startsWith('TBANK_TAX_DEBT') || factor.code === 'TBANK_RISK_LEVEL'),
    ).toEqual([
      { code: 'TBANK_TAX_DEBT', enabled: true, weight: 20, critical: false },
      { code: 'TBANK_RISK_LEVEL', enabled: true, weight: 20, critical: false },
    ]);
    expect(thresholds.taxDebt).toEqual({ minAmount: 1000, percentOfRevenue: 0, redPercentOfRevenue: 1 });
  });
});
