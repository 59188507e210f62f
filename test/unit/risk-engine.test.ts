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
