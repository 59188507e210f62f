import { GraphQLError } from 'graphql';
import type { VendorError } from '../../errors.ts';
import type { PayoutFinding } from './model.ts';

/** The scope every payouts mutation needs. */
export const WRITE_SCOPE = 'payouts:write';

export function forbidden(field: string): GraphQLError {
  return new GraphQLError(`${field} needs the "${WRITE_SCOPE}" scope: it moves money or personal data`, {
    extensions: { code: 'FORBIDDEN', requiredScope: WRITE_SCOPE },
  });
}

/** Answered locally, without calling the vendor: the caller may try again after `retryAfterSeconds`. */
export function rateLimited(message: string, retryAfterSeconds: number, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'RATE_LIMITED', retryAfterSeconds, ...extensions } });
}

export function counterpartyCheckFailed(contractorId: number, reasons: PayoutFinding[]): GraphQLError {
  const summary = reasons.map((reason) => reason.message).join('; ');
  return new GraphQLError(`Payout refused by the counterparty check (PAYOUT_GUARD=block): ${summary}`, {
    extensions: { code: 'COUNTERPARTY_CHECK_FAILED', contractorId: String(contractorId), reasons },
  });
}

export function notFound(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'NOT_FOUND', ...extensions } });
}

/**
 * A payout request whose answer was lost (timeout, dropped connection, 5xx) and whose key could not be looked up:
 * it may or may not exist. Retrying with the same customerPaymentId is safe — it looks the key up before paying.
 */
export function outcomeUnknown(customerPaymentId: string, cause: VendorError): GraphQLError {
  return new GraphQLError(
    `Jump.Finance did not confirm payout "${customerPaymentId}" (${cause.message}). Retry createPayment with the same ` +
      'customerPaymentId: the subgraph looks it up first and never pays twice.',
    {
      extensions: {
        code: cause.code,
        vendor: 'jump-finance',
        method: 'payments.create',
        customerPaymentId,
        outcomeUnknown: true,
      },
    },
  );
}
