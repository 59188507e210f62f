import { randomUUID } from 'node:crypto';
import type { BreakerSettings } from '../../../config/env.ts';
import { VendorError } from '../../../errors.ts';
import type { Logger } from '../../../observability/logger.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import { cutText, vendorText, vendorToken } from '../../../observability/redaction.ts';
import { VendorHttpClient, type CallSpec, type VendorAnswer } from '../../../vendors/http-core.ts';
import { excerptMismatch, type TbankLookup } from './identity.ts';
import { RateLimitExceeded, RateLimiter, type RateLimit } from './rate-limiter.ts';
import {
  ContractsResponseSchema,
  ErrorBodySchema,
  ExcerptResponseSchema,
  type TbankContractsPage,
  type TbankErrorBody,
  type TbankExcerpt,
} from './schemas.ts';

/** errorCode and errorId (≤50 characters in the spec) and the answered X-Request-Id (≤50) pass only token-shaped. */
const VENDOR_TOKEN_MAX = 64;
/** errorMessage is at most 400 characters (§4.1): it is redacted whole before anything is cut. */
const VENDOR_MESSAGE_MAX = 400;
/** How much of the vendor's message an error carries. */
const DETAIL_MAX = 200;
/**
 * Content types repeated in an error when a non-JSON answer came (a maintenance page, a proxy's text): the header is
 * vendor text, and a free-form subtype could carry any fragment of anything, so only these known ones are named.
 */
const KNOWN_MEDIA_TYPES = new Set(['text/html', 'text/plain', 'text/xml', 'application/xml', 'application/octet-stream']);

/**
 * The vendor's errorMessage as it may appear in an error or a log line: redacted whole (secrets, bearer values, card
 * numbers), registry identifiers (10–15-digit runs: "Данные не найдены: ОГРН …") masked, and only then cut.
 */
export function vendorDetail(message: unknown): string | undefined {
  const text = vendorText(message, VENDOR_MESSAGE_MAX);
  return text === undefined ? undefined : cutText(text.replace(/\d{10,15}/g, '#'), DETAIL_MAX);
}

/** The media type of a Content-Type header when it is a known one, else undefined. */
export function vendorMediaType(contentType: string): string | undefined {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return KNOWN_MEDIA_TYPES.has(type) ? type : undefined;
}

export interface TbankClientOptions {
  /** e.g. https://business.tbank.ru/openapi (TBANK_BASE_URL). */
  baseUrl: string;
  /** Sent only as `Authorization: Bearer …`; never logged, never in an error or a metric. */
  token: string;
  /** Budget of one call once it is admitted by the rate limiter, retries included (TBANK_TIMEOUT). */
  timeoutMs: number;
  retries: number;
  /** TBANK_RATE_LIMIT: at most `calls` calls in any window of `windowMs`, every attempt counted. */
  rateLimit: RateLimit;
  /** TBANK_MAX_WAIT: a call that would wait longer for the rate limiter fails at once with VENDOR_RATE_LIMITED. */
  maxWaitMs: number;
  breaker: BreakerSettings;
}

export type TbankMethod = 'excerpt/by-inn' | 'excerpt' | 'contracts';

/** The most contracts one call may ask for (`limit` is 1…100). */
export const TBANK_CONTRACTS_PAGE_SIZE = 100;

const VENDOR = 'tbank';

/**
 * T-Bank's counterparty check (T-API, "Проверка контрагентов") on the shared HTTP core (src/vendors/http-core.ts):
 * one keep-alive pool, one deadline per call (retries included), 5xx and connection errors retried with full-jitter
 * backoff, a circuit breaker, metrics. On top, through the core's hooks:
 * - every attempt, first or retry, passes the process-wide rate limiter (TBANK_RATE_LIMIT); a call that would wait
 *   longer than TBANK_MAX_WAIT fails at once with VENDOR_RATE_LIMITED and is never sent, so the vendor is not asked
 *   more often than it allows;
 * - a 429 is not retried (there is no Retry-After, and a retry would spend the quota again): the limiter backs off a
 *   whole window and the call fails with VENDOR_RATE_LIMITED;
 * - a fresh X-Request-Id (UUID) per call, logged with the vendor's answer id and put into error extensions;
 * - "not found" is the vendor's 422 NO_DATA, answered as null;
 * - fail closed: an answer about another company than the one asked is VENDOR_BAD_RESPONSE, never a value (so never
 *   cached), and vendor-supplied text reaches errors and logs only through an allow-list: errorCode, errorId and the
 *   answered X-Request-Id when token-shaped (`vendorToken`), errorMessage redacted before it is cut (`vendorDetail`),
 *   a Content-Type only when it is a known media type. The token is registered as a secret.
 */
export class TbankClient {
  readonly limiter: RateLimiter;
  private readonly http: VendorHttpClient;

  constructor(
    private readonly options: TbankClientOptions,
    private readonly logger: Logger,
    metrics: Metrics,
    now: () => number = Date.now,
  ) {
    this.limiter = new RateLimiter(options.rateLimit, now);
    this.http = new VendorHttpClient(
      {
        vendor: VENDOR,
        displayName: 'T-Bank',
        configured: true,
        credentialVariable: 'TBANK_TOKEN',
        baseUrl: `${options.baseUrl}/api/v1/counterparty`,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        // As many sockets as calls the limit allows at once: a granted call must not wait in undici's queue and reach
        // the vendor late, inside the next window.
        connections: Math.max(4, options.rateLimit.calls),
        breaker: options.breaker,
        retryStatuses: [500, 502, 503, 504],
        honourRetryAfter: false,
        secrets: [options.token],
      },
      {
        authorize: (_url, headers) => {
          headers.authorization = `Bearer ${options.token}`;
        },
        errorFor: (answer, spec) => this.statusError(answer, spec),
        admit: (spec) => this.admit(spec),
        beforeRetry: (_spec, remainingMs) => this.retryToken(remainingMs),
        onAnswer: (answer, spec, durationMs) => this.logAnswer(answer, spec, durationMs),
      },
      logger,
      metrics,
    );
  }

  /** The excerpt for an INN (10 or 12 digits); null when T-Bank has no data for it (422 NO_DATA). */
  getExcerptByInn(inn: string, abandoned?: () => boolean): Promise<TbankExcerpt | null> {
    return this.getExcerpt('excerpt/by-inn', { inn }, abandoned);
  }

  /** The excerpt for an OGRN (13) or OGRNIP (15); null when T-Bank has no data for it. */
  getExcerptByOgrn(ogrn: string, abandoned?: () => boolean): Promise<TbankExcerpt | null> {
    return this.getExcerpt('excerpt', { ogrn }, abandoned);
  }

  /** One page of the company's state contracts (offset, limit ≤ 100); null when T-Bank does not know the OGRN. */
  async getContracts(
    ogrn: string,
    offset: number,
    limit = TBANK_CONTRACTS_PAGE_SIZE,
    abandoned?: () => boolean,
  ): Promise<TbankContractsPage | null> {
    if (!Number.isInteger(limit) || limit < 1 || limit > TBANK_CONTRACTS_PAGE_SIZE)
      throw new RangeError(`limit must be 1…${TBANK_CONTRACTS_PAGE_SIZE}`);
    const spec = this.spec('contracts', { ogrn, limit: String(limit), offset: String(offset) }, abandoned);
    return this.http.call(spec, (answer) => {
      const body = this.body(answer, spec);
      if (this.isNoData(answer, body, spec)) return null;
      const { companyCard, data } = this.http.parse(ContractsResponseSchema, body, spec, answer.status);
      // A page of another company's contracts would be listed as this one's.
      if (companyCard.requisites.ogrn !== ogrn) throw this.identityError(spec, answer, 'names another OGRN than the one asked');
      return { total: data.total, items: data.items };
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private getExcerpt(method: TbankMethod, lookup: TbankLookup, abandoned?: () => boolean): Promise<TbankExcerpt | null> {
    const spec = this.spec(method, lookup, abandoned);
    return this.http.call(spec, (answer) => {
      const body = this.body(answer, spec);
      if (this.isNoData(answer, body, spec)) return null;
      const excerpt = this.http.parse(ExcerptResponseSchema, body, spec, answer.status);
      const mismatch = excerptMismatch(excerpt, lookup);
      if (mismatch) throw this.identityError(spec, answer, mismatch);
      return excerpt;
    });
  }

  /** One GET with a fresh X-Request-Id, named in every error of the call. */
  private spec(method: TbankMethod, query: Record<string, string>, abandoned?: () => boolean): CallSpec {
    const requestId = randomUUID();
    return {
      operation: method,
      method: 'GET',
      path: `/${method}`,
      query,
      headers: { accept: 'application/json', 'x-request-id': requestId },
      identifiers: 1,
      answerStatuses: [422],
      context: { vendorRequestId: requestId },
      ...(abandoned ? { abandoned } : {}),
    };
  }

  /** The answer's JSON; what came instead of JSON names the vendor's Content-Type only when it is a known one. */
  private body(answer: VendorAnswer, spec: CallSpec): unknown {
    const context = { status: answer.status, vendorRequestId: this.answeredRequestId(answer, spec) };
    if (!answer.contentType.includes('json'))
      throw this.http.error(
        'VENDOR_BAD_RESPONSE',
        spec,
        `T-Bank ${spec.operation} answered with ${this.notJson(answer.contentType)}`,
        context,
      );
    try {
      return JSON.parse(answer.text()) as unknown;
    } catch {
      throw this.http.error('VENDOR_BAD_RESPONSE', spec, `T-Bank ${spec.operation} answered with malformed JSON`, context);
    }
  }

  /** 422 NO_DATA is the vendor's "no data" (an answer); any other 422 is a refusal. */
  private isNoData(answer: VendorAnswer, body: unknown, spec: CallSpec): boolean {
    if (answer.status !== 422) return false;
    if ((body as TbankErrorBody | undefined)?.errorCode === 'NO_DATA') return true;
    throw this.statusError(answer, spec);
  }

  /** An answer about another company (or about none we can tell): an error, so nothing is cached, not even a "no data". */
  private identityError(spec: CallSpec, answer: VendorAnswer, mismatch: string): VendorError {
    const context = { status: answer.status, vendorRequestId: this.answeredRequestId(answer, spec) };
    this.logger.warn({ vendor: VENDOR, method: spec.operation, ...context, mismatch }, 'T-Bank answer refused: not the company asked');
    const subject = spec.operation === 'contracts' ? 'a page of contracts' : 'an excerpt';
    return this.http.error('VENDOR_BAD_RESPONSE', spec, `T-Bank ${spec.operation} answered with ${subject} that ${mismatch}`, context);
  }

  /** Waits for a rate-limit token, within TBANK_MAX_WAIT; beyond it, fails fast without sending anything. */
  private async admit(spec: CallSpec): Promise<() => void> {
    try {
      return await this.limiter.acquire(this.options.maxWaitMs);
    } catch (error) {
      if (!(error instanceof RateLimitExceeded)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      throw this.http.error(
        'VENDOR_RATE_LIMITED',
        spec,
        `T-Bank rate limit (TBANK_RATE_LIMIT ${this.options.rateLimit.calls} per ${this.options.rateLimit.windowMs / 1000} s) reached; try again in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }

  /** A retry takes its own rate-limit token, within TBANK_MAX_WAIT and the call's deadline, or is not made. */
  private async retryToken(remainingMs: number): Promise<boolean> {
    const budget = Math.min(this.options.maxWaitMs, remainingMs);
    const reservation = budget >= 0 ? this.limiter.reserve(budget) : undefined;
    if (!reservation?.granted) return false;
    await new Promise((resolve) => setTimeout(resolve, reservation.waitMs));
    return true;
  }

  /** The vendor's X-Request-Id when token-shaped, else the one we sent. */
  private answeredRequestId(answer: VendorAnswer, spec: CallSpec): string {
    return vendorToken(answer.headers['x-request-id'], VENDOR_TOKEN_MAX) ?? String(spec.context?.vendorRequestId);
  }

  /** One line per call: our X-Request-Id, and the vendor's own when it differs (or was refused as not token-shaped). */
  private logAnswer(answer: VendorAnswer, spec: CallSpec, durationMs: number): void {
    const header = answer.headers['x-request-id'];
    const answered = vendorToken(header, VENDOR_TOKEN_MAX);
    const requestId = String(spec.context?.vendorRequestId);
    this.logger.info(
      {
        vendor: VENDOR,
        method: spec.operation,
        vendorRequestId: requestId,
        ...(answered && answered !== requestId ? { vendorAnsweredRequestId: answered } : {}),
        ...(header !== undefined && header !== '' && answered === undefined ? { vendorRequestIdRefused: true } : {}),
        status: answer.status,
        durationMs,
      },
      'T-Bank call',
    );
  }

  /** What came instead of JSON; the vendor's Content-Type is repeated only when it is a known media type. */
  private notJson(contentType: string): string {
    if (contentType.includes('json')) return 'malformed JSON';
    if (contentType.trim() === '') return 'no content type instead of JSON';
    const type = vendorMediaType(contentType);
    return type ? `${type} instead of JSON` : 'another content type instead of JSON';
  }

  private statusError(answer: VendorAnswer, spec: CallSpec): VendorError {
    let json: unknown;
    try {
      json = answer.contentType.includes('json') ? JSON.parse(answer.text()) : undefined;
    } catch {
      json = undefined;
    }
    const parsed = ErrorBodySchema.safeParse(json);
    const body = parsed.success ? parsed.data : {};
    const { status } = answer;
    // Every field of the body is vendor text: codes and ids pass only token-shaped, the message redacted then cut.
    const detail = vendorDetail(body.errorMessage);
    const vendorCode = vendorToken(body.errorCode, VENDOR_TOKEN_MAX);
    const errorId = vendorToken(body.errorId, VENDOR_TOKEN_MAX);
    const context = {
      status,
      vendorRequestId: this.answeredRequestId(answer, spec),
      ...(errorId ? { errorId } : {}),
      ...(vendorCode ? { vendorCode } : {}),
    };
    this.logger.warn({ vendor: VENDOR, method: spec.operation, ...context, detail }, 'T-Bank call failed');
    const label = `HTTP ${status}${vendorCode ? ` ${vendorCode}` : ''}`;
    const method = spec.operation;
    if (status === 401 || status === 403) {
      return this.http.error(
        'VENDOR_AUTH_FAILED',
        spec,
        `T-Bank rejected the token (${label}); check TBANK_TOKEN: its scopes, allowed IP addresses and the company's INN/KPP it was issued for`,
        context,
      );
    }
    if (status === 429) {
      const retryAfterSeconds = Math.ceil(this.limiter.backOff() / 1000);
      return this.http.error('VENDOR_RATE_LIMITED', spec, `T-Bank rate limit reached for ${method} (${label}); try again later`, {
        ...context,
        retryAfterSeconds,
      });
    }
    if (status >= 500) return this.http.error('VENDOR_UNAVAILABLE', spec, `T-Bank ${method} is unavailable (${label})`, context);
    return this.http.error(
      'VENDOR_BAD_RESPONSE',
      spec,
      `T-Bank ${method} refused the request (${label}${detail ? `: ${detail}` : ''})`,
      context,
    );
  }
}
