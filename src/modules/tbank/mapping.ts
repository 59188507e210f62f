import type {
  CompanyStatusCode,
  TbankActivity,
  TbankArbitration,
  TbankBank,
  TbankBankruptcyMessage as TbankBankruptcyMessageType,
  TbankColor,
  TbankFinanceReason,
  TbankFinanceReasonCode,
  TbankFinanceYear,
  TbankFounder,
  TbankFrozenAccounts,
  TbankLeader,
  TbankLicence,
  TbankLicenceStatus,
  TbankLicenceSummary,
  TbankRelatedCompany,
  TbankRelationSummary,
  TbankRiskLevel,
  TbankStatementPeriod,
  TbankTaxDebt,
  TbankYearRange,
  TbankListEntry,
  TbankNetIncome,
  TbankProceedings,
  TbankSameInfo,
  TbankTrafficLight,
} from '../../generated/graphql.ts';
import type {
  TbankBankruptcyMessage,
  TbankCompanyExcerpt,
  TbankEntrepreneurExcerpt,
  TbankExcerpt,
  TbankExpressExcerpt,
  TbankLicenceValue,
  TbankStatusType,
} from './vendor/schemas.ts';
import { excerptInn, registryBlock } from './vendor/identity.ts';

/**
 * How T-Bank's excerpt reads in the graph. Shared by the TbankCheck resolvers, the risk signals and the requisites
 * fallback, so every consumer reads the same block for the same fact:
 * - `companyType` decides which SPARK block is read (companyExcerpt or entrepreneurExcerpt), never which key is
 *   present (the vendor's own example fills both, §8.2);
 * - the express excerpt inside that block carries the summary indicators (same-info counts, negative lists, frozen
 *   accounts, net income, the latest bankruptcy notice);
 * - the general `excerpt` carries T-Bank's own checks (traffic light, risk level, tax debt) and its previews
 *   (founders, licences, related companies, key figures by year).
 */

/** T-Bank's normalised statusType in the graph's status codes. */
export const STATUS_CODES: Readonly<Record<TbankStatusType, CompanyStatusCode>> = {
  active: 'ACTIVE',
  reorganizing: 'REORGANIZING',
  liquidating: 'LIQUIDATING',
  liquidated: 'LIQUIDATED',
  bankrupting: 'BANKRUPT',
  unknown: 'UNKNOWN',
};

export function statusCodeOf(excerpt: TbankExcerpt): CompanyStatusCode {
  return STATUS_CODES[excerpt.companyCard.statusType];
}

// The client checks an excerpt's identity with the same readings the graph uses (src/modules/tbank/vendor/identity.ts).
export { excerptInn, registryBlock };

export function companyBlock(excerpt: TbankExcerpt): TbankCompanyExcerpt | undefined {
  return excerpt.companyType === 'company' ? excerpt.companyExcerpt : undefined;
}

export function entrepreneurBlock(excerpt: TbankExcerpt): TbankEntrepreneurExcerpt | undefined {
  return excerpt.companyType === 'entrepreneur' ? excerpt.entrepreneurExcerpt : undefined;
}

export function expressOf(excerpt: TbankExcerpt): TbankExpressExcerpt | undefined {
  return registryBlock(excerpt)?.expressExcerpt;
}

/** A count as GraphQL Int (32-bit); anything else (a fraction, an int64 beyond range) is unknown. */
export function int32(value: number | undefined): number | null {
  return value !== undefined && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647 ? value : null;
}

/**
 * The negative registers the company is in: the express excerpt's negativeLists plus the registers of includeInList
 * marked negative, each once (by id, else by name). T-Bank gives no date for a membership, so `since` is null.
 */
export function negativeLists(excerpt: TbankExcerpt): TbankListEntry[] {
  const memberships = [...(expressOf(excerpt)?.negativeLists ?? []), ...(registryBlock(excerpt)?.includeInList ?? [])];
  const seen = new Set<string>();
  const lists: TbankListEntry[] = [];
  for (const membership of memberships) {
    if (!membership.isNegative) continue;
    const key = membership.id !== undefined ? `#${membership.id}` : `:${membership.listName ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lists.push({ id: int32(membership.id), name: membership.listName ?? `Список ${membership.id ?? '?'}`, isNegative: true, since: null });
  }
  return lists;
}

export function frozenAccounts(excerpt: TbankExcerpt): TbankFrozenAccounts {
  const decisions = expressOf(excerpt)?.frozenAccountDecisions ?? [];
  const banks = new Map<string, TbankBank>();
  for (const decision of decisions) {
    const { bank } = decision;
    if (!bank || (bank.name === undefined && bank.bik === undefined)) continue;
    banks.set(bank.bik ?? bank.name!, { name: bank.name ?? null, bik: bank.bik ?? null });
  }
  const dates = decisions.map((decision) => decision.date).filter((date): date is string => date !== undefined);
  return {
    count: decisions.length,
    latestDate: dates.length > 0 ? dates.reduce((a, b) => (a > b ? a : b)) : null,
    banks: [...banks.values()],
    decisions: decisions.map((decision) => ({
      number: decision.number ?? null,
      date: decision.date ?? null,
      taxAuthority: decision.taxAuthority?.name ?? decision.taxAuthority?.code ?? null,
      reason: decision.reason?.name ?? null,
      bank: decision.bank ? { name: decision.bank.name ?? null, bik: decision.bank.bik ?? null } : null,
    })),
  };
}

/** Companies at the same address: the express excerpt's count, else the block's own, else T-Bank's check value. */
export function sameAddressCount(excerpt: TbankExcerpt): number | null {
  return int32(
    expressOf(excerpt)?.companyWithSameInfo?.sameAddress?.addressCount ??
      companyBlock(excerpt)?.companyWithSameInfo?.addressCount ??
      excerpt.excerpt?.sameAddressNumber,
  );
}

export function sameInfo(excerpt: TbankExcerpt): TbankSameInfo | null {
  const same = expressOf(excerpt)?.companyWithSameInfo;
  const own = companyBlock(excerpt)?.companyWithSameInfo;
  if (!same && !own) return null;
  const phone = same?.samePhone;
  return {
    address: same?.sameAddress?.address ?? null,
    sameAddressCount: sameAddressCount(excerpt),
    manager: same?.sameManager?.manager ?? null,
    sameManagerCount: int32(same?.sameManager?.managerCountInCountry ?? own?.managerCountInCountry),
    managerInnCount: int32(same?.sameManager?.managerInnCount ?? own?.managerInnCount),
    phone: phone?.phoneNumber ? (phone.phoneCode ? `(${phone.phoneCode}) ${phone.phoneNumber}` : phone.phoneNumber) : null,
    samePhoneCount: int32(phone?.phoneCount ?? own?.telephoneCount?.value),
  };
}

export function enforcementProceedings(excerpt: TbankExcerpt): TbankProceedings | null {
  const company = companyBlock(excerpt)?.proceedings;
  const entrepreneur = entrepreneurBlock(excerpt)?.executionProceedings;
  const counts = company ?? entrepreneur;
  const active = counts?.active ?? expressOf(excerpt)?.activeProceedingsCount;
  if (active === undefined && counts?.executed === undefined) return null;
  return { active: int32(active), executed: int32(counts?.executed) };
}

export function arbitration(excerpt: TbankExcerpt): TbankArbitration | null {
  const cases = registryBlock(excerpt)?.arbitrationCases;
  if (!cases) return null;
  return {
    total: int32(cases.total),
    considered: int32(cases.considered),
    appealed: int32(cases.appealed),
    completed: int32(cases.completed),
    decisionsAndRulings: int32(cases.decisionsAndRulings),
    years: cases.cases
      .filter((year) => int32(year.year) !== null)
      .sort((a, b) => b.year! - a.year!)
      .map((year) => ({
        year: year.year!,
        asPlaintiffCases: int32(year.plaintiff?.casesNumber),
        asPlaintiffSum: year.plaintiff?.sum ?? null,
        asDefendantCases: int32(year.defendant?.casesNumber),
        asDefendantSum: year.defendant?.sum ?? null,
        asThirdPartyCases: int32(year.thirdOrOtherPerson?.casesNumber),
      })),
  };
}

/** The express excerpt's notice, else the latest of the block's list (the two shapes of §8.3). */
export function bankruptcyMessage(excerpt: TbankExcerpt): TbankBankruptcyMessageType | null {
  const latest = (messages: readonly TbankBankruptcyMessage[]) =>
    [...messages].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''))[0];
  const message = expressOf(excerpt)?.bankruptcyMessage ?? latest(registryBlock(excerpt)?.bankruptcyMessage ?? []);
  if (!message || (message.date === undefined && message.caseNumber === undefined && message.messageType === undefined)) return null;
  return {
    type: message.messageType ?? null,
    date: message.date ?? null,
    decisionDate: message.decisionDate ?? null,
    caseNumber: message.caseNumber ?? null,
  };
}

export function mainActivity(excerpt: TbankExcerpt): TbankActivity | null {
  const main = registryBlock(excerpt)?.okved.find((item) => item.isMain && item.code !== undefined);
  if (main) return { code: main.code ?? null, name: main.name ?? null };
  const info = expressOf(excerpt)?.okvedInfo;
  if (info?.code) return { code: info.code, name: info.name ?? null };
  const summary = excerpt.excerpt?.okvedSummary?.main[0];
  return summary?.code ? { code: summary.code, name: summary.description ?? null } : null;
}

export function netIncome(excerpt: TbankExcerpt): TbankNetIncome | null {
  const income = expressOf(excerpt)?.netIncome;
  if (!income?.sum) return null;
  const year = /^\d{4}$/.test(income.periodName ?? '')
    ? Number(income.periodName)
    : income.dateEnd
      ? Number(income.dateEnd.slice(0, 4))
      : null;
  return { amount: income.sum, year, periodStart: income.dateBegin ?? null, periodEnd: income.dateEnd ?? null };
}

/** The general excerpt's leaders, else the SPARK block's. */
export function leaders(excerpt: TbankExcerpt): TbankLeader[] {
  const general = excerpt.excerpt?.leaders ?? [];
  const people = general.length > 0 ? general : (companyBlock(excerpt)?.leaders ?? []);
  return people
    .filter((leader) => leader.name !== undefined)
    .map((leader) => ({ name: leader.name!, position: leader.position ?? null, since: leader.actualDate ?? null }));
}

const COLOR: Record<string, TbankColor> = { red: 'RED', yellow: 'YELLOW', green: 'GREEN', none: 'NONE' };

export function trafficLight(excerpt: TbankExcerpt): TbankTrafficLight | null {
  const general = excerpt.excerpt;
  if (!general) return null;
  const counts = general.trafficLightColors;
  return {
    red: int32(counts?.redCount),
    yellow: int32(counts?.yellowCount),
    green: int32(counts?.greenCount),
    checks: [...general.checkResult, ...general.innerCheckResult].map(({ check, color }) => ({ check, color: COLOR[color] ?? 'NONE' })),
  };
}

/** T-Bank's risk level, read from its check's colour (the value's scale is undocumented, §8.8). */
const RISK_LEVELS: Record<string, TbankRiskLevel> = { red: 'HIGH', yellow: 'MEDIUM', green: 'LOW', none: 'NOT_ASSESSED' };

export function riskLevel(excerpt: TbankExcerpt): TbankRiskLevel | null {
  const check = excerpt.excerpt?.riskLevel;
  return check ? RISK_LEVELS[check.color]! : null;
}

export function riskLevelValue(excerpt: TbankExcerpt): number | null {
  return excerpt.excerpt?.riskLevel?.value ?? null;
}

export function taxDebt(excerpt: TbankExcerpt): TbankTaxDebt | null {
  const debt = excerpt.excerpt?.taxDebt;
  return debt?.value ? { amount: debt.value.amount, date: debt.value.date, color: COLOR[debt.color]! } : null;
}

/** The four indicators of financialStatementsData by year, newest first; the block's own year fills from the top-level values. */
export function finance(excerpt: TbankExcerpt): TbankFinanceYear[] {
  const data = excerpt.excerpt?.financialStatementsResponse?.financialStatementsData;
  if (!data) return [];
  const years = new Map<number, TbankFinanceYear>();
  const row = (year: number) => {
    let found = years.get(year);
    if (!found) {
      found = { year, revenue: null, profit: null, accountsPayable: null, accountsReceivable: null };
      years.set(year, found);
    }
    return found;
  };
  for (const key of ['revenue', 'profit', 'accountsPayable', 'accountsReceivable'] as const) {
    const indicator = data[key];
    for (const item of indicator.values) if (item.value !== undefined) row(item.year)[key] = item.value;
    if (indicator.value !== undefined && row(data.year)[key] === null) row(data.year)[key] = indicator.value;
  }
  return [...years.values()]
    .filter((year) => year.revenue !== null || year.profit !== null || year.accountsPayable !== null || year.accountsReceivable !== null)
    .sort((a, b) => b.year - a.year);
}

const FINANCE_REASONS: Record<string, TbankFinanceReasonCode> = {
  isEntrepreneur: 'ENTREPRENEUR',
  lessThanYear: 'LESS_THAN_YEAR',
  noData: 'NO_DATA',
};

export function financeReason(excerpt: TbankExcerpt): TbankFinanceReason | null {
  const reason = excerpt.excerpt?.financialStatementsResponse?.reason;
  return reason ? { code: FINANCE_REASONS[reason.reasonCode]!, text: reason.reasonText } : null;
}

export function financeYears(excerpt: TbankExcerpt): TbankYearRange | null {
  const years = expressOf(excerpt)?.financeYears;
  const from = int32(years?.minYear);
  const to = int32(years?.maxYear);
  return from !== null && to !== null ? { from, to } : null;
}

export function statements(excerpt: TbankExcerpt): TbankStatementPeriod[] {
  return (companyBlock(excerpt)?.finance?.periods ?? []).map((period) => ({
    year: /^\d{4}$/.test(period.periodName ?? '') ? Number(period.periodName) : period.dateEnd ? Number(period.dateEnd.slice(0, 4)) : null,
    periodStart: period.dateBegin ?? null,
    periodEnd: period.dateEnd ?? null,
    lines: period.data.map((line) => ({
      code: line.code ?? null,
      name: line.name ?? null,
      form: line.form ?? null,
      section: line.section ?? null,
      value: line.value ?? null,
    })),
  }));
}

export function founders(excerpt: TbankExcerpt): TbankFounder[] {
  return (excerpt.excerpt?.founders ?? []).map((founder) => ({
    name: founder.name,
    nominalValue: founder.nominalCostAmount ?? null,
    sharePercent: founder.sharePercent ?? null,
  }));
}

const LICENCE_STATUS: Record<TbankLicenceValue['status'], TbankLicenceStatus> = {
  active: 'ACTIVE',
  inactive: 'INACTIVE',
  unknown: 'UNKNOWN',
};

export function licences(excerpt: TbankExcerpt): TbankLicence[] {
  return (excerpt.excerpt?.licenses ?? []).map((licence) => ({
    number: licence.no ?? null,
    authority: licence.authorityName ?? null,
    issuedOn: licence.date ?? null,
    validFrom: licence.startDate ?? null,
    validTo: licence.endDate ?? null,
    addresses: licence.address,
    activities: licence.activity,
    status: LICENCE_STATUS[licence.status],
  }));
}

export function licenceSummary(excerpt: TbankExcerpt): TbankLicenceSummary | null {
  const summary = excerpt.excerpt?.licenseSummary;
  return summary ? { total: int32(summary.total), active: int32(summary.active), inactive: int32(summary.inactive) } : null;
}

export function relatedCompanies(excerpt: TbankExcerpt): TbankRelatedCompany[] {
  return (excerpt.excerpt?.relatedCompanies ?? []).map((company) => ({
    name: company.name ?? null,
    ogrn: company.ogrn,
    inn: company.inn ?? null,
  }));
}

export function relationSummary(excerpt: TbankExcerpt): TbankRelationSummary | null {
  const summary = excerpt.excerpt?.relationSummary;
  return summary
    ? { total: int32(summary.total), byFounder: int32(summary.relatedByFounder), byHead: int32(summary.relatedByConfidant) }
    : null;
}
