import { badUserInput, notFound, VendorError } from '../../errors.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Logger } from '../../observability/logger.ts';
import type { JumpCalls } from './jump-calls.ts';
import type { CreatePaymentOutcome, PaymentModel, PayoutFinding } from './model.ts';
import type { PaymentKeys } from './payment-keys.ts';
import type { PaymentStore } from './payment-store.ts';
import { lookUpByKey, outcomeUnknown, postPayout } from './payout-post.ts';
import type { JumpPayment, JumpPaymentInput } from './vendor/schemas.ts';

/** What one payout request asks for, validated. */
export interface PaymentRequest {
  contractorId: number;
  /** Two-decimal text, positive. */
  amount: string;
  /** The idempotency key: the client's, or one derived from the operation (derivedCustomerPaymentId). */
  customerPaymentId: string;
  purpose: string | undefined;
  serviceName: string | undefined;
  requisiteId: number | undefined;
}

export interface PayoutCreationDeps {
  calls: JumpCalls;
  keys: Pick<PaymentKeys, 'get' | 'pending' | 'created' | 'release'>;
  store: Pick<PaymentStore, 'get' | 'put'>;
  logger: Logger;
}

/** Payouts made and repeated: at most once per idempotency key, the counterparty guard first. */
export class PayoutCreation {
  /** One payout request per key at a time in this process; a concurrent retry waits, then replays. */
  private readonly creating = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: PayoutCreationDeps) {}

  /**
   * Creates a payout at most once per idempotency key (customer_payment_id, the client's or derived from the operation):
   * 1. a key this subgraph already saw create a payout answers that payout (`replayed`), with no POST;
   * 2. a key whose earlier POST had an unknown outcome is looked up first (GET by customer_payment_id);
   * 3. the counterparty guard runs (`check`: warnings, or COUNTERPARTY_CHECK_FAILED in block mode);
   * 4. the key is recorded as pending, then POST /payments is sent, never repeated blindly (postPayout).
   * A key already used for a different contractor or amount is refused.
   */
  async create(request: PaymentRequest, check: () => Promise<PayoutFinding[]>, stats?: OperationStats): Promise<CreatePaymentOutcome> {
    const { customerPaymentId } = request;
    const previous = this.creating.get(customerPaymentId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.createOnce(request, check, stats));
    this.creating.set(customerPaymentId, mine);
    try {
      return await mine;
    } finally {
      if (this.creating.get(customerPaymentId) === mine) this.creating.delete(customerPaymentId);
    }
  }

  /**
   * Repeats a failed payout when the vendor allows it (abilities.can_repeat); never retried automatically.
   * A repeat is a payout too: the counterparty guard runs first (`check` throws in block mode).
   */
  async repeat(id: number, check: (contractorId: number) => Promise<unknown>, stats?: OperationStats): Promise<PaymentModel> {
    const current = await this.deps.store.get(id, stats);
    if (!current) throw notFound(`Jump.Finance has no payout ${id}`, { paymentId: String(id) });
    const contractorId = current.value.contractor?.id;
    if (contractorId !== undefined && contractorId !== null) await check(Number(contractorId));
    if (current.value.abilities && !current.value.abilities.can_repeat) {
      throw badUserInput(`Payout ${id} cannot be repeated now (status: ${current.value.status.title ?? current.value.status.id})`, {
        paymentId: String(id),
        statusId: current.value.status.id,
      });
    }
    const repeated = await this.deps.calls.call((client) => client.repeatPayment(id), stats);
    return this.deps.store.put(repeated);
  }

  private async createOnce(
    request: PaymentRequest,
    check: () => Promise<PayoutFinding[]>,
    stats: OperationStats | undefined,
  ): Promise<CreatePaymentOutcome> {
    const { customerPaymentId } = request;
    const { calls, keys, store } = this.deps;
    const record = await keys.get(customerPaymentId);
    if (record?.state === 'created' && record.paymentId !== undefined) {
      assertSameRequest(
        customerPaymentId,
        { contractorId: record.contractorId, amount: record.amount, paymentId: record.paymentId },
        request,
      );
      const payment = await store.get(record.paymentId, stats);
      if (payment) return { payment, customerPaymentId, replayed: true, warnings: [] };
    }
    if (record?.state === 'pending') {
      // An earlier request with this key ended without a known outcome: find out before sending anything.
      const existing = await lookUpByKey(calls, customerPaymentId, stats).catch((error: unknown) => {
        throw error instanceof VendorError ? outcomeUnknown(customerPaymentId, error) : error;
      });
      if (existing) return this.settle(existing, request, true);
    }
    const warnings = await check();
    await keys.pending(customerPaymentId, request);
    const { payment, replayed } = await postPayout(paymentBody(request), this.deps, stats);
    const outcome = await this.settle(payment, request, replayed);
    return { ...outcome, warnings };
  }

  /** The payout under the key: checked against the request, recorded as created and stored. */
  private async settle(payment: JumpPayment, request: PaymentRequest, replayed: boolean): Promise<CreatePaymentOutcome> {
    const { customerPaymentId } = request;
    assertSameRequest(customerPaymentId, { contractorId: payment.contractor?.id, amount: payment.amount, paymentId: payment.id }, request);
    await this.deps.keys.created(customerPaymentId, payment, request.serviceName ?? null);
    return { payment: await this.deps.store.put(payment), customerPaymentId, replayed, warnings: [] };
  }
}

function paymentBody(request: PaymentRequest): JumpPaymentInput {
  return {
    contractor_id: request.contractorId,
    amount: request.amount,
    customer_payment_id: request.customerPaymentId,
    ...(request.purpose !== undefined ? { payment_purpose: request.purpose } : {}),
    ...(request.serviceName !== undefined ? { service_name: request.serviceName } : {}),
    ...(request.requisiteId !== undefined ? { requisite_id: request.requisiteId } : {}),
  };
}

/** A key names one payout: reusing it for another contractor or amount is a client bug, refused loudly. */
function assertSameRequest(
  customerPaymentId: string,
  existing: { contractorId: number | undefined; amount: string; paymentId: number },
  request: PaymentRequest,
): void {
  if (existing.contractorId === request.contractorId && existing.amount === request.amount) return;
  throw badUserInput(
    `customerPaymentId "${customerPaymentId}" was already used for payout ${existing.paymentId} ` +
      `(contractor ${existing.contractorId ?? 'unknown'}, amount ${existing.amount}); use a new key for a different payout`,
    { argument: 'customerPaymentId', reason: 'KEY_REUSED', paymentId: String(existing.paymentId) },
  );
}
