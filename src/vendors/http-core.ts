import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { interceptors, request, type Agent, type Dispatcher, type RetryHandler } from 'undici';
import type { z } from 'zod';
import type { BreakerSettings } from '../config/env.ts';
import { VendorError, type VendorErrorCode, type VendorErrorDetails, type VendorName } from '../errors.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import { registerSecret, vendorDetail } from '../observability/redaction.ts';
import { activeContext, inContext, tracingEnabled, withSpan } from '../observability/tracing.ts';
import {
  backoffMs,
  isRetryable,
  parseRetryAfter,
  RETRY_ERROR_CODES,
  vendorAgent,
  vendorBreaker,
  type VendorBreaker,
} from './resilience.ts';

/** One request to a vendor. */
export interface CallSpec {
  /** The vendor method as metrics, logs and errors name it (`req`, `payments.create`). */
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Appended to the base URL. */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: string;
  /** Retried on failure although not a GET: only when the vendor takes an idempotency key for it. */
  idempotent?: boolean;
  /** Identifiers the call carries, for the batch-size metric. */
  identifiers?: number;
  /** Asked once the call may go out (after admission): true drops it unsent, nobody waits for it any more. */
  abandoned?: () => boolean;
  /** Non-2xx statuses that are answers for this call (T-Bank's 422 NO_DATA): handed to `read` like a 2xx. */
  answerStatuses?: readonly number[];
  /** Put into every error of this call (e.g. the X-Request-Id it was sent with). */
  context?: Record<string, unknown>;
}

/** An answer, whatever its status. */
export interface VendorAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  contentType: string;
  bytes: Buffer;
  text(): string;
}

/** What a failed answer says, read from its body by the vendor's `describe` hook. */
export interface VendorDescription {
  /** The vendor's own error code, token-shaped only (vendorToken): named after the status, "HTTP 400 INVALID". */
  code?: string;
  /** The vendor's explanation, through vendorDetail (redacted, identifiers masked, cut). */
  detail?: string;
  /** Extensions the error carries besides the status (the vendor's error id and code). */
  context?: Partial<VendorErrorDetails>;
}

/**
 * What a vendor client adds to the core. The mapping of statuses to VENDOR_* codes and its wording stay in the core
 * (statusError); the hooks only add to it: what the vendor's error body says, how it words a refusal of its own, how
 * long a 429 holds it back.
 */
export interface VendorHooks {
  /** Puts the credentials on a request (a header, a query parameter): the core never logs either. */
  authorize(url: URL, headers: Record<string, string>): void;
  /** Extensions every error about this answer carries (T-Bank: the X-Request-Id it answered with). */
  answerContext?(answer: VendorAnswer, call: CallSpec): Partial<VendorErrorDetails>;
  /**
   * What a failed answer says: its error body (parsed once by the core, undefined when it is not JSON) read for the
   * vendor's code, detail and ids. Default: the body's text as the detail.
   */
  describe?(answer: VendorAnswer, body: unknown, call: CallSpec): VendorDescription;
  /**
   * A refusal (a 4xx other than 401, 403 and 429) the vendor words its own way (Kontur.Focus's 404, Jump.Finance's
   * field errors): its error, or undefined for the default "refused the request" (VENDOR_BAD_RESPONSE).
   */
  refusal?(answer: VendorAnswer, body: unknown, call: CallSpec, description: VendorDescription): Error | undefined;
  /** On a 429: how long until the vendor may be asked again, in ms (T-Bank's limiter backs off); default: Retry-After. */
  rateLimited?(answer: VendorAnswer, call: CallSpec): number | undefined;
  /** Errors that do not say the vendor is down, besides a rejected key and a rate limit (e.g. a refused request). */
  isNotAFailure?(error: unknown): boolean;
  /** Admission before the call is sent (a rate limiter): resolves with a release, or rejects without sending. */
  admit?(call: CallSpec): Promise<() => void>;
  /** Before each retry, with the time left in the call's budget: false, no retry (e.g. no rate-limit token in time). */
  beforeRetry?(call: CallSpec, remainingMs: number): Promise<boolean>;
  /** Every final answer, whatever its status (a per-call log line with the vendor's request id). */
  onAnswer?(answer: VendorAnswer, call: CallSpec, durationMs: number): void;
}

/** The credential a vendor is configured with, and how its rejection (401, 403) reads. */
export interface VendorCredential {
  /** The variable that configures it, named in "not configured" and rejected-credential errors. */
  variable: string;
  /** `<vendor> <rejected> (HTTP 403); check <variable><check>`: "rejected the API key", "refused the call". */
  rejected: string;
  /** What else to check, after the variable: ": its scopes …", " and its rights". */
  check?: string;
  /** The vendor's detail goes into the message too (Jump.Finance's names the right that is missing). */
  withDetail?: boolean;
}

export interface VendorHttpOptions {
  vendor: VendorName;
  displayName: string;
  /** false: not configured — every call fails at once with `notConfigured`, nothing is sent. */
  configured: boolean;
  credential: VendorCredential;
  baseUrl: string;
  /** Budget of one call, retries included. */
  timeoutMs: number;
  retries: number;
  /** Open sockets (keep-alive pool). */
  connections: number;
  breaker: BreakerSettings;
  /** Statuses worth a retry of a GET (or an idempotent call). */
  retryStatuses: readonly number[];
  /** Whether a Retry-After header sets the wait before a retry. */
  honourRetryAfter: boolean;
  /** Credentials: registered for redaction everywhere. */
  secrets: readonly (string | undefined)[];
  /** How the vendor's JSON is read (lossless for money); JSON.parse by default. Answers and error bodies alike. */
  parseJson?: (text: string) => unknown;
}

/**
 * THE HTTP core every vendor client is built on (undici): one keep-alive pool; one deadline per call, retries
 * included; retries of GETs (and of calls the vendor makes idempotent) on the statuses and connection errors worth
 * it, after Retry-After or full-jitter backoff, never past the deadline; a circuit breaker; metrics per call; the
 * credentials only where the vendor wants them and redacted from every URL, error text and log line; and the mapping
 * of transport and HTTP failures to the stable VENDOR_* codes (statusError, one wording for every vendor). A vendor
 * client adds its hooks (credentials, what its error bodies say, refusals of its own, a rate limiter) and zod parsing
 * of its answers; JSON is read one way (`json`, the vendor's parser) and vendor text passed on through vendorDetail.
 */
export class VendorHttpClient {
  private readonly agent: Agent;
  private readonly breaker: VendorBreaker;

  constructor(
    private readonly options: VendorHttpOptions,
    private readonly hooks: VendorHooks,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    for (const secret of options.secrets) registerSecret(secret);
    this.agent = vendorAgent(options.connections, options.timeoutMs);
    this.breaker = vendorBreaker({
      vendor: options.vendor,
      displayName: options.displayName,
      settings: options.breaker,
      metrics,
      logger,
      // A rejected key is a configuration problem and a 429 a request to slow down: neither says the vendor is down.
      isNotAFailure: (error) =>
        (error instanceof VendorError &&
          (error.code === 'VENDOR_AUTH_FAILED' || error.code === 'VENDOR_RATE_LIMITED' || error.extensions.abandoned === true)) ||
        (hooks.isNotAFailure?.(error) ?? false),
    });
  }

  get vendor(): VendorName {
    return this.options.vendor;
  }

  /**
   * One vendor call: refused at once when not configured or while the breaker is open; admitted (rate limiter);
   * sent with the deadline and retry policy; a non-2xx status becomes an error; `read` turns the answer into a value
   * (and may throw VENDOR_BAD_RESPONSE). Counted in the metrics whatever happens.
   */
  async call<T>(spec: CallSpec, read: (answer: VendorAnswer) => T | Promise<T>): Promise<T> {
    if (!tracingEnabled()) return this.send(spec, read, undefined);
    // Traced: one span per call (its HTTP attempts, one undici span each, are its children). Counts and codes only:
    // never the identifiers, the URL or the credentials.
    const { vendor } = this.options;
    const attributes = { 'vendor.name': vendor, 'vendor.method': spec.operation, 'vendor.identifiers': spec.identifiers ?? 0 };
    return withSpan(`vendor ${vendor} ${spec.operation}`, attributes, async (span) => {
      const tally: CallTally = { retries: 0, outcome: 'ok', context: activeContext() };
      try {
        return await this.send(spec, read, tally);
      } finally {
        span?.setAttribute('vendor.outcome', tally.outcome);
        span?.setAttribute('vendor.retries', tally.retries);
      }
    });
  }

  /** The call itself; `tally` (only when traced) gets its outcome and retries. */
  private async send<T>(spec: CallSpec, read: (answer: VendorAnswer) => T | Promise<T>, tally: CallTally | undefined): Promise<T> {
    const { vendor } = this.options;
    const labels = { vendor, method: spec.operation };
    if (!this.options.configured) {
      this.metrics.vendorCalls.inc({ ...labels, outcome: 'not_configured' });
      if (tally) tally.outcome = 'not_configured';
      throw this.error(
        'VENDOR_UNAVAILABLE',
        spec,
        `${this.options.displayName} is not configured (${this.options.credential.variable} is unset): nothing was sent`,
        {
          notConfigured: true,
        },
      );
    }
    const stopTimer = this.metrics.vendorLatency.startTimer(labels);
    let sent = false;
    let outcome = 'ok';
    try {
      return (await this.breaker.fire(async () => {
        const release = this.hooks.admit ? await this.hooks.admit(spec) : undefined;
        try {
          if (spec.abandoned?.())
            throw this.error(
              'VENDOR_TIMEOUT',
              spec,
              `${this.options.displayName} ${spec.operation}: dropped before it was sent, nobody waits for it any more`,
              { abandoned: true },
            );
          sent = true;
          const started = Date.now();
          const answer = await this.exchange(spec, tally);
          this.hooks.onAnswer?.(answer, spec, Date.now() - started);
          const ok = (answer.status >= 200 && answer.status < 300) || (spec.answerStatuses?.includes(answer.status) ?? false);
          if (!ok) throw this.statusError(answer, spec);
          return await read(answer);
        } finally {
          release?.();
        }
      })) as T;
    } catch (error) {
      const mapped = this.breakerError(spec, error);
      outcome = outcomeOf(mapped, sent);
      throw mapped;
    } finally {
      if (sent) {
        stopTimer();
        if (spec.identifiers !== undefined && spec.identifiers > 0) this.metrics.vendorBatchSize.observe(labels, spec.identifiers);
      }
      this.metrics.vendorCalls.inc({ ...labels, outcome });
      if (tally) tally.outcome = outcome;
    }
  }

  /** The answer as JSON (the vendor's parser); malformed or not JSON is VENDOR_BAD_RESPONSE. */
  json(answer: VendorAnswer, spec: CallSpec): unknown {
    if (!answer.contentType.includes('json')) {
      throw this.badResponse(spec, `answered with ${mediaType(answer.contentType)} instead of JSON`, answer);
    }
    try {
      return (this.options.parseJson ?? JSON.parse)(answer.text());
    } catch {
      throw this.badResponse(spec, 'answered with malformed JSON', answer);
    }
  }

  /**
   * A body checked against the vendor's schema; anything else is VENDOR_BAD_RESPONSE (the first issue's path is
   * logged). `answer`, when given, puts its status and context into the error.
   */
  parse<S extends z.ZodType>(schema: S, body: unknown, spec: CallSpec, answer?: VendorAnswer): z.output<S> {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    // The path may name keys of the vendor's body: it is vendor text like any other.
    const path = vendorDetail(issue?.path.map(String).join('.'), 120);
    this.logger.warn({ vendor: this.options.vendor, method: spec.operation, path }, `${this.options.displayName} answer failed validation`);
    throw this.badResponse(spec, 'answered with an unexpected shape', answer);
  }

  /** VENDOR_BAD_RESPONSE: `<vendor> <method> <what>`, with the answer's status and context when there is one. */
  badResponse(spec: CallSpec, what: string, answer?: VendorAnswer): VendorError {
    return this.error('VENDOR_BAD_RESPONSE', spec, `${this.options.displayName} ${spec.operation} ${what}`, this.contextOf(spec, answer));
  }

  /** A VendorError of this vendor and call. */
  error(code: VendorErrorCode, spec: CallSpec, message: string, details: Partial<VendorErrorDetails> = {}): VendorError {
    return new VendorError(code, message, { vendor: this.options.vendor, method: spec.operation, ...spec.context, ...details });
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.agent.close();
  }

  // ─── The exchange ──────────────────────────────────────────────────────────────────────────────────────────

  /** One HTTP exchange under the call's deadline and retry policy; any status comes back with its body. */
  private async exchange(spec: CallSpec, tally: CallTally | undefined): Promise<VendorAnswer> {
    const url = new URL(`${this.options.baseUrl}${spec.path}`);
    for (const [name, value] of Object.entries(spec.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const headers: Record<string, string> = { ...spec.headers };
    this.hooks.authorize(url, headers);
    const deadline = Date.now() + this.options.timeoutMs;
    const retried = spec.method === 'GET' || spec.idempotent === true;
    let response: Dispatcher.ResponseData<unknown>;
    let bytes: Buffer;
    try {
      response = await request(url, {
        method: spec.method,
        // The retry policy needs this call's deadline, so each call composes its own retry interceptor over the pool.
        // throwOnError: false hands the final answer back whatever its status, so its error body can be read.
        dispatcher: retried
          ? this.agent.compose(
              interceptors.retry({
                maxRetries: this.options.retries,
                methods: [spec.method],
                statusCodes: [...this.options.retryStatuses],
                errorCodes: RETRY_ERROR_CODES,
                throwOnError: false,
                retry: this.retryPolicy(spec, deadline, tally),
              }),
            )
          : this.agent,
        headers,
        ...(spec.body === undefined ? {} : { body: spec.body }),
        // One deadline for the whole call, retries included: a trickling body or a retry storm cannot hold a slot longer.
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      bytes = Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      throw this.transportError(spec, error);
    }
    const contentType = String(response.headers['content-type'] ?? '');
    return { status: response.statusCode, headers: response.headers, contentType, bytes, text: () => bytes.toString('utf8') };
  }

  /**
   * When to retry: the statuses and connection errors worth it, at most `retries` times, after Retry-After when the
   * vendor sends it (if honoured), else full-jitter backoff; never when the wait would end past the deadline, and
   * only if the vendor's hook agrees (a rate-limit token in time).
   */
  private retryPolicy(spec: CallSpec, deadline: number, tally: CallTally | undefined): RetryHandler.RetryCallback {
    return (error, { state }, callback) => {
      const { headers } = error as Error & { headers?: Record<string, unknown> };
      if (!isRetryable(error, this.options.retryStatuses) || state.counter > this.options.retries) return callback(error);
      const waitMs = (this.options.honourRetryAfter ? parseRetryAfter(headers?.['retry-after']) : undefined) ?? backoffMs(state.counter);
      if (Date.now() + waitMs >= deadline) return callback(error);
      const retry = () => {
        const proceed = this.hooks.beforeRetry ? this.hooks.beforeRetry(spec, deadline - Date.now()) : Promise.resolve(true);
        proceed.then(
          (ok) => {
            if (!ok) return callback(error);
            this.metrics.vendorRetries.inc({ vendor: this.options.vendor, method: spec.operation });
            if (tally) tally.retries++;
            callback(null);
          },
          () => callback(error),
        );
      };
      // Traced: the retry runs in the call's span (this callback runs in whatever context the pooled socket has), so
      // the next attempt's undici span is a child of this call's.
      setTimeout(tally ? () => inContext(tally.context, retry) : retry, waitMs);
    };
  }

  // ─── Errors ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * THE mapping of a failed answer to an error, for every vendor: 401/403 VENDOR_AUTH_FAILED naming the credential's
   * variable, 429 VENDOR_RATE_LIMITED (retryAfterSeconds), 5xx VENDOR_UNAVAILABLE, any other refusal the vendor's own
   * (`refusal`) or VENDOR_BAD_RESPONSE. The status is named as "HTTP 400" or, with the vendor's code, "HTTP 400
   * INVALID"; the vendor's detail (`describe`) is logged, and named in a refusal. Also for an answer status the call
   * reads itself and finds to be a refusal (T-Bank's 422 other than NO_DATA).
   */
  statusError(answer: VendorAnswer, spec: CallSpec): Error {
    const { status } = answer;
    const name = this.options.displayName;
    const body = this.errorBody(answer);
    const description = this.hooks.describe ? this.hooks.describe(answer, body, spec) : { detail: vendorDetail(answer.text()) };
    const { detail } = description;
    const context = { ...this.contextOf(spec, answer), ...description.context };
    const label = `HTTP ${status}${description.code ? ` ${description.code}` : ''}`;
    this.logger.warn({ vendor: this.options.vendor, method: spec.operation, ...context, detail }, `${name} call failed`);
    if (status === 401 || status === 403) {
      const { variable, rejected, check = '', withDetail = false } = this.options.credential;
      const said = withDetail && detail ? `: ${detail}` : '';
      return this.error('VENDOR_AUTH_FAILED', spec, `${name} ${rejected} (${label}${said}); check ${variable}${check}`, context);
    }
    if (status === 429) {
      const retryAfterMs = this.hooks.rateLimited ? this.hooks.rateLimited(answer, spec) : parseRetryAfter(answer.headers['retry-after']);
      const coded = description.code ? ` (${label})` : '';
      return this.error('VENDOR_RATE_LIMITED', spec, `${name} rate limit reached for ${spec.operation}${coded}; try again later`, {
        ...context,
        ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
      });
    }
    if (status >= 500) return this.error('VENDOR_UNAVAILABLE', spec, `${name} ${spec.operation} is unavailable (${label})`, context);
    const own = this.hooks.refusal?.(answer, body, spec, description);
    if (own) return own;
    const said = detail ? `: ${detail}` : '';
    return this.error('VENDOR_BAD_RESPONSE', spec, `${name} ${spec.operation} refused the request (${label}${said})`, context);
  }

  /** The status and the vendor's context of an answer, for its errors. */
  private contextOf(spec: CallSpec, answer: VendorAnswer | undefined): Partial<VendorErrorDetails> {
    if (!answer) return {};
    return { status: answer.status, ...this.hooks.answerContext?.(answer, spec) };
  }

  /** An error body as JSON when it is JSON (whatever its Content-Type says), else undefined: it is only described. */
  private errorBody(answer: VendorAnswer): unknown {
    try {
      return (this.options.parseJson ?? JSON.parse)(answer.text());
    } catch {
      return undefined;
    }
  }

  private breakerError(spec: CallSpec, error: unknown): Error {
    if ((error as { code?: string }).code === 'EOPENBREAKER') {
      return this.error('VENDOR_UNAVAILABLE', spec, `${this.options.displayName} is failing; calls are paused for a while (circuit open)`, {
        circuitOpen: true,
      });
    }
    if (error instanceof Error && 'extensions' in error) return error;
    return this.transportError(spec, error);
  }

  private transportError(spec: CallSpec, error: unknown): Error {
    if (error instanceof Error && 'extensions' in error) return error;
    const code = (error as { code?: string }).code ?? '';
    this.logger.warn(
      {
        vendor: this.options.vendor,
        method: spec.operation,
        errorCode: code,
        detail: vendorDetail(String((error as Error)?.message ?? error)),
      },
      `${this.options.displayName} transport error`,
    );
    const timedOut =
      ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) ||
      (error as Error)?.name === 'TimeoutError';
    if (timedOut)
      return this.error(
        'VENDOR_TIMEOUT',
        spec,
        `${this.options.displayName} ${spec.operation} did not answer within ${this.options.timeoutMs} ms`,
      );
    return this.error(
      'VENDOR_UNAVAILABLE',
      spec,
      `${this.options.displayName} ${spec.operation} could not be reached (${code || 'connection error'})`,
    );
  }
}

/** A content type as an error may name it: the media type only, and only a common one. */
export function mediaType(contentType: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return /^(application\/(json|pdf|xml|octet-stream)|text\/(plain|html|xml))$/.test(type)
    ? type
    : type === ''
      ? 'no content type'
      : 'another content type';
}

/** What a traced call reports on its span. */
interface CallTally {
  /** HTTP retries made (the attempts after the first). */
  retries: number;
  /** As vendor_calls_total's outcome label: ok, or the error code in lower case (vendor_timeout, not_found …). */
  outcome: string;
  /** The call's span, the context its retries run in. */
  context: Context;
}

function outcomeOf(error: Error, sent: boolean): string {
  const extensions =
    (error as { extensions?: { code?: unknown; circuitOpen?: unknown; abandoned?: unknown; notConfigured?: unknown } }).extensions ?? {};
  if (extensions.circuitOpen) return 'circuit_open';
  if (extensions.abandoned) return 'abandoned';
  if (!sent) return 'throttled';
  return typeof extensions.code === 'string' ? extensions.code.toLowerCase() : 'error';
}
