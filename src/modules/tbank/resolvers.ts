import type { GraphQLContext } from '../../common/context.ts';
import type { ContractStage, Resolvers, StateContractRole } from '../../generated/graphql.ts';
import type { TbankContract } from './vendor/schemas.ts';
import { emptyConnection, offsetConnection } from './connection.ts';
import {
  arbitration,
  bankruptcyMessage,
  companyBlock,
  enforcementProceedings,
  entrepreneurBlock,
  excerptInn,
  finance,
  financeReason,
  financeYears,
  founders,
  frozenAccounts,
  leaders,
  licenceSummary,
  licences,
  mainActivity,
  negativeLists,
  netIncome,
  registryBlock,
  relatedCompanies,
  relationSummary,
  riskLevel,
  riskLevelValue,
  sameInfo,
  statements,
  statusCodeOf,
  taxDebt,
  trafficLight,
} from './mapping.ts';
import { TBANK_PAGE_SIZE } from './service.ts';

/** T-Bank's contract stages in the graph's ContractStage (note the vendor's labels, §8.6). */
const STAGES: Record<TbankContract['stageCode'], ContractStage> = {
  execution: 'EXECUTION',
  completed: 'COMPLETED',
  canceled: 'TERMINATED', // "исполнение прекращено": performance terminated
  stopped: 'INVALIDATED', // "аннулировано": annulled
  unknown: 'UNKNOWN',
};

const ROLES: Record<NonNullable<TbankContract['role']>, StateContractRole> = { supplier: 'SUPPLIER', customer: 'CUSTOMER' };

/**
 * Company.tbankCheck and Company.stateContracts: resolver → per-request DataLoader → process-wide cache and in-flight
 * map (TbankService) → rate-limited T-Bank client. Both answer "nothing" without a T-Bank configuration.
 */
/** T-Bank's excerpt of an INN as the graph's TbankCheck; null without T-Bank or when it has no data. */
async function tbankCheckOf(inn: string, ctx: GraphQLContext) {
  if (!ctx.tbank) return null;
  const { value, fetchedAt } = await ctx.tbank.tbankExcerptEntry.load(inn);
  return value ? { excerpt: value, fetchedAt } : null;
}

export const resolvers: Resolvers = {
  // The registry extract's structured data, where T-Bank is configured: the same excerpt as Company.tbankCheck.
  Excerpt: {
    tbank: (excerpt, _args, ctx) => tbankCheckOf(excerpt.inn, ctx),
  },
  Company: {
    tbankCheck: (company, _args, ctx) => tbankCheckOf(company.inn, ctx),

    async stateContracts(company, { first, after }, ctx) {
      if (!ctx.tbank) return emptyConnection<TbankContract>(null);
      const pages = ctx.tbank.tbankContractsPage;
      // Contracts are listed by OGRN: the Company's own registration, else the one T-Bank's excerpt names.
      const ogrn = company.ogrn ?? (await ctx.tbank.tbankExcerpt.load(company.inn))?.companyCard.requisites.ogrn;
      if (!ogrn) return emptyConnection<TbankContract>(0);
      return offsetConnection<TbankContract>('stateContracts', { first, after }, TBANK_PAGE_SIZE, (offset) => pages.load({ ogrn, offset }));
    },
  },

  TbankCheck: {
    companyType: ({ excerpt }) => (excerpt.companyType === 'company' ? 'COMPANY' : 'ENTREPRENEUR'),
    ogrn: ({ excerpt }) => excerpt.companyCard.requisites.ogrn,
    inn: ({ excerpt }) => excerptInn(excerpt) ?? null,
    kpp: ({ excerpt }) => excerpt.companyCard.requisites.kpp ?? companyBlock(excerpt)?.kpp ?? null,
    shortName: ({ excerpt }) => excerpt.companyCard.requisites.shortName ?? companyBlock(excerpt)?.shortNameRus ?? null,
    fullName: ({ excerpt }) =>
      excerpt.companyCard.requisites.fullName ?? companyBlock(excerpt)?.fullNameRus ?? entrepreneurBlock(excerpt)?.fullNameRus ?? null,
    status: ({ excerpt }) => statusCodeOf(excerpt),
    statusText: ({ excerpt }) =>
      excerpt.companyCard.requisites.status ?? registryBlock(excerpt)?.status?.text ?? registryBlock(excerpt)?.status?.type ?? null,
    statusDate: ({ excerpt }) => registryBlock(excerpt)?.status?.date ?? null,
    registrationDate: ({ excerpt }) =>
      excerpt.companyCard.requisites.dateReg ?? companyBlock(excerpt)?.dateFirstReg ?? entrepreneurBlock(excerpt)?.dateReg ?? null,
    terminationDate: ({ excerpt }) =>
      excerpt.companyCard.statusType === 'liquidated' ? (excerpt.companyCard.requisites.terminationDt ?? null) : null,
    legalAddress: ({ excerpt }) => excerpt.companyCard.requisites.legalAddress ?? companyBlock(excerpt)?.address[0]?.address ?? null,
    negativeLists: ({ excerpt }) => negativeLists(excerpt),
    sameInfo: ({ excerpt }) => sameInfo(excerpt),
    frozenAccounts: ({ excerpt }) => frozenAccounts(excerpt),
    enforcementProceedings: ({ excerpt }) => enforcementProceedings(excerpt),
    arbitration: ({ excerpt }) => arbitration(excerpt),
    bankruptcyMessage: ({ excerpt }) => bankruptcyMessage(excerpt),
    mainActivity: ({ excerpt }) => mainActivity(excerpt),
    netIncome: ({ excerpt }) => netIncome(excerpt),
    leaders: ({ excerpt }) => leaders(excerpt),
    contractSummary: ({ excerpt }) => {
      const summary = excerpt.excerpt?.contractSummary;
      return summary
        ? {
            count: summary.count ?? null,
            admittedCount: summary.admittedCount ?? null,
            notAdmittedCount: summary.notAdmittedCount ?? null,
            totalValue: summary.totalValue ?? null,
          }
        : null;
    },
    trafficLight: ({ excerpt }) => trafficLight(excerpt),
    riskLevel: ({ excerpt }) => riskLevel(excerpt),
    riskLevelValue: ({ excerpt }) => riskLevelValue(excerpt),
    taxDebt: ({ excerpt }) => taxDebt(excerpt),
    finance: ({ excerpt }) => finance(excerpt),
    financeReason: ({ excerpt }) => financeReason(excerpt),
    financeYears: ({ excerpt }) => financeYears(excerpt),
    statements: ({ excerpt }) => statements(excerpt),
    founders: ({ excerpt }) => founders(excerpt),
    licences: ({ excerpt }) => licences(excerpt),
    licenceSummary: ({ excerpt }) => licenceSummary(excerpt),
    relatedCompanies: ({ excerpt }) => relatedCompanies(excerpt),
    relationSummary: ({ excerpt }) => relationSummary(excerpt),
    fetchedAt: ({ fetchedAt }) => new Date(fetchedAt).toISOString(),
  },

  StateContract: {
    contractId: (contract) => contract.contractId,
    counterpartyOgrn: (contract) => contract.counterpartyOgrn ?? null,
    role: (contract) => (contract.role ? ROLES[contract.role] : null),
    stage: (contract) => STAGES[contract.stageCode],
    purchaseObjectType: (contract) => contract.purchaseObjectTypeName ?? null,
    price: (contract) => contract.price ?? null,
  },
};
