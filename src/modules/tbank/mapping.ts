import type {
  CompanyStatusCode,
  TbankActivity,
  TbankArbitration,
  TbankBank,
  TbankBankruptcyMessage as TbankBankruptcyMessageType,
  TbankColor,
  TbankFrozenAccounts,
  TbankLeader,
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
  TbankStatusType,
} from './vendor/schemas.ts';
import { excerptInn, registryBlock } from './vendor/identity.ts';

/**
 * How T-Bank's excerpt reads in the graph. Shared by the TbankCheck resolvers, the risk signals and the requisites
 * fallback, so every consumer reads the same block for the same fact:
 * - `companyType` decides which SPARK block is read (companyExcerpt or entrepreneurExcerpt), never which key is
 *   present (the vendor's own example fills both, §8.2);
 * - the express excerpt inside that block carries the summary indicators (same-info counts, negative lists, frozen
 *   accounts, net income, the latest bankruptcy notice).
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
