import type { CompanyRecord } from '../../domain/company.ts';
import type { FocusAnalyticsValues } from '../kontur-focus/index.ts';
import type { RiskFactorCode, RiskPolicy } from './policy.ts';

export type RiskSeverity = 'RED' | 'YELLOW' | 'GREEN';
export type RiskSource = 'STATUS' | 'ANALYTICS' | 'EXPRESS_REPORT' | 'TBANK';
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface RiskDetail {
  name: string;
  value: string;
}

export interface RiskFactor {
  code: RiskFactorCode;
  severity: RiskSeverity;
  title: string;
  details: RiskDetail[];
  source: RiskSource;
  checkedAt: string;
}

export interface RiskProfile {
  level: RiskLevel;
  score: number;
  requiresReview: boolean;
  factors: RiskFactor[];
  checkedAt: string;
  /** The sources consulted. */
  sources: RiskSource[];
  /** Configured sources that failed: the profile is incomplete, so it always asks for review. */
  unavailableSources: RiskSource[];
}

/** What T-Bank adds when it is configured (src/modules/tbank/signals.ts). */
export interface RiskTbankSignals {
  negativeLists: Array<{ name: string; since: string | null }>;
  frozenAccountDecisions: number;
  sameAddressCompanies: number | null;
  /** T-Bank's tax-debt check: roubles, the date it was stated on, T-Bank's colour (RED, YELLOW, GREEN, NONE). */
  taxDebt?: { amount: number; date: string; color: string } | null;
  /** T-Bank's own risk level (from its check's colour) and the check's raw value. */
  riskLevel?: { level: 'HIGH' | 'MEDIUM' | 'LOW' | 'NOT_ASSESSED'; value: number | null } | null;
  /** Revenue of the latest year T-Bank has, roubles. */
  revenue?: number | null;
}

export interface RiskInputs {
  isLegalEntity: boolean;
  /** The registration assessed, as the requisites source mapped it. */
  company: CompanyRecord | undefined;
  analytics: FocusAnalyticsValues | undefined;
  tbank?: RiskTbankSignals | null;
  /** Whether T-Bank was consulted for this profile (configured, and asked for). */
  tbankConsulted?: boolean;
  /** Configured sources that failed. */
  unavailableSources?: RiskSource[];
  /** When the data was fetched (the oldest entry), ISO. */
  checkedAt: string;
  now: Date;
}

const SANCTION_KEYS: Record<string, string> = {
  m8001: 'США',
  m8002: 'США (секторальные)',
  m8003: 'ЕС',
  m8004: 'Великобритания',
  m8005: 'Украина',
  m8006: 'Швейцария',
  m8007: 'совладельцы ≥50% под санкциями США',
  m8008: 'совладельцы ≥50% под секторальными санкциями США',
  m8009: 'совладельцы ≥50% под санкциями ЕС',
  m8010: 'совладельцы ≥50% под санкциями Великобритании',
  m8011: 'совладельцы ≥50% под санкциями Украины',
  m8012: 'совладельцы ≥50% под санкциями Швейцарии',
};

/**
 * Bankruptcy stages (analytics e7014) and what they mean for a deal now: a procedure under way is red; a finished
 * one, or a stage Kontur could not determine, is worth a look (yellow); a case that ended without bankruptcy is nothing.
 */
const BANKRUPTCY_STAGES: Record<string, RiskSeverity | null> = {
  Наблюдение: 'RED',
  'Финансовое оздоровление': 'RED',
  'Внешнее управление': 'RED',
  'Конкурсное производство': 'RED',
  'Реструктуризация долгов': 'RED',
  'Реализация имущества': 'RED',
  'Конкурсное производство завершено': 'YELLOW',
  'Реструктуризация долгов завершена': 'YELLOW',
  'Реализация имущества завершена': 'YELLOW',
  'Не удалось определить стадию': 'YELLOW',
  'Производство по делу прекращено': null,
  'Отказано в признании должника банкротом': null,
};

/** Roubles with plain-space thousands ("1 200 000 ₽"): ICU's no-break spaces trip CRM text fields. */
const rub = (value: number) => `${String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} ₽`;
const detail = (name: string, value: string | number | boolean | undefined | null): RiskDetail[] =>
  value === undefined || value === null || value === '' ? [] : [{ name, value: String(value) }];

/**
 * Builds the risk profile: explainable factors from the registry status, Kontur's analytics markers, the express
 * report and T-Bank's checks; a score from the policy's weights (green factors lower it); a level; and whether a
 * person must review the counterparty before a deal.
 */
export function assessRisk(inputs: RiskInputs, policy: RiskPolicy): RiskProfile {
  const found = collectFactors(inputs, policy);
  // A critical factor counts whatever its weight: weight 0 only takes it out of the score.
  const critical = found.some((factor) => factor.severity === 'RED' && policy.criticalFactors.includes(factor.code));
  const factors = found.filter((factor) => policy.weightOf(factor.code) > 0 || policy.criticalFactors.includes(factor.code));
  const points = (severity: RiskSeverity) =>
    factors.filter((factor) => factor.severity === severity).reduce((sum, factor) => sum + policy.weightOf(factor.code), 0);
  // Green signals soften yellow ones but never offset a red fact.
  const score = Math.max(0, Math.min(100, Math.round(points('RED') + Math.max(0, points('YELLOW') - points('GREEN')))));
  const unavailableSources = inputs.unavailableSources ?? [];
  const sources: RiskSource[] = ['STATUS', 'ANALYTICS', 'EXPRESS_REPORT', ...(inputs.tbankConsulted ? (['TBANK'] as const) : [])];
  const level: RiskLevel = critical
    ? 'CRITICAL'
    : score >= policy.levels.critical
      ? 'CRITICAL'
      : score >= policy.levels.high
        ? 'HIGH'
        : score >= policy.levels.medium
          ? 'MEDIUM'
          : 'LOW';
  return {
    level,
    score,
    requiresReview: critical || score >= policy.reviewThreshold || unavailableSources.length > 0,
    factors,
    checkedAt: inputs.checkedAt,
    sources,
    unavailableSources,
  };
}

function collectFactors(inputs: RiskInputs, policy: RiskPolicy): RiskFactor[] {
  const factors: RiskFactor[] = [];
  const add = (code: RiskFactorCode, severity: RiskSeverity, source: RiskSource, title: string, details: RiskDetail[] = []) => {
    if (!factors.some((factor) => factor.code === code))
      factors.push({ code, severity, source, title, details, checkedAt: inputs.checkedAt });
  };
  statusFactors(inputs, add);
  registryMarkFactors(inputs, add);
  analyticsFactors(inputs, policy, add);
  expressReportFactors(inputs, add);
  tbankFactors(inputs, policy, add);
  return factors;
}

type Add = (code: RiskFactorCode, severity: RiskSeverity, source: RiskSource, title: string, details?: RiskDetail[]) => void;

function statusFactors({ company }: RiskInputs, add: Add): void {
  const status = company?.status;
  const code = status?.code ?? 'UNKNOWN';
  const details = [...detail('status', status?.text ?? undefined), ...detail('date', status?.date ?? undefined)];
  if (code === 'LIQUIDATED') add('LIQUIDATION', 'RED', 'STATUS', 'Компания ликвидирована или исключена из реестра', details);
  if (code === 'LIQUIDATING') add('LIQUIDATION', 'RED', 'STATUS', 'Компания в процессе ликвидации', details);
  if (code === 'BANKRUPT') add('BANKRUPTCY', 'RED', 'STATUS', 'Компания в процедуре банкротства', details);
  if (code === 'REORGANIZING') add('REORGANIZATION', 'YELLOW', 'STATUS', 'Компания в процессе реорганизации', details);
}

/** The registry's own "unreliable data" marks on the legal address and the heads (req), before Kontur's marker of them. */
function registryMarkFactors({ company }: RiskInputs, add: Add): void {
  const address = company?.legalAddress?.unreliable ? company.legalAddress : undefined;
  const heads = (company?.heads ?? []).filter((head) => head.unreliable);
  if (!address && heads.length === 0) return;
  add('UNRELIABLE_REGISTRY_DATA', 'RED', 'STATUS', 'Недостоверные сведения в ЕГРЮЛ', [
    ...detail('address', address ? true : undefined),
    ...detail('addressSince', address?.unreliableSince ?? undefined),
    ...heads.flatMap((head) => [...detail('head', head.fio ?? undefined), ...detail('headSince', head.unreliableSince ?? undefined)]),
  ]);
}

function analyticsFactors({ analytics, isLegalEntity, now }: RiskInputs, policy: RiskPolicy, add: Add): void {
  if (!analytics) return;
  const flag = (key: string) => analytics[key] === true;
  const num = (key: string) => (typeof analytics[key] === 'number' ? analytics[key] : undefined);
  const revenue = num('s6004');
  const { thresholds } = policy;

  const stage = typeof analytics.e7014 === 'string' ? analytics.e7014 : undefined;
  // An unknown stage text is worth a look, not a verdict.
  const stageSeverity = stage === undefined ? null : stage in BANKRUPTCY_STAGES ? BANKRUPTCY_STAGES[stage]! : 'YELLOW';
  if (flag('m7013') || flag('m7014') || stageSeverity) {
    const severity: RiskSeverity = flag('m7013') || flag('m7014') || stageSeverity === 'RED' ? 'RED' : 'YELLOW';
    add('BANKRUPTCY', severity, 'ANALYTICS', 'Признаки банкротства: дела или сообщения о банкротстве', [
      ...detail('bankruptcyStage', stage),
      ...detail('casesLast3Months', flag('m7013') || undefined),
      ...detail('noticesLast12Months', flag('m7014') || undefined),
    ]);
  } else if (flag('m7015')) {
    add('BANKRUPTCY', 'YELLOW', 'ANALYTICS', 'Сообщения о намерении обратиться в суд с заявлением о банкротстве');
  }
  if (flag('m7037') || flag('m7042'))
    add('PLANNED_LIQUIDATION', 'RED', 'ANALYTICS', 'Поданы документы на ликвидацию или прекращение деятельности');

  if (flag('m5003')) {
    add('MASS_ADDRESS', 'RED', 'ANALYTICS', 'Адрес массовой регистрации', detail('sameAddressActiveCompanies', num('q7007')));
  } else if ((num('q7007') ?? 0) >= thresholds.sameAddressCompanies) {
    add('MASS_ADDRESS', 'YELLOW', 'ANALYTICS', 'Много компаний по тому же адресу', [
      ...detail('sameAddressActiveCompanies', num('q7007')),
      ...detail('threshold', thresholds.sameAddressCompanies),
    ]);
  }
  if (flag('m5008') || flag('m5001')) add('DISQUALIFIED_HEAD', 'RED', 'ANALYTICS', 'Дисквалифицированный руководитель');
  if (flag('m5009') || flag('m5010')) {
    add('MASS_HEAD_OR_FOUNDER', 'YELLOW', 'ANALYTICS', 'Массовый руководитель или учредитель', [
      ...detail('massHead', flag('m5009') || undefined),
      ...detail('massFounder', flag('m5010') || undefined),
    ]);
  }
  if (flag('m5006') || flag('m5007') || flag('m5002')) {
    add('UNRELIABLE_REGISTRY_DATA', 'RED', 'ANALYTICS', 'Недостоверные сведения в ЕГРЮЛ', [
      ...detail('address', flag('m5006') || flag('m5002') || undefined),
      ...detail('headOrFounders', flag('m5007') || undefined),
    ]);
  }
  if (flag('m7001')) add('NOMINEE_RISK', 'YELLOW', 'ANALYTICS', 'Рекомендована дополнительная проверка: признаки номинальности');

  scaledAmountFactor(
    add,
    'ENFORCEMENT_DEBT',
    'Исполнительные производства за 12 месяцев',
    num('s1001'),
    num('q1001'),
    revenue,
    thresholds.enforcementDebt,
  );
  scaledAmountFactor(
    add,
    'ARBITRATION_DEFENDANT',
    'Иски к компании (ответчик) за 12 месяцев',
    num('s2001'),
    num('q2001'),
    revenue,
    thresholds.arbitrationDefendant,
  );

  if (flag('m5004') || (num('s6012') ?? 0) > 0) {
    add(
      'TAX_DEBT',
      'YELLOW',
      'ANALYTICS',
      'Налоговая задолженность',
      detail('taxArrears', num('s6012') !== undefined ? rub(num('s6012')!) : undefined),
    );
  }
  if (flag('m7010')) add('BLOCKED_ACCOUNTS', 'RED', 'ANALYTICS', 'Блокировка счетов ФНС', detail('checkedOn', analytics.d7010));
  if (flag('m4001')) add('UNRELIABLE_SUPPLIER', 'RED', 'ANALYTICS', 'В реестре недобросовестных поставщиков');
  const sanctions = Object.entries(SANCTION_KEYS)
    .filter(([key]) => flag(key))
    .map(([, name]) => name);
  if (sanctions.length > 0) add('SANCTIONS', 'RED', 'ANALYTICS', 'Санкционные списки', [{ name: 'lists', value: sanctions.join(', ') }]);
  const months = flag('m7002') ? 3 : flag('m7003') ? 6 : flag('m7004') ? 12 : undefined;
  if (months)
    add(
      'YOUNG_COMPANY',
      'YELLOW',
      'ANALYTICS',
      `Компания зарегистрирована менее ${months} месяцев назад`,
      detail('registeredWithinMonths', months),
    );

  const latestYear = num('q6001');
  const oldestAcceptable = now.getUTCFullYear() - 1 - thresholds.financialReportsMaxAgeYears;
  if (isLegalEntity && (flag('m5005') || latestYear === undefined || latestYear < oldestAcceptable)) {
    add('NO_FINANCIAL_REPORTS', 'YELLOW', 'ANALYTICS', 'Нет свежей бухгалтерской отчётности', [
      ...detail('latestStatementsYear', latestYear),
      ...detail('noTaxReportsForOverAYear', flag('m5005') || undefined),
    ]);
  } else if (isLegalEntity && (revenue ?? 0) > 0) {
    add('FINANCIAL_STATEMENTS_FILED', 'GREEN', 'ANALYTICS', 'Отчётность сдаётся, есть выручка', [
      ...detail('latestStatementsYear', latestYear),
      ...detail('revenue', rub(revenue!)),
    ]);
  }
  if ((num('q4002') ?? 0) > 0) {
    add('GOVERNMENT_CONTRACTS', 'GREEN', 'ANALYTICS', 'Исполняет госконтракты', [
      ...detail('contractsLast12Months', num('q4002')),
      ...detail('amountLast12Months', num('s4002') !== undefined ? rub(num('s4002')!) : undefined),
    ]);
  }
}

/**
 * An amount (debt, claims) counts when it reaches `minAmount` and, where revenue is known, `percentOfRevenue` of it;
 * red from `redPercentOfRevenue`, or whenever revenue is unknown.
 */
function scaledAmountFactor(
  add: Add,
  code: RiskFactorCode,
  title: string,
  amount: number | undefined,
  count: number | undefined,
  revenue: number | undefined,
  threshold: { minAmount: number; percentOfRevenue: number; redPercentOfRevenue: number },
  source: RiskSource = 'ANALYTICS',
  extra: RiskDetail[] = [],
): void {
  if (amount === undefined || amount < threshold.minAmount) return;
  const percent = revenue && revenue > 0 ? (amount / revenue) * 100 : undefined;
  if (percent !== undefined && percent < threshold.percentOfRevenue) return;
  const severity: RiskSeverity = percent === undefined || percent >= threshold.redPercentOfRevenue ? 'RED' : 'YELLOW';
  add(code, severity, source, title, [
    { name: 'amount', value: rub(amount) },
    ...detail('count', count),
    ...extra,
    ...detail('revenue', revenue !== undefined ? rub(revenue) : undefined),
    ...detail('percentOfRevenue', percent !== undefined ? percent.toFixed(1) : undefined),
  ]);
}

function expressReportFactors({ company }: RiskInputs, add: Add): void {
  const summary = company?.expressReport;
  if (!summary) return;
  if (summary.red) add('EXPRESS_REPORT_RED', 'RED', 'EXPRESS_REPORT', 'Экспресс-отчёт Контур.Фокуса: критические факты');
  if (summary.yellow) add('EXPRESS_REPORT_YELLOW', 'YELLOW', 'EXPRESS_REPORT', 'Экспресс-отчёт Контур.Фокуса: факты, требующие внимания');
  if (summary.green) add('EXPRESS_REPORT_GREEN', 'GREEN', 'EXPRESS_REPORT', 'Экспресс-отчёт Контур.Фокуса: положительные факты');
}

/**
 * T-Bank's risk level as a factor: high is red, medium yellow. Low (T-Bank's green) and not assessed add nothing — a
 * clean counterparty gets no T-Bank factor, and T-Bank's own "low" is no reason to soften another source's warning.
 */
const TBANK_RISK_LEVELS: Partial<Record<string, { severity: RiskSeverity; title: string }>> = {
  HIGH: { severity: 'RED', title: 'Т-Банк: высокий уровень риска' },
  MEDIUM: { severity: 'YELLOW', title: 'Т-Банк: средний уровень риска' },
};

/** T-Bank's own colour of a check (TbankColor), in the manager's words. */
const TBANK_COLOURS: Record<string, string> = { RED: 'красный', YELLOW: 'жёлтый', GREEN: 'зелёный', NONE: 'не оценено' };

function tbankFactors({ tbank, analytics }: RiskInputs, policy: RiskPolicy, add: Add): void {
  if (!tbank) return;
  if (tbank.negativeLists.length > 0) {
    add('TBANK_NEGATIVE_LISTS', 'RED', 'TBANK', 'Т-Банк: компания в негативных списках', [
      { name: 'lists', value: tbank.negativeLists.map((list) => (list.since ? `${list.name} (с ${list.since})` : list.name)).join(', ') },
    ]);
  }
  if (tbank.frozenAccountDecisions > 0) {
    add(
      'TBANK_FROZEN_ACCOUNTS',
      'RED',
      'TBANK',
      'Т-Банк: решения о приостановке операций по счетам',
      detail('decisions', tbank.frozenAccountDecisions),
    );
  }
  if ((tbank.sameAddressCompanies ?? 0) >= policy.thresholds.sameAddressCompanies) {
    add(
      'TBANK_SAME_ADDRESS',
      'YELLOW',
      'TBANK',
      'Т-Банк: много компаний по тому же адресу',
      detail('sameAddressCompanies', tbank.sameAddressCompanies),
    );
  }
  const debt = tbank.taxDebt;
  if (debt && debt.amount > 0) {
    // Weighed against T-Bank's own latest revenue, else Kontur's (analytics s6004).
    const focusRevenue = typeof analytics?.s6004 === 'number' ? analytics.s6004 : undefined;
    scaledAmountFactor(
      add,
      'TBANK_TAX_DEBT',
      'Т-Банк: налоговая задолженность',
      debt.amount,
      undefined,
      tbank.revenue ?? focusRevenue,
      policy.thresholds.taxDebt,
      'TBANK',
      [...detail('date', debt.date), ...detail('tbankColor', TBANK_COLOURS[debt.color])],
    );
  }
  const level = tbank.riskLevel ? TBANK_RISK_LEVELS[tbank.riskLevel.level] : undefined;
  if (level) add('TBANK_RISK_LEVEL', level.severity, 'TBANK', level.title, detail('tbankRiskLevel', tbank.riskLevel?.value));
}
