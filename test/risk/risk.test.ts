import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRiskPolicy, RiskPolicyError } from '../../src/modules/risk/policy.ts';
import { legalEntityInns, unknownInn } from '../support/inns.ts';
import { startServerProcess } from '../support/processes.ts';
import { TEST_FOCUS_KEY, startEmulator, withSubgraph } from '../support/subgraph.ts';

const RISK = `query ($inn: String!) { company(inn: $inn) { risk {
  level score requiresReview checkedAt
  factors { code severity title source details { name value } }
} } }`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'risk-policy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function policyFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Replaces what the emulator's analytics answers for a company (keeping its identity) and its express report flags. */
async function shape(
  env: ReturnType<typeof withSubgraph>,
  inn: string,
  analytics: Record<string, unknown>,
  summary?: Record<string, boolean>,
) {
  const url = `${env.emulator.url}/req?key=${TEST_FOCUS_KEY}&inn=${inn}`;
  const [record] = (await (await fetch(url)).json()) as Array<Record<string, any>>;
  env.emulator.setRecords('analytics', inn, [{ inn, ogrn: record!.ogrn, focusHref: record!.focusHref, analytics }]);
  if (summary) env.emulator.setRecords('req', inn, [{ ...record, briefReport: { summary } }]);
}

describe('risk profile with the default policy', () => {
  const env = withSubgraph();

  it('a liquidated company is CRITICAL and needs review, with the status that triggered it', async () => {
    const result = await env.subgraph.gql(RISK, { inn: '6600000074' });
    expect(result.errors).toBeUndefined();
    const risk = result.data.company.risk;
    expect(risk).toMatchObject({ level: 'CRITICAL', requiresReview: true });
    expect(risk.factors.find((factor: { code: string }) => factor.code === 'LIQUIDATION')).toEqual({
      code: 'LIQUIDATION',
      severity: 'RED',
      title: 'Компания ликвидирована или исключена из реестра',
      source: 'STATUS',
      details: [
        { name: 'status', value: 'Ликвидация юридического лица' },
        { name: 'date', value: '2015-12-09' },
      ],
    });
  });

  it('a mass-registration address and a disqualified director: CRITICAL, review, with the numbers', async () => {
    const [inn] = legalEntityInns(1, 93) as [string];
    await shape(env, inn, { m5003: true, m5008: true, q7007: 120, q6001: 2025, s6004: 10_000_000 }, { yellowStatements: true });
    const risk = (await env.subgraph.gql(RISK, { inn })).data.company.risk;
    expect(risk).toMatchObject({ level: 'CRITICAL', requiresReview: true, score: 100 });
    const byCode = Object.fromEntries(risk.factors.map((factor: { code: string }) => [factor.code, factor]));
    expect(byCode.MASS_ADDRESS).toMatchObject({
      severity: 'RED',
      source: 'ANALYTICS',
      details: [{ name: 'sameAddressActiveCompanies', value: '120' }],
    });
    expect(byCode.DISQUALIFIED_HEAD).toMatchObject({ severity: 'RED', title: 'Дисквалифицированный руководитель' });
  });

  it('a clean active company with revenue and contracts is LOW, with GREEN factors', async () => {
    const [inn] = legalEntityInns(1, 94) as [string];
    await shape(env, inn, { q6001: 2025, m6002: true, s6004: 50_000_000, q4002: 3, s4002: 1_200_000 }, { greenStatements: true });
    const risk = (await env.subgraph.gql(RISK, { inn })).data.company.risk;
    expect(risk).toMatchObject({ level: 'LOW', requiresReview: false, score: 0 });
    expect(risk.factors.map((factor: { code: string; severity: string }) => `${factor.code}:${factor.severity}`).sort()).toEqual([
      'EXPRESS_REPORT_GREEN:GREEN',
      'FINANCIAL_STATEMENTS_FILED:GREEN',
      'GOVERNMENT_CONTRACTS:GREEN',
    ]);
    const contracts = risk.factors.find((factor: { code: string }) => factor.code === 'GOVERNMENT_CONTRACTS');
    expect(contracts.details).toEqual([
      { name: 'contractsLast12Months', value: '3' },
      { name: 'amountLast12Months', value: '1 200 000 ₽' },
    ]);
  });

  it('enforcement debt is judged against revenue: 2% of revenue is yellow, 20% red', async () => {
    const [small, large] = legalEntityInns(2, 95) as [string, string];
    await shape(env, small, { q6001: 2025, s6004: 10_000_000, s1001: 200_000, q1001: 2 });
    await shape(env, large, { q6001: 2025, s6004: 10_000_000, s1001: 2_000_000, q1001: 9 });
    const yellow = (await env.subgraph.gql(RISK, { inn: small })).data.company.risk.factors.find(
      (f: { code: string }) => f.code === 'ENFORCEMENT_DEBT',
    );
    const red = (await env.subgraph.gql(RISK, { inn: large })).data.company.risk.factors.find(
      (f: { code: string }) => f.code === 'ENFORCEMENT_DEBT',
    );
    expect(yellow).toMatchObject({
      severity: 'YELLOW',
      details: [
        { name: 'amount', value: '200 000 ₽' },
        { name: 'count', value: '2' },
        { name: 'revenue', value: '10 000 000 ₽' },
        { name: 'percentOfRevenue', value: '2.0' },
      ],
    });
    expect(red).toMatchObject({ severity: 'RED' });
  });

  it('riskPolicy shows the defaults in force', async () => {
    const result = await env.subgraph.gql(`{ riskPolicy { source reviewThreshold levels { medium high critical } criticalFactors
      factors { code weight enabled critical } thresholds { enforcementDebt { minAmount percentOfRevenue } sameAddressCompanies } } }`);
    const policy = result.data.riskPolicy;
    expect(policy).toMatchObject({ source: 'defaults', reviewThreshold: 50, levels: { medium: 20, high: 50, critical: 80 } });
    expect(policy.factors.find((factor: { code: string }) => factor.code === 'MASS_ADDRESS')).toEqual({
      code: 'MASS_ADDRESS',
      weight: 40,
      enabled: true,
      critical: true,
    });
    expect(policy.factors.find((factor: { code: string }) => factor.code === 'YOUNG_COMPANY')).toEqual({
      code: 'YOUNG_COMPANY',
      weight: 15,
      enabled: true,
      critical: false,
    });
    expect(policy.thresholds).toEqual({ enforcementDebt: { minAmount: 100_000, percentOfRevenue: 1 }, sameAddressCompanies: 50 });
  });

  it('screenCounterparties over 1000 INNs: 10 req + 10 analytics cold, 0 warm, results in input order', async () => {
    const inns = [...legalEntityInns(999, 96), unknownInn(96)];
    const query = `query ($inns: [String!]!) { screenCounterparties(inns: $inns) { inn found statusCode riskLevel requiresReview factorCodes error company { shortName } } }`;
    env.emulator.resetCalls();
    const cold = await env.subgraph.gql(query, { inns });
    expect(cold.errors).toBeUndefined();
    expect(cold.data.screenCounterparties.map((result: { inn: string }) => result.inn)).toEqual(inns);
    expect(env.emulator.callsTo('req')).toHaveLength(10);
    expect(env.emulator.callsTo('analytics')).toHaveLength(10);
    expect(env.emulator.calls).toHaveLength(20);
    // Unknown to the registry: never an answer that reads like "screened, nothing found".
    expect(cold.data.screenCounterparties[999]).toEqual({
      inn: inns[999],
      found: false,
      statusCode: null,
      riskLevel: null,
      requiresReview: null,
      factorCodes: [],
      error: 'NOT_FOUND',
      company: null,
    });
    expect(cold.data.screenCounterparties[0].found).toBe(true);
    expect(cold.data.screenCounterparties[0].error).toBeNull();
    expect(cold.data.screenCounterparties[0].riskLevel).toMatch(/^(LOW|MEDIUM|HIGH|CRITICAL)$/);
    env.emulator.resetCalls();
    const warm = await env.subgraph.gql(query, { inns });
    expect(warm.data).toEqual(cold.data);
    expect(env.emulator.calls).toHaveLength(0);
  });
});

describe('a policy file changes the levels', () => {
  const strict = policyFile(
    'strict.yaml',
    [
      'reviewThreshold: 30',
      'levels: { medium: 10, high: 30, critical: 60 }',
      'criticalFactors: []',
      'factors:',
      '  MASS_ADDRESS: { weight: 70 }',
      '',
    ].join('\n'),
  );
  const env = withSubgraph({ env: { RISK_POLICY_PATH: strict } });

  it('the same company is MEDIUM without review by default, CRITICAL with review under the strict policy', async () => {
    const [inn] = legalEntityInns(1, 97) as [string];
    // Only the mass address: critical by default (the CRM scenario's indicator); under this policy it is not critical
    // but weighs 70, which its levels make CRITICAL anyway.
    await shape(env, inn, { m5003: true, q6001: 2025 }, {});
    const risk = (await env.subgraph.gql(RISK, { inn })).data.company.risk;
    expect(risk).toMatchObject({ level: 'CRITICAL', score: 70, requiresReview: true });
    const defaults = loadRiskPolicy(undefined);
    expect(defaults.weightOf('MASS_ADDRESS')).toBe(40);
    const policy = (await env.subgraph.gql(`{ riskPolicy { source reviewThreshold } }`)).data.riskPolicy;
    expect(policy).toEqual({ source: strict, reviewThreshold: 30 });
  });
});

describe("the README's policy example", () => {
  it('is a valid policy with the documented values', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const example = /\*\*The policy\*\*[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const policy = loadRiskPolicy(policyFile('readme.yaml', example));
    expect(policy.reviewThreshold).toBe(50);
    expect(policy.weightOf('MASS_ADDRESS')).toBe(40);
    expect(policy.thresholds.enforcementDebt).toEqual({ minAmount: 100_000, percentOfRevenue: 1, redPercentOfRevenue: 10 });
  });
});

describe('an invalid policy', () => {
  it('is refused with a message naming the bad field', () => {
    const bad = policyFile('bad.json', JSON.stringify({ reviewThreshold: 150, factors: { MASS_ADRESS: { weight: 10 } } }));
    expect(() => loadRiskPolicy(bad)).toThrow(RiskPolicyError);
    expect(() => loadRiskPolicy(bad)).toThrow(/reviewThreshold: Too big: expected number to be <=100/);
    expect(() => loadRiskPolicy(bad)).toThrow('factors: Unrecognized key: "MASS_ADRESS"');
  });

  it('stops the start-up, saying why', async () => {
    const emulator = await startEmulator();
    const bad = policyFile('bad.yaml', 'levels: { medium: 60, high: 50, critical: 80 }\n');
    try {
      await expect(
        startServerProcess({ FOCUS_BASE_URL: emulator.url, FOCUS_API_KEY: TEST_FOCUS_KEY, RISK_POLICY_PATH: bad }),
      ).rejects.toThrow(/server exited with 1:[\s\S]*Invalid risk policy[\s\S]*levels: levels must rise: medium ≤ high ≤ critical/);
    } finally {
      await emulator.close();
    }
  });
});
