/**
 * The Kontur.Focus `/analytics` indicator catalog: all 149 documented keys, in the order of the vendor
 * reference (shared/vendors/kontur-focus.md §3, itself from Kontur's schema-generated descriptions, ~2020).
 *
 * The key prefix gives the value type:
 *   m → boolean (Kontur sends it only when true), q → integer count (q6001 is a year),
 *   s → roubles as a float (may be negative, 0 or beyond 32 bits), d → `YYYY-MM-DD` date, e → enum string.
 *
 * `field` is the GraphQL field name on `Analytics` (schema/analytics.graphql is generated from this
 * list by scripts/generate-analytics-schema.ts). Naming conventions:
 *   - periods as suffixes: `12m` (last 12 months), `3m` (last 3 months), `3y` (last 3 years), `AllTime`;
 *   - a `q`/`s` pair with the same number shares a stem: `…Count…` / `…Amount…`
 *     (arbitration: `…Cases…` / `…ClaimsAmount…`);
 *   - booleans are plain predicates (`massRegistrationAddress`, `bankruptcyCompleted`).
 *
 * Kontur adds keys over time (d6014, e6014, d7014, m7043–m7046, m7049, q9002–q9004 are known to exist with
 * unknown meanings); those are not named here and only surface through the raw `indicators` list.
 */

export type AnalyticsValueType = 'BOOLEAN' | 'INT' | 'FLOAT' | 'DATE' | 'STRING';

export interface AnalyticsIndicatorDef {
  /** Kontur key, e.g. `m5003`. */
  code: string;
  /** GraphQL field name on `Analytics`, e.g. `massRegistrationAddress`. */
  field: string;
  type: AnalyticsValueType;
  /** Topic group, e.g. `Arbitration`. */
  group: string;
  /** English meaning, with the Russian term in «…» where Kontur's wording matters. */
  description: string;
}

const FSSP = 'Enforcement proceedings (FSSP)';
const PLEDGES = 'Pledges';
const ARBITRATION = 'Arbitration';
const PROCUREMENT = 'Procurement';
const FNS = 'FNS registers';
const FINANCE = 'Finance';
const LEGAL = 'Legal attributes';
const SANCTIONS = 'Sanctions and web';
const TRADEMARKS = 'Trademarks';

function def(code: string, field: string, type: AnalyticsValueType, group: string, description: string): AnalyticsIndicatorDef {
  return Object.freeze({ code, field, type, group, description });
}

const SIMILAR = 'organisations with similar requisites («схожими реквизитами», a fuzzy match)';
const PUBLISHED_AUG = 'FNS open data for the year before publication, published yearly on 1 August';
const PUBLISHED_OCT = 'FNS open data, published yearly on 1 October';
const PUBLISHED_DEC = 'FNS open data, published yearly on 1 December';

export const ANALYTICS_INDICATORS: readonly AnalyticsIndicatorDef[] = Object.freeze([
  // ── Enforcement proceedings (ФССП) ────────────────────────────────────────────────────────────
  def(
    'q1001',
    'fsspProceedingsCount12m',
    'INT',
    FSSP,
    `Number of enforcement proceedings («исполнительные производства») found against ${SIMILAR}, last 12 months.`,
  ),
  def(
    's1001',
    'fsspProceedingsAmount12m',
    'FLOAT',
    FSSP,
    `Total amount in roubles of enforcement proceedings found against ${SIMILAR}, last 12 months.`,
  ),
  def(
    'q1002',
    'fsspProceedingsCountAllTime',
    'INT',
    FSSP,
    `Number of enforcement proceedings found against ${SIMILAR}, all time («всего»).`,
  ),
  def(
    's1002',
    'fsspProceedingsAmountAllTime',
    'FLOAT',
    FSSP,
    `Total amount in roubles of enforcement proceedings found against ${SIMILAR}, all time («всего»).`,
  ),
  def(
    'm1003',
    'fsspWageProceedings',
    'BOOLEAN',
    FSSP,
    `Enforcement proceedings over wages («заработная плата») were found against ${SIMILAR}.`,
  ),
  def(
    'm1004',
    'fsspPropertyArrestProceedings',
    'BOOLEAN',
    FSSP,
    `Enforcement proceedings for arrest of property («наложение ареста») were found against ${SIMILAR}.`,
  ),
  def(
    'm1005',
    'fsspLoanPaymentProceedings',
    'BOOLEAN',
    FSSP,
    `Enforcement proceedings over loan/credit payments («кредитные платежи») were found against ${SIMILAR}.`,
  ),
  def(
    'm1006',
    'fsspPledgeForeclosureProceedings',
    'BOOLEAN',
    FSSP,
    `Enforcement proceedings for foreclosure on pledged property («обращение взыскания на заложенное имущество») were found against ${SIMILAR}.`,
  ),
  def(
    's1007',
    'fsspTaxesAndLeviesAmountAllTime',
    'FLOAT',
    FSSP,
    `Total amount in roubles of enforcement proceedings over taxes and levies («налоги и сборы») against ${SIMILAR}, all time.`,
  ),
  def(
    's1008',
    'fsspInsuranceContributionsAmountAllTime',
    'FLOAT',
    FSSP,
    `Total amount in roubles of enforcement proceedings over insurance contributions («страховые взносы») against ${SIMILAR}, all time.`,
  ),

  // ── Pledges (залоги) ──────────────────────────────────────────────────────────────────────────
  def(
    'q1101',
    'movablePledgesAsPledgorCount',
    'INT',
    PLEDGES,
    'Number of notices of pledges of movable property («уведомления о залогах движимого имущества») with the company as pledgor («залогодатель»).',
  ),
  def(
    'q1102',
    'movablePledgesAsPledgeeCount',
    'INT',
    PLEDGES,
    'Number of notices of pledges of movable property («уведомления о залогах движимого имущества») with the company as pledgee («залогодержатель»).',
  ),

  // ── Arbitration: volume ───────────────────────────────────────────────────────────────────────
  def(
    'q2001',
    'defendantCases12m',
    'INT',
    ARBITRATION,
    "Arbitration cases with the company as defendant («ответчик»), last 12 months (Kontur's estimate).",
  ),
  def(
    's2001',
    'defendantClaimsAmount12m',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases with the company as defendant («ответчик»), last 12 months (Kontur's estimate).",
  ),
  def(
    'q2002',
    'defendantCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases with the company as defendant («ответчик»), last 3 years (Kontur's estimate).",
  ),
  def(
    's2002',
    'defendantClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases with the company as defendant («ответчик»), last 3 years (Kontur's estimate).",
  ),
  def(
    'q2003',
    'plaintiffCases12m',
    'INT',
    ARBITRATION,
    "Arbitration cases with the company as plaintiff («истец»), last 12 months (Kontur's estimate).",
  ),
  def(
    's2003',
    'plaintiffClaimsAmount12m',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases with the company as plaintiff («истец»), last 12 months (Kontur's estimate).",
  ),
  def(
    'q2004',
    'plaintiffCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases with the company as plaintiff («истец»), last 3 years (Kontur's estimate).",
  ),
  def(
    's2004',
    'plaintiffClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases with the company as plaintiff («истец»), last 3 years (Kontur's estimate).",
  ),

  // ── Arbitration: outcomes as defendant ────────────────────────────────────────────────────────
  def(
    'q2011',
    'defendantLostCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases lost («проигранных») as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    's2011',
    'defendantLostClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases lost («проигранных») as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2012',
    'defendantPartiallyLostCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases partially lost («частично проигранных») as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    's2012',
    'defendantPartiallyLostClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases partially lost («частично проигранных») as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2013',
    'defendantNotLostCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases not lost («не проигранных») as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    's2013',
    'defendantNotLostClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases not lost («не проигранных») as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2014',
    'defendantPendingCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases still pending («в процессе рассмотрения») with the company as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    's2014',
    'defendantPendingClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in pending arbitration cases («в процессе рассмотрения») with the company as defendant, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2015',
    'defendantUndeterminedCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases as defendant whose outcome could not be determined, last 3 years (Kontur's estimate).",
  ),
  def(
    's2015',
    'defendantUndeterminedClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as defendant whose outcome could not be determined, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2016',
    'defendantLostCases12m',
    'INT',
    ARBITRATION,
    "Arbitration cases lost («проигранных») as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    's2016',
    'defendantLostClaimsAmount12m',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases lost («проигранных») as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    'q2017',
    'defendantPartiallyLostCases12m',
    'INT',
    ARBITRATION,
    "Arbitration cases partially lost («частично проигранных») as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    's2017',
    'defendantPartiallyLostClaimsAmount12m',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases partially lost («частично проигранных») as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    'q2018',
    'defendantNotLostCases12m',
    'INT',
    ARBITRATION,
    "Arbitration cases not lost («не проигранных») as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    's2018',
    'defendantNotLostClaimsAmount12m',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases not lost («не проигранных») as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    'q2019',
    'defendantPendingCases12m',
    'INT',
    ARBITRATION,
    "Arbitration cases still pending («в процессе рассмотрения») with the company as defendant, last 12 months (Kontur's estimate).",
  ),
  def(
    's2019',
    'defendantPendingClaimsAmount12m',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in pending arbitration cases («в процессе рассмотрения») with the company as defendant, last 12 months (Kontur's estimate).",
  ),

  // ── Arbitration: outcomes as plaintiff ────────────────────────────────────────────────────────
  def(
    'q2021',
    'plaintiffNotWonCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases not won («не выигранных») as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    's2021',
    'plaintiffNotWonClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases not won («не выигранных») as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2022',
    'plaintiffPartiallyWonCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases partially won («частично выигранных») as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    's2022',
    'plaintiffPartiallyWonClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases partially won («частично выигранных») as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2023',
    'plaintiffWonCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases won («выигранных») as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    's2023',
    'plaintiffWonClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases won («выигранных») as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2024',
    'plaintiffPendingCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases still pending («в процессе рассмотрения») with the company as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    's2024',
    'plaintiffPendingClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in pending arbitration cases («в процессе рассмотрения») with the company as plaintiff, last 3 years (Kontur's estimate).",
  ),
  def(
    'q2025',
    'plaintiffUndeterminedCases3y',
    'INT',
    ARBITRATION,
    "Arbitration cases as plaintiff whose outcome could not be determined, last 3 years (Kontur's estimate).",
  ),
  def(
    's2025',
    'plaintiffUndeterminedClaimsAmount3y',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as plaintiff whose outcome could not be determined, last 3 years (Kontur's estimate).",
  ),

  // ── Arbitration: categories as defendant (Kontur states no period) ────────────────────────────
  def(
    'q2031',
    'defendantBankruptcyCases',
    'INT',
    ARBITRATION,
    "Arbitration cases as defendant related to a bankruptcy procedure («процедура банкротства»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    's2031',
    'defendantBankruptcyClaimsAmount',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as defendant related to a bankruptcy procedure («процедура банкротства»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    'q2032',
    'defendantLoanCreditLeasingCases',
    'INT',
    ARBITRATION,
    "Arbitration cases as defendant over loan, credit or leasing agreements («займ, кредит, лизинг»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    's2032',
    'defendantLoanCreditLeasingClaimsAmount',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as defendant over loan, credit or leasing agreements («займ, кредит, лизинг»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    'q2033',
    'defendantTaxCases',
    'INT',
    ARBITRATION,
    "Arbitration cases as defendant related to taxes (claims by tax authorities, tax collection, appeals against their decisions); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    's2033',
    'defendantTaxClaimsAmount',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as defendant related to taxes (claims by tax authorities, tax collection, appeals against their decisions); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    'q2034',
    'defendantServiceContractCases',
    'INT',
    ARBITRATION,
    "Arbitration cases as defendant over service contracts («оказание услуг»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    's2034',
    'defendantServiceContractClaimsAmount',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as defendant over service contracts («оказание услуг»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    'q2035',
    'defendantSupplyContractCases',
    'INT',
    ARBITRATION,
    "Arbitration cases as defendant over supply contracts («поставка»); no period stated by Kontur (Kontur's estimate).",
  ),
  def(
    's2035',
    'defendantSupplyContractClaimsAmount',
    'FLOAT',
    ARBITRATION,
    "Total claims in roubles in arbitration cases as defendant over supply contracts («поставка»); no period stated by Kontur (Kontur's estimate).",
  ),

  // ── Public procurement (госконтракты) ─────────────────────────────────────────────────────────
  def(
    'm4001',
    'unscrupulousSupplier',
    'BOOLEAN',
    PROCUREMENT,
    'Listed in the register of unscrupulous suppliers («реестр недобросовестных поставщиков», РНП) of FAS and the Federal Treasury.',
  ),
  def(
    'q4002',
    'supplierContractsCount12m',
    'INT',
    PROCUREMENT,
    'Public contracts (44-FZ and 223-FZ) with the company as supplier, last 12 months.',
  ),
  def(
    's4002',
    'supplierContractsAmount12m',
    'FLOAT',
    PROCUREMENT,
    "Total value in roubles of public contracts (44-FZ and 223-FZ) with the company as supplier, last 12 months (Kontur's estimate).",
  ),
  def(
    'q4003',
    'supplierContractsCountAllTime',
    'INT',
    PROCUREMENT,
    'Public contracts (44-FZ and 223-FZ) with the company as supplier, all time.',
  ),
  def(
    's4003',
    'supplierContractsAmountAllTime',
    'FLOAT',
    PROCUREMENT,
    "Total value in roubles of public contracts (44-FZ and 223-FZ) with the company as supplier, all time (Kontur's estimate).",
  ),
  def(
    'q4004',
    'customerContractsCount12m',
    'INT',
    PROCUREMENT,
    'Public contracts (44-FZ and 223-FZ) with the company as customer, last 12 months.',
  ),
  def(
    's4004',
    'customerContractsAmount12m',
    'FLOAT',
    PROCUREMENT,
    "Total value in roubles of public contracts (44-FZ and 223-FZ) with the company as customer, last 12 months (Kontur's estimate).",
  ),
  def(
    'q4005',
    'customerContractsCountAllTime',
    'INT',
    PROCUREMENT,
    'Public contracts (44-FZ and 223-FZ) with the company as customer, all time.',
  ),
  def(
    's4005',
    'customerContractsAmountAllTime',
    'FLOAT',
    PROCUREMENT,
    "Total value in roubles of public contracts (44-FZ and 223-FZ) with the company as customer, all time (Kontur's estimate).",
  ),

  // ── FNS special registers ─────────────────────────────────────────────────────────────────────
  def(
    'm5001',
    'disqualifiedHeadOrFounderLegacy',
    'BOOLEAN',
    FNS,
    "Legacy; prefer `disqualifiedHead` (m5008). A head's or founder's name was found in the FNS register of disqualified persons («реестр дисквалифицированных лиц»).",
  ),
  def(
    'm5002',
    'noContactAtAddressLegacy',
    'BOOLEAN',
    FNS,
    'Legacy; prefer `unreliableAddress` (m5006). The former FNS "no contact at the stated address" marker, now fed from the ЕГРЮЛ inaccuracy mark («недостоверность») on the address.',
  ),
  def(
    'm5003',
    'massRegistrationAddress',
    'BOOLEAN',
    FNS,
    "The company's address is on the FNS list of mass-registration addresses («адреса массовой регистрации»).",
  ),
  def(
    'm5004',
    'taxDebtSentToBailiffs',
    'BOOLEAN',
    FNS,
    'On the FNS list of legal entities with tax debts over 1,000 roubles sent to bailiffs for collection.',
  ),
  def(
    'm5005',
    'noTaxReportingOverYear',
    'BOOLEAN',
    FNS,
    'On the FNS list of legal entities that have not filed tax reports for over a year.',
  ),
  def('m5006', 'unreliableAddress', 'BOOLEAN', FNS, "ЕГРЮЛ carries an inaccuracy mark («недостоверность») on the company's address."),
  def(
    'm5007',
    'unreliableHeadOrFounders',
    'BOOLEAN',
    FNS,
    'ЕГРЮЛ carries an inaccuracy mark («недостоверность») on the head or the founders.',
  ),
  def(
    'm5008',
    'disqualifiedHead',
    'BOOLEAN',
    FNS,
    "A head's name was found in the FNS register of disqualified persons («реестр дисквалифицированных лиц») or in the ЕГРЮЛ extract.",
  ),
  def(
    'm5009',
    'massHead',
    'BOOLEAN',
    FNS,
    'The head is on the FNS list of "mass" heads («массовый руководитель»), heading many companies.',
  ),
  def(
    'm5010',
    'massFounder',
    'BOOLEAN',
    FNS,
    'A founder is on the FNS list of "mass" founders («массовый учредитель»), founding many companies.',
  ),

  // ── Finance ───────────────────────────────────────────────────────────────────────────────────
  def(
    'q6001',
    'latestStatementsYear',
    'INT',
    FINANCE,
    'Year of the latest accounting statements available for the company (e.g. 2018); the s6003–s6008 figures refer to it. Can predate all /buh data.',
  ),
  def(
    'm6002',
    'latestYearStatementsAvailable',
    'BOOLEAN',
    FINANCE,
    'Accounting statements for the last reporting year are available (once Kontur.Focus has them).',
  ),
  def(
    's6003',
    'revenuePreviousYear',
    'FLOAT',
    FINANCE,
    'Revenue («выручка») in roubles at the start of the reporting period, i.e. the year before `latestStatementsYear` (/buh line 2110 startValue).',
  ),
  def(
    's6004',
    'revenue',
    'FLOAT',
    FINANCE,
    'Revenue («выручка») in roubles for `latestStatementsYear`, the period-end value (/buh line 2110 endValue).',
  ),
  def(
    's6005',
    'balanceTotalPreviousYear',
    'FLOAT',
    FINANCE,
    'Balance-sheet total («баланс») in roubles at the start of the reporting period of `latestStatementsYear` (/buh line 1600 startValue).',
  ),
  def(
    's6006',
    'balanceTotal',
    'FLOAT',
    FINANCE,
    'Balance-sheet total («баланс») in roubles at the end of `latestStatementsYear` (/buh line 1600 endValue).',
  ),
  def(
    's6007',
    'netProfitPreviousYear',
    'FLOAT',
    FINANCE,
    'Net profit («чистая прибыль») in roubles at the start of the reporting period, i.e. the year before `latestStatementsYear` (/buh line 2400 startValue); negative for a loss.',
  ),
  def(
    's6008',
    'netProfit',
    'FLOAT',
    FINANCE,
    'Net profit («чистая прибыль») in roubles for `latestStatementsYear` (/buh line 2400 endValue); negative for a loss.',
  ),
  def(
    's6009',
    'taxesPaidLastYear',
    'FLOAT',
    FINANCE,
    `Total taxes and levies («налоги и сборы») paid in roubles in the year before publication (${PUBLISHED_OCT}); 0 occurs.`,
  ),
  def(
    's6010',
    'reportedIncomeLastYear',
    'FLOAT',
    FINANCE,
    `Income in roubles per the accounting statements for the year before publication (${PUBLISHED_OCT}).`,
  ),
  def(
    's6011',
    'reportedExpensesLastYear',
    'FLOAT',
    FINANCE,
    `Expenses in roubles per the accounting statements for the year before publication (${PUBLISHED_OCT}).`,
  ),
  def(
    's6012',
    'taxArrears',
    'FLOAT',
    FINANCE,
    `Tax arrears («задолженность по налогам») in roubles at 31 December of the year before publication, still unpaid by 1 October (${PUBLISHED_DEC}).`,
  ),
  def(
    's6013',
    'unpaidTaxFines',
    'FLOAT',
    FINANCE,
    `Fines for tax offences («штрафы за налоговые правонарушения») in roubles imposed in the year before publication, still unpaid by 1 October (${PUBLISHED_DEC}).`,
  ),

  // ── Legal attributes (юр. признаки) ───────────────────────────────────────────────────────────
  def(
    'm7001',
    'additionalCheckRecommended',
    'BOOLEAN',
    LEGAL,
    '«Рекомендована дополнительная проверка» (additional check recommended): the company resembles companies that went dormant after a change of head or founders (nominee risk).',
  ),
  def('m7002', 'registeredLessThan3MonthsAgo', 'BOOLEAN', LEGAL, 'Registered less than 3 months ago.'),
  def('m7003', 'registeredLessThan6MonthsAgo', 'BOOLEAN', LEGAL, 'Registered less than 6 months ago.'),
  def('m7004', 'registeredLessThan12MonthsAgo', 'BOOLEAN', LEGAL, 'Registered less than 12 months ago.'),
  def('q7005', 'bankruptRelatedCompaniesCount', 'INT', LEGAL, "Related companies liquidated through bankruptcy (Kontur's estimate)."),
  def(
    'q7006',
    'sameOfficeActiveEntitiesCount',
    'INT',
    LEGAL,
    'Active (not liquidated) legal entities registered at the same address including the office number, now.',
  ),
  def(
    'q7007',
    'sameAddressActiveEntitiesCount',
    'INT',
    LEGAL,
    'Active (not liquidated) legal entities registered at the same address ignoring the office number, now.',
  ),
  def(
    'q7008',
    'sameOfficeEntitiesEverCount',
    'INT',
    LEGAL,
    'Legal entities ever registered at the same address including the office number, all time.',
  ),
  def(
    'q7009',
    'sameAddressEntitiesEverCount',
    'INT',
    LEGAL,
    'Legal entities ever registered at the same address ignoring the office number, all time.',
  ),
  def(
    'd7010',
    'blockedBankAccountsCheckedOn',
    'DATE',
    LEGAL,
    "Date Kontur last checked for FNS restrictions on the company's bank-account operations (blocked accounts); `blockedBankAccounts` is as of this date.",
  ),
  def(
    'm7010',
    'blockedBankAccounts',
    'BOOLEAN',
    LEGAL,
    "FNS restrictions on the company's bank-account operations (blocked accounts) as of `blockedBankAccountsCheckedOn`.",
  ),
  def('m7013', 'bankruptcyCaseFiled3m', 'BOOLEAN', LEGAL, 'Arbitration cases on bankruptcy («дела о банкротстве») found, last 3 months.'),
  def(
    'e7014',
    'bankruptcyStage',
    'STRING',
    LEGAL,
    "Current bankruptcy stage, derived from bankruptcy notices, as Kontur's Russian text: Наблюдение, Финансовое оздоровление, Внешнее управление, Конкурсное производство, Конкурсное производство завершено, Реструктуризация долгов, Реструктуризация долгов завершена, Реализация имущества, Реализация имущества завершена, Производство по делу прекращено, Отказано в признании должника банкротом, Не удалось определить стадию.",
  ),
  def('m7014', 'bankruptcyNoticePublished12m', 'BOOLEAN', LEGAL, 'Bankruptcy notices («сообщения о банкротстве») found, last 12 months.'),
  def(
    'm7015',
    'bankruptcyIntentNoticePublished3m',
    'BOOLEAN',
    LEGAL,
    'Notices of intent to file a bankruptcy petition («намерение обратиться в суд с заявлением о банкротстве») found, last 3 months.',
  ),
  def('m7016', 'bankruptcyCompleted', 'BOOLEAN', LEGAL, 'Signs of a completed bankruptcy procedure («завершённая процедура банкротства»).'),
  def(
    'q7017',
    'foundedEntitiesCount',
    'INT',
    LEGAL,
    'Legal entities in whose charter capital the company holds a share (entities it founded).',
  ),
  def(
    'q7018',
    'sameHeadActiveEntitiesCount',
    'INT',
    LEGAL,
    "Active (not liquidated) legal entities whose current head is this company's current head, matched by personal INN («ИННФЛ») when known.",
  ),
  def(
    'q7019',
    'sameHeadActiveEntitiesByNameCount',
    'INT',
    LEGAL,
    "Active (not liquidated) legal entities whose current head is this company's current head, matched by full name («ФИО») only.",
  ),
  def(
    'q7020',
    'sameHeadEntitiesEverCount',
    'INT',
    LEGAL,
    "Legal entities where this company's current head is or was the head, matched by personal INN («ИННФЛ») when known, all time.",
  ),
  def(
    'q7021',
    'sameHeadEntitiesEverByNameCount',
    'INT',
    LEGAL,
    "Legal entities where this company's current head is or was the head, matched by full name («ФИО») only, all time.",
  ),
  def(
    'm7022',
    'headOrFounderPersonalBankruptcyNotice12m',
    'BOOLEAN',
    LEGAL,
    'Personal-bankruptcy notices about an individual who is the head (signing without power of attorney), a founder, or the entrepreneur (ИП) themself, last 12 months; the notices need review.',
  ),
  def(
    'q7022',
    'averageHeadcount',
    'INT',
    LEGAL,
    `Average headcount («среднесписочная численность») for the calendar year before publication (${PUBLISHED_AUG}).`,
  ),
  def(
    'd7023',
    'smeRegisterIncludedOn',
    'DATE',
    LEGAL,
    'Date the company was included in the FNS register of small and medium-sized enterprises («реестр МСП»).',
  ),
  def(
    'm7023',
    'smeMicroEnterprise',
    'BOOLEAN',
    LEGAL,
    'Micro-enterprise category («микропредприятие») in the FNS register of small and medium-sized enterprises («реестр МСП»).',
  ),
  def(
    'm7024',
    'smeSmallEnterprise',
    'BOOLEAN',
    LEGAL,
    'Small-enterprise category («малое предприятие») in the FNS register of small and medium-sized enterprises («реестр МСП»).',
  ),
  def(
    'm7025',
    'smeMediumEnterprise',
    'BOOLEAN',
    LEGAL,
    'Medium-enterprise category («среднее предприятие») in the FNS register of small and medium-sized enterprises («реестр МСП»).',
  ),
  def(
    'm7026',
    'founderPersonalBankruptcyNotice12m',
    'BOOLEAN',
    LEGAL,
    'Personal-bankruptcy notices about an individual who is a founder, or the entrepreneur (ИП) themself, last 12 months; the notices need review.',
  ),
  def(
    'q7026',
    'bankruptcyCasesAsDefendantCount',
    'INT',
    LEGAL,
    'Arbitration bankruptcy cases («дела о банкротстве») with the company as defendant, all time; a case does not necessarily mean a procedure has started.',
  ),
  def('m7027', 'simplifiedTaxSystem', 'BOOLEAN', LEGAL, `Uses the simplified tax system («УСН») at 31 December (${PUBLISHED_AUG}).`),
  def('m7028', 'imputedIncomeTax', 'BOOLEAN', LEGAL, `Pays the unified tax on imputed income («ЕНВД») at 31 December (${PUBLISHED_AUG}).`),
  def('m7029', 'unifiedAgriculturalTax', 'BOOLEAN', LEGAL, `Pays the unified agricultural tax («ЕСХН») at 31 December (${PUBLISHED_AUG}).`),
  def(
    'm7030',
    'productionSharingAgreement',
    'BOOLEAN',
    LEGAL,
    `Operates under a production-sharing agreement («СРП») at 31 December (${PUBLISHED_AUG}).`,
  ),
  def(
    'm7031',
    'consolidatedTaxpayerGroupMember',
    'BOOLEAN',
    LEGAL,
    `Member of a consolidated group of taxpayers («консолидированная группа налогоплательщиков») at 31 December (${PUBLISHED_AUG}).`,
  ),
  def(
    'm7032',
    'consolidatedTaxpayerGroupResponsibleMember',
    'BOOLEAN',
    LEGAL,
    `Responsible member of a consolidated group of taxpayers («консолидированная группа налогоплательщиков») at 31 December (${PUBLISHED_AUG}).`,
  ),
  def(
    'm7033',
    'strategicEnterprise',
    'BOOLEAN',
    LEGAL,
    'On the list of strategic enterprises and strategic joint-stock companies (Presidential Decree No. 1009 of 04.08.2004).',
  ),
  def(
    'm7034',
    'goldenShareCompany',
    'BOOLEAN',
    LEGAL,
    'Joint-stock company in which the state holds a "golden share" («золотая акция»; Government order No. 91-р).',
  ),
  def('m7035', 'nostroyMember', 'BOOLEAN', LEGAL, 'Member of a self-regulatory organisation in the НОСТРОЙ register (construction).'),
  def(
    'm7036',
    'noprizMember',
    'BOOLEAN',
    LEGAL,
    'Member of a self-regulatory organisation in the НОПРИЗ register (design and engineering survey).',
  ),
  def('m7037', 'plannedLiquidationFiling', 'BOOLEAN', LEGAL, 'ЕГРЮЛ filings in the last month about a planned liquidation.'),
  def(
    'm7038',
    'headChangeFiling',
    'BOOLEAN',
    LEGAL,
    'Pending or refused ЕГРЮЛ filings in the last month to change the head or the management company.',
  ),
  def(
    'm7039',
    'ownersChangeFiling',
    'BOOLEAN',
    LEGAL,
    'Pending or refused ЕГРЮЛ filings in the last month to change the participants (owners).',
  ),
  def(
    'm7040',
    'legalAddressChangeFiling',
    'BOOLEAN',
    LEGAL,
    'Pending or refused ЕГРЮЛ filings in the last month to change the legal address.',
  ),
  def(
    'm7041',
    'charterCapitalChangeFiling',
    'BOOLEAN',
    LEGAL,
    'Pending or refused ЕГРЮЛ filings in the last month to change the charter capital («уставный капитал»).',
  ),
  def(
    'm7042',
    'entrepreneurTerminationFiling',
    'BOOLEAN',
    LEGAL,
    'ЕГРИП filings in the last month to terminate the individual entrepreneur (ИП) activity.',
  ),

  // ── Sanctions and websites ────────────────────────────────────────────────────────────────────
  def('m8001', 'usSanctions', 'BOOLEAN', SANCTIONS, 'On the United States sanctions list.'),
  def('q8001', 'websitesCount', 'INT', SANCTIONS, 'Number of websites that may belong to the company (potential company websites).'),
  def('m8002', 'usSectoralSanctions', 'BOOLEAN', SANCTIONS, 'On the United States sectoral sanctions list.'),
  def('m8003', 'euSanctions', 'BOOLEAN', SANCTIONS, 'On the European Union sanctions list.'),
  def('m8004', 'ukSanctions', 'BOOLEAN', SANCTIONS, 'On the United Kingdom sanctions list.'),
  def('m8005', 'ukraineSanctions', 'BOOLEAN', SANCTIONS, 'On the Ukrainian sanctions list.'),
  def('m8006', 'swissSanctions', 'BOOLEAN', SANCTIONS, 'On the Swiss sanctions list.'),
  def(
    'm8007',
    'usSanctionedOwnersAtLeast50Percent',
    'BOOLEAN',
    SANCTIONS,
    'Co-owners under United States sanctions together hold at least 50% of the company.',
  ),
  def(
    'm8008',
    'usSectoralSanctionedOwnersAtLeast50Percent',
    'BOOLEAN',
    SANCTIONS,
    'Co-owners under United States sectoral sanctions together hold at least 50% of the company.',
  ),
  def(
    'm8009',
    'euSanctionedOwnersAtLeast50Percent',
    'BOOLEAN',
    SANCTIONS,
    'Co-owners under European Union sanctions together hold at least 50% of the company.',
  ),
  def(
    'm8010',
    'ukSanctionedOwnersAtLeast50Percent',
    'BOOLEAN',
    SANCTIONS,
    'Co-owners under United Kingdom sanctions together hold at least 50% of the company.',
  ),
  def(
    'm8011',
    'ukraineSanctionedOwnersAtLeast50Percent',
    'BOOLEAN',
    SANCTIONS,
    'Co-owners under Ukrainian sanctions together hold at least 50% of the company.',
  ),
  def(
    'm8012',
    'swissSanctionedOwnersAtLeast50Percent',
    'BOOLEAN',
    SANCTIONS,
    'Co-owners under Swiss sanctions together hold at least 50% of the company.',
  ),

  // ── Trademarks ────────────────────────────────────────────────────────────────────────────────
  def('q9001', 'trademarksCount', 'INT', TRADEMARKS, 'Trademarks («товарные знаки»), active or not, that mention the company.'),
]);

export const ANALYTICS_BY_CODE: ReadonlyMap<string, AnalyticsIndicatorDef> = new Map(ANALYTICS_INDICATORS.map((d) => [d.code, d]));
