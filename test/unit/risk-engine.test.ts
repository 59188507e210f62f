import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, type CompanyRecord } from '../../src/domain/company.ts';
import { assessRisk, type RiskInputs } from '../../src/modules/risk/engine.ts';
import { buildRiskPolicy } from '../../src/modules/risk/policy.ts';

const ACTIVE: CompanyRecord = {
  inn: '7700000009',
  ogrn: '1027700000000',
  kind: 'LEGAL_ENTITY',
  history: EMPTY_HISTORY,
  kpp: null,
  shortName: 'АО "Альянс-М"',
  fullName: null,
  opf: null,
  okpo: null,
  okato: null,
  oktmo: null,
  okfs: null,
  okogu: null,
  okopf: null,
  registrationDate: '2010-01-01',
  dissolutionDate: null,
  status: { code: 'ACTIVE', text: 'Действующее', date: null, isActive: true },
  legalAddress: null,
  region: null,
  heads: [],
  managementCompanies: [],
  branches: [],
  focusUrl: null,
  expressReport: null,
  contactPhonesCount: null,
};
const policy = buildRiskPolicy({}, 'defaults');
const checkedAt = '2026-12-01T00:00:00.000Z';

function assess(overrides: Partial<RiskInputs>) {
  return assessRisk({ isLegalEntity: true, company: ACTIVE, analytics: {}, checkedAt, now: new Date(checkedAt), ...overrides }, policy);
}
const codes = (profile: ReturnType<typeof assess>) => profile.factors.map((factor) => `${factor.code}:${factor.severity}`);

describe('the risk engine (pure: a company record, analytics and T-Bank signals in, a profile out)', () => {
  it('an active company without recent reports: LOW, 15 points, no review', () => {
    const profile = assess({});
    expect([profile.level, profile.score, profile.requiresReview, codes(profile)]).toEqual([
      'LOW',
      15,
      false,
      ['NO_FINANCIAL_REPORTS:YELLOW'],
    ]);
    expect(profile.sources).toEqual(['STATUS', 'ANALYTICS', 'EXPRESS_REPORT']);
  });

  it('a liquidated company: CRITICAL, review, with the status that triggered it', () => {
    const profile = assess({
      company: { ...ACTIVE, status: { code: 'LIQUIDATED', text: 'Ликвидация', date: '2020-01-01', isActive: false } },
    });
    expect([profile.level, profile.score, profile.requiresReview]).toEqual(['CRITICAL', 100, true]);
    expect(profile.factors[0]).toMatchObject({
      code: 'LIQUIDATION',
      severity: 'RED',
      details: [
        { name: 'status', value: 'Ликвидация' },
        { name: 'date', value: '2020-01-01' },
      ],
    });
  });

  it('a red critical factor makes the level CRITICAL whatever the score; green never offsets red', () => {
    const profile = assess({
      company: { ...ACTIVE, expressReport: { green: true, yellow: true, red: false } },
      analytics: { m5003: true, q7007: 40 },
    });
    expect([profile.level, profile.score, profile.requiresReview]).toEqual(['CRITICAL', 60, true]);
    expect(codes(profile)).toEqual([
      'MASS_ADDRESS:RED',
      'NO_FINANCIAL_REPORTS:YELLOW',
      'EXPRESS_REPORT_YELLOW:YELLOW',
      'EXPRESS_REPORT_GREEN:GREEN',
    ]);
  });

  it('a configured source that failed never looks clean: review asked, the source named', () => {
    const profile = assess({ tbank: null, tbankConsulted: true, unavailableSources: ['TBANK'] });
    expect([profile.level, profile.requiresReview, profile.unavailableSources]).toEqual(['LOW', true, ['TBANK']]);
  });
});

describe("the risk engine: T-Bank's tax debt and risk level", () => {
  const tbank = (overrides: Partial<NonNullable<RiskInputs['tbank']>>): NonNullable<RiskInputs['tbank']> => ({
    negativeLists: [],
    frozenAccountDecisions: 0,
    sameAddressCompanies: null,
    ...overrides,
  });
  const tbankCodes = (profile: ReturnType<typeof assess>) =>
    profile.factors.filter((factor) => factor.source === 'TBANK').map((factor) => `${factor.code}:${factor.severity}`);
  const debt = (amount: number) => ({ amount, date: '2025-01-01', color: 'YELLOW' });

  it('tax debt by the policy’s thresholds: none below 1000 ₽, yellow under 1 % of revenue, red from it or without revenue', () => {
    expect(tbankCodes(assess({ tbank: tbank({ taxDebt: debt(999.99), revenue: null }) }))).toEqual([]);
    expect(tbankCodes(assess({ tbank: tbank({ taxDebt: debt(0), revenue: null }) }))).toEqual([]);
    expect(tbankCodes(assess({ tbank: tbank({ taxDebt: debt(50_000), revenue: 10_000_000 }) }))).toEqual(['TBANK_TAX_DEBT:YELLOW']);
    expect(tbankCodes(assess({ tbank: tbank({ taxDebt: debt(100_000), revenue: 10_000_000 }) }))).toEqual(['TBANK_TAX_DEBT:RED']);
    expect(tbankCodes(assess({ tbank: tbank({ taxDebt: debt(1_000), revenue: null }) }))).toEqual(['TBANK_TAX_DEBT:RED']);
    // Without T-Bank's revenue, Kontur's (s6004) is the scale.
    expect(tbankCodes(assess({ analytics: { s6004: 10_000_000 }, tbank: tbank({ taxDebt: debt(50_000) }) }))).toEqual([
      'TBANK_TAX_DEBT:YELLOW',
    ]);
    const profile = assess({ tbank: tbank({ taxDebt: { amount: 50_000, date: '2025-01-01', color: 'RED' }, revenue: 10_000_000 }) });
    expect(profile.factors.find((factor) => factor.code === 'TBANK_TAX_DEBT')).toMatchObject({
      title: 'Т-Банк: налоговая задолженность',
      details: [
        { name: 'amount', value: '50 000 ₽' },
        { name: 'date', value: '2025-01-01' },
        { name: 'tbankColor', value: 'красный' },
        { name: 'revenue', value: '10 000 000 ₽' },
        { name: 'percentOfRevenue', value: '0.5' },
      ],
    });
    // A policy can raise the bar.
    const strict = buildRiskPolicy({ thresholds: { taxDebt: { minAmount: 100_000 } } }, 'test');
    expect(
      assessRisk(
        {
          isLegalEntity: true,
          company: ACTIVE,
          analytics: {},
          checkedAt,
          now: new Date(checkedAt),
          tbank: tbank({ taxDebt: debt(50_000) }),
        },
        strict,
      ).factors.map((factor) => factor.code),
    ).not.toContain('TBANK_TAX_DEBT');
  });

  it('T-Bank’s risk level: HIGH red, MEDIUM yellow, LOW and not assessed nothing; weighed 20 by default', () => {
    const level = (value: 'HIGH' | 'MEDIUM' | 'LOW' | 'NOT_ASSESSED') =>
      assess({ tbank: tbank({ riskLevel: { level: value, value: 2 } }) });
    expect(tbankCodes(level('HIGH'))).toEqual(['TBANK_RISK_LEVEL:RED']);
    expect(level('HIGH').factors.find((factor) => factor.code === 'TBANK_RISK_LEVEL')).toMatchObject({
      title: 'Т-Банк: высокий уровень риска',
      details: [{ name: 'tbankRiskLevel', value: '2' }],
    });
    expect(tbankCodes(level('MEDIUM'))).toEqual(['TBANK_RISK_LEVEL:YELLOW']);
    expect(tbankCodes(level('LOW'))).toEqual([]);
    expect(tbankCodes(level('NOT_ASSESSED'))).toEqual([]);
    // 15 (NO_FINANCIAL_REPORTS) + 20.
    expect(level('HIGH').score).toBe(35);
  });
});
