import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { ContractorCards } from './contractor-cards.ts';
import type { JumpCalls } from './jump-calls.ts';
import type { PaymentModel } from './model.ts';
import type { PaymentStore } from './payment-store.ts';
import type {
  JumpBalance,
  JumpContractor,
  JumpIdentification,
  JumpPage,
  JumpPaymentQuery,
  JumpRequisite,
  JumpSelfEmployed,
} from './vendor/schemas.ts';

/**
 * The uncached reads resolvers make: lists and per-contractor details, one vendor call each, counted as the
 * operation's. What a list answers is kept where later reads look: contractor cards, and payouts with the time they
 * were read (the polling etiquette counts a list read as a status read).
 */
export class PayoutsApi {
  constructor(
    private readonly calls: JumpCalls,
    private readonly cards: Pick<ContractorCards, 'remember'>,
    private readonly store: Pick<PaymentStore, 'putMany'>,
  ) {}

  async contractors(page: number, perPage: number, stats: OperationStats | undefined): Promise<JumpPage<JumpContractor>> {
    const result = await this.calls.call((client) => client.listContractors(page, perPage), stats);
    await this.cards.remember(result.items);
    return result;
  }

  async payments(
    query: JumpPaymentQuery,
    page: number,
    perPage: number,
    stats: OperationStats | undefined,
  ): Promise<JumpPage<PaymentModel>> {
    const result = await this.calls.call((client) => client.listPayments(query, page, perPage), stats);
    return { ...result, items: await this.store.putMany(result.items) };
  }

  requisites(contractorId: number, page: number, perPage: number, stats: OperationStats | undefined): Promise<JumpPage<JumpRequisite>> {
    return this.calls.call((client) => client.listRequisites(contractorId, page, perPage), stats);
  }

  balances(contractorId: number, page: number, perPage: number, stats: OperationStats | undefined): Promise<JumpPage<JumpBalance>> {
    return this.calls.call((client) => client.listBalances(contractorId, page, perPage), stats);
  }

  /** The stored self-employed state at Jump.Finance (no tax-service call); null when the vendor has none. */
  selfEmployedState(contractorId: number, stats: OperationStats | undefined): Promise<JumpSelfEmployed | null> {
    return this.calls.call((client) => client.getSelfEmployed(contractorId), stats);
  }

  lastApprovedIdentification(contractorId: number, stats: OperationStats | undefined): Promise<JumpIdentification | null> {
    return this.calls.call((client) => client.getLastApprovedIdentification(contractorId), stats);
  }
}
