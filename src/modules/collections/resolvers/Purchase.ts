import type {
  ContractResolvers,
  MoneyResolvers,
  PurchaseObjectResolvers,
  PurchasePartyResolvers,
  PurchaseResolvers,
} from '../../../generated/graphql.ts';
import { isValidInn } from '../../../domain/identifiers.ts';
import { loadCompany } from '../../company/index.ts';
import { contractStage, hasContract, purchaseLaw } from '../mapping.ts';

export const Purchase: PurchaseResolvers = {
  law: (purchase) => purchaseLaw(purchase.purchaseType),
  number: (purchase) => purchase.purchaseNumber ?? null,
  statusText: (purchase) => purchase.purchaseStateDescription ?? null,
  selectionMethod: (purchase) => purchase.selectionTypeDescription ?? null,
  subject: (purchase) => purchase.topicDescription ?? null,
  publishedOn: (purchase) => purchase.publicationDate ?? null,
  startPrice: (purchase) => purchase.startPrice ?? null,
  contract: (purchase) => (hasContract(purchase) ? purchase : null),
  customers: (purchase) => purchase.customers,
  participants: (purchase) => purchase.participants,
  objects: (purchase) => purchase.purchaseObjects,
};

export const Contract: ContractResolvers = {
  number: (purchase) => purchase.contractNumber ?? null,
  date: (purchase) => purchase.contractDate ?? null,
  executionDate: (purchase) => purchase.contractExecutionDate ?? null,
  price: (purchase) => purchase.contractPrice ?? null,
  stage: (purchase) => contractStage(purchase.contractStage),
};

export const Money: MoneyResolvers = {
  amount: (price) => price.sum ?? null,
  currency: (price) => price.currencyCode ?? null,
};

export const PurchaseParty: PurchasePartyResolvers = {
  inn: (party) => party.inn ?? null,
  kpp: (party) => party.kpp ?? null,
  name: (party) => party.name ?? null,
  isWinner: (party) => party.isWinner,
  hasContract: (party) => party.hasContract,
  isNotAdmitted: (party) => party.isNotAdmitted,
  // Through the batched req loader: a page naming 300 distinct companies costs 3 req calls.
  company: (party, _args, ctx) => (party.inn && isValidInn(party.inn) ? loadCompany(party.inn, ctx) : null),
};

const SYSTEMS = [
  ['okdps', 'OKDP'],
  ['okpds', 'OKPD'],
  ['okpd2s', 'OKPD2'],
  ['ktrus', 'KTRU'],
] as const;

export const PurchaseObject: PurchaseObjectResolvers = {
  name: (object) => object.name ?? null,
  codes: (object) =>
    SYSTEMS.flatMap(([key, system]) =>
      object[key].filter((item) => item.code).map((item) => ({ system, code: item.code!, name: item.name ?? null })),
    ),
};
