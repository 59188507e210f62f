import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../observability/logger.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import type { TbankConfig } from '../config.ts';
import { vendorDetail, vendorToken } from '../../../observability/redaction.ts';
import { VendorHttpClient, type CallSpec, type VendorAnswer, type VendorDescription } from '../../../vendors/http-core.ts';
import { excerptMismatch, type TbankLookup } from './identity.ts';
import { RateLimitExceeded, RateLimiter, type CallLimiter } from '../../../vendors/rate-limiter.ts';
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

/**
 * The client's part of the TBANK_* slice, with the token set: sent only as `Authorization: Bearer …`, never logged,
 * never in an error or a metric. The call budget (TBANK_TIMEOUT) counts once the rate limiter admits the call;
 * TBANK_RATE_LIMIT counts every attempt; a call that would wait longer than TBANK_MAX_WAIT for the limiter fails at
 * once with VENDOR_RATE_LIMITED.
 */
export type TbankClientOptions = Pick<TbankConfig, 'baseUrl' | 'timeoutMs' | 'retries' | 'rateLimit' | 'maxWaitMs' | 'breaker'> & {
  token: string;
  /** The limiter of TBANK_RATE_LIMIT: shared by the replicas when there is a shared store; default, this process's own. */
  limiter?: CallLimiter;
};

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
  readonly limiter: CallLimiter;
  private readonly http: VendorHttpClient;

  constructor(
    private readonly options: TbankClientOptions,
    private readonly logger: Logger,
    metrics: Metrics,
    now: () => number = Date.now,
  ) {
    this.limiter = options.limiter ?? new RateLimiter(options.rateLimit, now);
    this.http = new VendorHttpClient(
      {
        vendor: VENDOR,
        displayName: 'T-Bank',
        configured: true,
        credential: {
          variable: 'TBANK_TOKEN',
          rejected: 'rejected the token',
          check: ": its scopes, allowed IP addresses and the company's INN/KPP it was issued for",
        },
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
        answerContext: (answer, spec) => ({ vendorRequestId: this.answeredRequestId(answer, spec) }),
        describe: (_answer, body) => describe(body),
        // A 429 is not retried (no Retry-After, and a retry would spend the quota again): the limiter backs off a window.
        rateLimited: () => this.limiter.backOff(),
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
      const body = this.http.json(answer, spec);
      if (this.isNoData(answer, body, spec)) return null;
      const { companyCard, data } = this.http.parse(ContractsResponseSchema, body, spec, answer);
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
      const body = this.http.json(answer, spec);
      if (this.isNoData(answer, body, spec)) return null;
      const excerpt = this.http.parse(ExcerptResponseSchema, body, spec, answer);
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

  /** 422 NO_DATA is the vendor's "no data" (an answer); any other 422 is a refusal. */
  private isNoData(answer: VendorAnswer, body: unknown, spec: CallSpec): boolean {
    if (answer.status !== 422) return false;
    if ((body as TbankErrorBody | undefined)?.errorCode === 'NO_DATA') return true;
    throw this.http.statusError(answer, spec);
  }

  /** An answer about another company (or about none we can tell): an error, so nothing is cached, not even a "no data". */
  private identityError(spec: CallSpec, answer: VendorAnswer, mismatch: string): Error {
    const vendorRequestId = this.answeredRequestId(answer, spec);
    this.logger.warn(
      { vendor: VENDOR, method: spec.operation, status: answer.status, vendorRequestId, mismatch },
      'T-Bank answer refused: not the company asked',
    );
    const subject = spec.operation === 'contracts' ? 'a page of contracts' : 'an excerpt';
    return this.http.badResponse(spec, `answered with ${subject} that ${mismatch}`, answer);
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
    if (budget < 0) return false;
    try {
      // The token comes back one window after it is taken: a retry's answer is not waited for here.
      const done = await this.limiter.acquire(budget);
      done();
      return true;
    } catch (error) {
      if (error instanceof RateLimitExceeded) return false;
      throw error;
    }
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
}

/**
 * T-Bank's error body `{ errorId, errorCode, errorMessage }`: every field of it is vendor text, so codes and ids pass
 * only token-shaped, the message through vendorDetail.
 */
function describe(body: unknown): VendorDescription {
  const parsed = ErrorBodySchema.safeParse(body);
  const { errorCode, errorId, errorMessage } = parsed.success ? parsed.data : {};
  const code = vendorToken(errorCode, VENDOR_TOKEN_MAX);
  const id = vendorToken(errorId, VENDOR_TOKEN_MAX);
  return {
    ...(code ? { code } : {}),
    detail: vendorDetail(errorMessage),
    context: { ...(id ? { errorId: id } : {}), ...(code ? { vendorCode: code } : {}) },
  };
}
