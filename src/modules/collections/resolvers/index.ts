import type { Resolvers } from '../../../generated/graphql.ts';
import { Company } from './Company.ts';
import { FocusQuota, Query } from './FocusQuota.ts';
import { FsspProceeding } from './FsspProceeding.ts';
import { Contract, Money, Purchase, PurchaseObject, PurchaseParty } from './Purchase.ts';

export const resolvers: Resolvers = {
  Query,
  Company,
  FsspProceeding,
  Purchase,
  Contract,
  Money,
  PurchaseParty,
  PurchaseObject,
  FocusQuota,
};
