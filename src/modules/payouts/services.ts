import type { CoreServices } from '../contract.ts';
import type { PayoutsConfig } from './config.ts';
import { ContractorCards } from './contractor-cards.ts';
import { ContractorDefaults, discoverVendorDefaults } from './contractor-defaults.ts';
import { ContractorWrites } from './contractor-writes.ts';
import { JumpCalls } from './jump-calls.ts';
import type { GuardMode } from './model.ts';
import { PaymentKeys } from './payment-keys.ts';
import { PaymentReads } from './payment-reads.ts';
import { PaymentStore } from './payment-store.ts';
import { PayoutCreation } from './payout-creation.ts';
import { PayoutsApi } from './payouts-api.ts';
import { SelfEmployedSync } from './self-employed-sync.ts';
import { SyncWindows } from './sync-windows.ts';
import { JumpClient } from './vendor/client.ts';

/**
 * The payouts module's process-wide units, one job each. The vendor client and its concurrency limit live inside
 * `calls`, which only the units hold; requests see the units through their context (request-context.ts).
 */
export interface PayoutsServices {
  /** PAYOUT_GUARD. */
  guard: GuardMode;
  /** The header carrying the caller's scopes (AUTH_SCOPES_HEADER), lower case. */
  scopesHeader: string;
  calls: JumpCalls;
  cards: ContractorCards;
  contractorWrites: ContractorWrites;
  selfEmployed: SelfEmployedSync;
  payments: PaymentReads;
  creation: PayoutCreation;
  api: PayoutsApi;
}

export function createPayoutsServices(
  slice: PayoutsConfig,
  core: Pick<CoreServices, 'cache' | 'metrics' | 'logger' | 'now'>,
): PayoutsServices {
  const { cache, metrics, logger, now } = core;
  const client = new JumpClient({ ...slice, connections: Math.max(slice.maxConcurrency, 4) }, logger, metrics);
  const calls = new JumpCalls(client, slice.maxConcurrency);
  const cards = new ContractorCards(calls, { cache, metrics, now }, slice.contractorsTtlMs);
  const defaults = new ContractorDefaults({ agentId: slice.agentId, groupId: slice.groupId }, discoverVendorDefaults(calls));
  const store = new PaymentStore(calls, core, {
    statusRefreshMs: slice.statusRefreshMs,
    actionNeededRefreshMs: slice.actionNeededRefreshMs,
    keepMs: slice.finalPaymentsTtlMs,
  });
  const keys = new PaymentKeys(cache, now);
  return {
    guard: slice.guard,
    scopesHeader: slice.scopesHeader,
    calls,
    cards,
    contractorWrites: new ContractorWrites(calls, defaults, cards),
    selfEmployed: new SelfEmployedSync(calls, new SyncWindows(cache, now), metrics, now),
    payments: new PaymentReads(calls, store, keys),
    creation: new PayoutCreation({ calls, keys, store, logger }),
    api: new PayoutsApi(calls, cards, store),
  };
}
