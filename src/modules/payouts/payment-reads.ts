import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { JumpCalls } from './jump-calls.ts';
import type { PaymentModel } from './model.ts';
import type { PaymentKeys } from './payment-keys.ts';
import type { PaymentStore } from './payment-store.ts';
import type { JumpPayment } from './vendor/schemas.ts';

/** Payouts as queries read them: by id and by our key, with the polling etiquette, and what only we know of them. */
export class PaymentReads {
  constructor(
    private readonly calls: JumpCalls,
    private readonly store: Pick<PaymentStore, 'get' | 'put'>,
    private readonly keys: Pick<PaymentKeys, 'get' | 'created'>,
  ) {}

  /** A payout by id: from the store while the etiquette allows, else one shared read. null: the vendor has none. */
  get(id: number, stats?: OperationStats): Promise<PaymentModel | null> {
    return this.store.get(id, stats);
  }

  /** A payout by our key: through its stored id when known (the polling etiquette applies), else one lookup. */
  async byCustomerId(customerPaymentId: string, stats?: OperationStats): Promise<PaymentModel | null> {
    const record = await this.keys.get(customerPaymentId);
    if (record?.paymentId !== undefined) return this.store.get(record.paymentId, stats);
    const payment = await this.calls.call((client) => client.getPaymentByCustomerId(customerPaymentId), stats);
    if (!payment) return null;
    await this.keys.created(customerPaymentId, payment, record?.serviceName ?? null);
    return this.store.put(payment);
  }

  /** The service name sent with a payout this subgraph created (the vendor does not answer it); else null. */
  async serviceNameOf(payment: JumpPayment): Promise<string | null> {
    if (!payment.customer_payment_id) return null;
    const record = await this.keys.get(payment.customer_payment_id);
    return record?.paymentId === payment.id ? record.serviceName : null;
  }
}
