import { GraphQLError } from 'graphql';

/**
 * THE catalogue of every `extensions.code` the graph (and its REST routes) can answer: what it means, and the HTTP
 * status a REST route answers it with. A code not listed here cannot be thrown (ErrorCode), and a test keeps the
 * README's Errors table equal to this list.
 */
export const ERROR_CATALOGUE = {
  BAD_USER_INPUT: { http: 400, meaning: 'An argument is malformed or out of range; refused before any vendor call.' },
  BAD_REQUEST: { http: 400, meaning: 'The request itself is unreadable (a body that is not JSON, an undecodable URL).' },
  PAYLOAD_TOO_LARGE: { http: 413, meaning: 'The request body is larger than MAX_REQUEST_BODY.' },
  UNAUTHENTICATED: { http: 401, meaning: 'ROUTER_SECRET is set and the request did not come through the router.' },
  FORBIDDEN: { http: 403, meaning: 'The caller lacks the scope the field needs (e.g. payouts:write); nothing was checked or sent.' },
  NOT_FOUND: { http: 404, meaning: 'A mutation names something the vendor does not have.' },
  RATE_LIMITED: { http: 429, meaning: 'Answered locally without a call: a vendor rule allows no call yet (retryAfterSeconds).' },
  BUDGET_EXHAUSTED: {
    http: 503,
    meaning: 'The public autofill route spent its daily budget of vendor calls (AUTOFILL_DAILY_VENDOR_CALLS) and the INN is not cached.',
  },
  QUERY_TOO_EXPENSIVE: { http: 400, meaning: "The operation's estimated cold cost exceeds MAX_VENDOR_CALLS_PER_OPERATION." },
  COUNTERPARTY_CHECK_FAILED: { http: 422, meaning: 'PAYOUT_GUARD=block and the counterparty check found something; nothing was paid.' },
  VENDOR_AUTH_FAILED: { http: 502, meaning: 'The vendor rejected our credentials.' },
  VENDOR_RATE_LIMITED: {
    http: 503,
    meaning: "The vendor's rate limit (or ours, or the queue bound) holds the call back (retryAfterSeconds).",
  },
  VENDOR_UNAVAILABLE: {
    http: 503,
    meaning: 'The vendor is down, unreachable, its circuit is open, or it is not configured (notConfigured).',
  },
  VENDOR_TIMEOUT: { http: 504, meaning: "No answer within the call's budget, or the operation's deadline passed (operationDeadline)." },
  VENDOR_BAD_RESPONSE: {
    http: 502,
    meaning: "The vendor's answer is not its shape (malformed, unexpected, about something not asked); never cached.",
  },
  GRAPHQL_VALIDATION_FAILED: {
    http: 400,
    meaning: 'Apollo: the operation does not validate (unknown field, too deep, too many aliases or tokens).',
  },
  GRAPHQL_PARSE_FAILED: { http: 400, meaning: 'Apollo: the operation does not parse.' },
  INTERNAL_SERVER_ERROR: { http: 500, meaning: 'Apollo: an unexpected failure (a bug); the message says nothing internal.' },
} as const satisfies Record<string, { http: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
export type VendorErrorCode = Extract<ErrorCode, `VENDOR_${string}`>;

/**
 * The vendors, as errors and metrics name them. Each vendor module adds its name by declaration merging
 * (`declare module '../../errors.ts' { interface VendorNames { 'kontur-focus': true } }`): nothing central lists them.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VendorNames {}
export type VendorName = Extract<keyof VendorNames, string>;

/**
 * An error of the graph with a catalogued code. THE only place a GraphQLError is made (eslint refuses `new
 * GraphQLError` anywhere else): errors that carry more extend it (VendorError, a vendor's refusal).
 */
export class GraphError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }
}

/** An error of the graph with a catalogued code. */
export function graphError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphError(code, message, extensions);
}

/** What a vendor error carries besides its code and message (its `extensions`). */
export interface VendorErrorDetails {
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
  /** Not sent: the operation may answer only from the cache (a budget of its own is spent). */
  cacheOnly?: boolean;
}

/** A vendor call failed. The message names the vendor, method and HTTP status; it never carries a URL or a key. */
export class VendorError extends GraphError {
  readonly code: VendorErrorCode;
  declare readonly extensions: GraphQLError['extensions'] & { code: VendorErrorCode; circuitOpen?: boolean };

  constructor(code: VendorErrorCode, message: string, details: VendorErrorDetails) {
    super(code, message, { ...details });
    this.code = code;
  }
}

export function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return graphError('BAD_USER_INPUT', message, extensions);
}

export function notFound(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return graphError('NOT_FOUND', message, extensions);
}

/** Answered locally, without calling the vendor: the caller may try again after `retryAfterSeconds`. */
export function rateLimited(message: string, retryAfterSeconds: number, extensions: Record<string, unknown> = {}): GraphQLError {
  return graphError('RATE_LIMITED', message, { retryAfterSeconds, ...extensions });
}

/** The caller lacks a scope; checked before any input check or vendor call. */
export function forbidden(message: string, requiredScope: string): GraphQLError {
  return graphError('FORBIDDEN', message, { requiredScope });
}

/** The body of a REST answer or an HTTP-level GraphQL refusal: `{ errors: [{ message, extensions: { code } }] }`. */
export function errorBody(code: ErrorCode, message: string): { errors: Array<{ message: string; extensions: { code: ErrorCode } }> } {
  return { errors: [{ message, extensions: { code } }] };
}
