import type { PaymentResolvers } from '../../../generated/graphql.ts';
import { actionNeeded } from '../payment-store.ts';
import { historyOf, paymentErrorOf, paymentStatusOf, receiptOf } from '../mapping.ts';
import { parseId } from '../validation.ts';

export const Payment: PaymentResolvers = {
  async __resolveReference(reference, ctx) {
    return ctx.payouts.payments.get(parseId((reference as { id: string }).id, 'id'), ctx.payouts.stats);
  },
  id: ({ value }) => String(value.id),
  customerPaymentId: ({ value }) => value.customer_payment_id,
  amount: ({ value }) => value.amount,
  amountPaid: ({ value }) => value.amount_paid,
  commission: ({ value }) => value.commission,
  bankCommission: ({ value }) => value.commission_bank,
  taxAmount: ({ value }) => value.tax_amount,
  status: ({ value }) => paymentStatusOf(value.status.id),
  statusId: ({ value }) => value.status.id,
  statusTitle: ({ value }) => value.status.title,
  isFinal: ({ value }) => value.is_final,
  actionNeeded: ({ value }) => actionNeeded(value),
  statusCheckedAt: ({ fetchedAt }) => new Date(fetchedAt).toISOString(),
  error: ({ value }) => paymentErrorOf(value.error),
  purpose: ({ value }) => value.payment_purpose,
  /** The vendor does not return it: what this subgraph sent with the payout, when it created it. */
  async serviceName({ value }, _args, ctx) {
    return ctx.payouts.payments.serviceNameOf(value);
  },
  receipt: ({ value }) => receiptOf(value.receipt),
  requisite: ({ value }) =>
    value.requisite
      ? {
          id: value.requisite.id === null ? null : String(value.requisite.id),
          title: value.requisite.title,
          description: value.requisite.description,
        }
      : null,
  canRepeat: ({ value }) => value.abilities?.can_repeat ?? null,
  /** A reference only: its fields load the card once per distinct contractor of the operation. */
  contractor: ({ value }) => (value.contractor ? { id: value.contractor.id } : null),
  createdAt: ({ value }) => value.created_at,
  updatedAt: ({ value }) => value.updated_at,
  paidAt: ({ value }) => value.paid_at,
  history: ({ value }) => historyOf(value.history),
};
