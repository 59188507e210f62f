import { GraphQLError } from 'graphql';

/** Stable `extensions.code` values clients can switch on. */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'VENDOR_AUTH_FAILED'
  | 'VENDOR_RATE_LIMITED'
  | 'VENDOR_UNAVAILABLE'
  | 'VENDOR_TIMEOUT'
  | 'VENDOR_BAD_RESPONSE';

export type VendorName = 'kontur-focus' | 'tbank' | 'jump-finance';

/** A vendor call failed. The message names the vendor, method and HTTP status; it never carries a URL or a key. */
export class VendorError extends GraphQLError {
  readonly code: ErrorCode;
  declare readonly extensions: GraphQLError['extensions'] & { code: ErrorCode; circuitOpen?: boolean };

  constructor(
    code: Exclude<ErrorCode, 'BAD_USER_INPUT'>,
    message: string,
    details: {
      vendor: VendorName;
      method: string;
      status?: number;
      retryAfterSeconds?: number;
      circuitOpen?: boolean;
      /** T-Bank: the X-Request-Id of the call (the vendor's answer's, else the one we sent), for support cases. */
      vendorRequestId?: string;
      /** T-Bank: the error body's errorId and errorCode. */
      errorId?: string;
      vendorCode?: string;
      /** The vendor is not configured (no key/token): nothing was sent. */
      notConfigured?: boolean;
      /** The operation's deadline (OPERATION_TIMEOUT) passed while this lookup waited. */
      operationDeadline?: boolean;
      /** Shed without a call: too much was already waiting for the vendor (FOCUS_MAX_QUEUE). */
      shed?: boolean;
      /** Dropped before it was sent: nobody waited for it any more. */
      abandoned?: boolean;
    },
  ) {
    super(message, { extensions: { code, ...details } });
    this.code = code;
  }
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions } });
}
