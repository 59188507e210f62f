import DataLoader from 'dataloader';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import { parseScopes } from './auth.ts';
import type { ContractorWrites } from './contractor-writes.ts';
import type { GuardMode } from './model.ts';
import type { PaymentReads } from './payment-reads.ts';
import type { PayoutCreation } from './payout-creation.ts';
import type { PayoutsApi } from './payouts-api.ts';
import type { SelfEmployedSync } from './self-employed-sync.ts';
import type { PayoutsServices } from './services.ts';
import type { JumpContractor } from './vendor/schemas.ts';

/** The payouts part of one GraphQL operation's context: what resolvers need, and nothing that reaches the vendor around the units. */
export interface PayoutsRequest {
  /** The caller's scopes, from AUTH_SCOPES_HEADER. */
  scopes: ReadonlySet<string>;
  /** PAYOUT_GUARD, for the check before every payout. */
  guard: GuardMode;
  /** Contractor cards by id, deduplicated within the operation (null = the vendor has none). */
  contractors: DataLoader<number, JumpContractor | null>;
  stats: OperationStats | undefined;
  api: PayoutsApi;
  payments: PaymentReads;
  contractorWrites: ContractorWrites;
  selfEmployed: SelfEmployedSync;
  creation: PayoutCreation;
}

export function payoutsRequest(
  services: PayoutsServices,
  header: (name: string) => string | undefined,
  stats?: OperationStats,
): PayoutsRequest {
  const { cards } = services;
  return {
    scopes: parseScopes(header(services.scopesHeader)),
    guard: services.guard,
    // Up to 100 cards per batch, read from the cache in one round trip; the misses each cost one shared call.
    contractors: new DataLoader<number, JumpContractor | null>((ids) => cards.getMany(ids, stats), { maxBatchSize: 100 }),
    stats,
    api: services.api,
    payments: services.payments,
    contractorWrites: services.contractorWrites,
    selfEmployed: services.selfEmployed,
    creation: services.creation,
  };
}
