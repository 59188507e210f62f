import type { GraphQLError } from 'graphql';
import { graphError, VendorError } from '../../errors.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Logger } from '../../observability/logger.ts';
import type { JumpCalls } from './jump-calls.ts';
import type { PaymentKeys } from './payment-keys.ts';
import { JumpRequestError } from './vendor/client.ts';
import type { JumpPayment, JumpPaymentInput } from './vendor/schemas.ts';

export interface PayoutPostDeps {
  calls: JumpCalls;
  keys: Pick<PaymentKeys, 'release'>;
  logger: Logger;
}

/** GET by customer_payment_id; null when no payout has the key. */
export function lookUpByKey(calls: JumpCalls, customerPaymentId: string, stats: OperationStats | undefined): Promise<JumpPayment | null> {
  return calls.call((client) => client.getPaymentByCustomerId(customerPaymentId), stats);
}

/**
 * POST /payments under a key recorded as pending, never repeated blindly:
 * - a 422 for the used key (our own earlier request, its answer lost, or another replica's) reads that payout;
 * - any other refusal (400, 409, 422) is checked against the key before the key is freed — the vendor's wording of
 *   "key already used" is unconfirmed — so an existing payout under it is that payout; otherwise none exists;
 * - a timeout, a lost connection, a 5xx or a garbled answer may have created it: the key is looked up; found → that
 *   payout; not found → one more POST with the same key (the vendor refuses a used key, so even a late first POST
 *   cannot pay twice); the lookup failing too → "outcome unknown", and retrying with the same key is safe.
 * `replayed` says whether the payout answered was there before this request.
 */
export async function postPayout(
  body: JumpPaymentInput,
  deps: PayoutPostDeps,
  stats: OperationStats | undefined,
): Promise<{ payment: JumpPayment; replayed: boolean }> {
  const { calls, keys, logger } = deps;
  const customerPaymentId = body.customer_payment_id;
  for (let attempt = 1; ; attempt++) {
    try {
      return { payment: await calls.call((client) => client.createPayment(body), stats), replayed: false };
    } catch (error) {
      if (error instanceof JumpRequestError && error.status === 422 && error.concerns('customer_payment_id')) {
        const existing = await lookUpByKey(calls, customerPaymentId, stats).catch((lookupError: unknown) => {
          throw lookupError instanceof VendorError ? outcomeUnknown(customerPaymentId, lookupError) : lookupError;
        });
        if (existing) return { payment: existing, replayed: true };
        throw error;
      }
      if (!isOutcomeUnknown(error)) {
        if (error instanceof JumpRequestError && [400, 409, 422].includes(error.status)) {
          let existing: JumpPayment | null;
          try {
            existing = await lookUpByKey(calls, customerPaymentId, stats);
          } catch {
            // A failed or garbled lookup is not "none exists": the key stays pending, so a retry looks it up first.
            throw error;
          }
          if (existing) return { payment: existing, replayed: true };
        }
        await keys.release(customerPaymentId);
        throw error;
      }
      logger.warn(
        { vendor: 'jump-finance', customerPaymentId, attempt, err: error },
        'payout request outcome unknown; looking the key up before anything is sent again',
      );
      let existing: JumpPayment | null;
      try {
        existing = await lookUpByKey(calls, customerPaymentId, stats);
      } catch (lookupError) {
        throw outcomeUnknown(customerPaymentId, lookupError instanceof VendorError ? lookupError : error);
      }
      if (existing) return { payment: existing, replayed: false };
      // Not created: one more POST with the same key is safe (the vendor refuses a used key).
      if (attempt >= 2) throw outcomeUnknown(customerPaymentId, error);
    }
  }
}

/** A timeout, a lost connection, a 5xx or a garbled answer: the request may have been carried out. */
function isOutcomeUnknown(error: unknown): error is VendorError {
  return (
    error instanceof VendorError &&
    !error.extensions.circuitOpen &&
    !error.extensions.notConfigured &&
    (error.code === 'VENDOR_TIMEOUT' || error.code === 'VENDOR_UNAVAILABLE' || error.code === 'VENDOR_BAD_RESPONSE')
  );
}

/**
 * A payout request whose answer was lost (timeout, dropped connection, 5xx) and whose key could not be looked up:
 * it may or may not exist. Retrying with the same customerPaymentId is safe — it looks the key up before paying.
 */
export function outcomeUnknown(customerPaymentId: string, cause: VendorError): GraphQLError {
  return graphError(
    cause.code,
    `Jump.Finance did not confirm payout "${customerPaymentId}" (${cause.message}). Retry createPayment with the same ` +
      'customerPaymentId: the subgraph looks it up first and never pays twice.',
    { vendor: 'jump-finance', method: 'payments.create', customerPaymentId, outcomeUnknown: true },
  );
}
