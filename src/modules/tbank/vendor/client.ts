import { randomUUID } from 'node:crypto';
import { interceptors, request, type Agent, type Dispatcher, type RetryHandler } from 'undici';
import { backoffMs, isRetryable, RETRY_ERROR_CODES, vendorAgent, vendorBreaker, type VendorBreaker } from '../../../vendors/resilience.ts';
import type { z } from 'zod';
import { VendorError } from '../../../errors.ts';
import type { Logger } from '../../../observability/logger.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import { cutText, registerSecret, vendorText, vendorToken } from '../../../observability/redaction.ts';
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
  breaker: { errorPercent: number; minCalls: number; windowMs: number; resetMs: number };
}

export type TbankMethod = 'excerpt/by-inn' | 'excerpt' | 'contracts';

/** The most contracts one call may ask for (`limit` is 1…100). */
export const TBANK_CONTRACTS_PAGE_SIZE = 100;

const VENDOR = 'tbank';
const RETRY_STATUS_CODES = [500, 502, 503, 504];

interface Exchange {
  status: number;
  /** The parsed JSON body; undefined when it was not JSON. */
  body: unknown;
  contentType: string;
  /** The X-Request-Id the vendor answered with when token-shaped, else the one we sent. */
  vendorRequestId: string;
}

/**
 * HTTP client for T-Bank's counterparty check (T-API, "Проверка контрагентов") on undici, built like the Kontur.Focus
 * client: one keep-alive pool, one deadline per call (retries included), 5xx and connection errors retried with
 * full-jitter backoff, a circuit breaker, bodies validated with zod, and every call counted in the metrics. On top:
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
 *   a Content-Type only when it is a known media type. The token is registered as a secret, so a vendor echoing it back
 *   (whole, or cut to a prefix) is masked wherever the text goes.
 */
export class TbankClient {
  readonly limiter: RateLimiter;
  private readonly agent: Agent;
  private readonly breaker: VendorBreaker;

  constructor(
    private readonly options: TbankClientOptions,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    now: () => number = Date.now,
  ) {
    registerSecret(options.token);
    this.limiter = new RateLimiter(options.rateLimit, now);
    // As many sockets as calls the limit allows at once: a granted call must not wait in undici's queue and reach
    // the vendor late, inside the next window.
    this.agent = vendorAgent(Math.max(4, options.rateLimit.calls), options.timeoutMs);
    this.breaker = vendorBreaker({
      vendor: VENDOR,
      displayName: 'T-Bank',
      settings: options.breaker,
      metrics,
      logger,
      // A rejected token is a configuration problem, a 429 or a throttled call back-pressure: not an outage.
      isNotAFailure: (error) => error instanceof VendorError && (error.code === 'VENDOR_AUTH_FAILED' || error.code === 'VENDOR_RATE_LIMITED'),
    });
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
  async getContracts(ogrn: string, offset: number, limit = TBANK_CONTRACTS_PAGE_SIZE, abandoned?: () => boolean): Promise<TbankContractsPage | null> {
    if (!Number.isInteger(limit) || limit < 1 || limit > TBANK_CONTRACTS_PAGE_SIZE) throw new RangeError(`limit must be 1…${TBANK_CONTRACTS_PAGE_SIZE}`);
    const method = 'contracts';
    return this.call(method, async () => {
      const answer = await this.exchange(method, { ogrn, limit: String(limit), offset: String(offset) });
      if (this.isNoData(answer)) return null;
      const { companyCard, data } = this.parse(method, answer, ContractsResponseSchema);
      // A page of another company's contracts would be listed as this one's.
      if (companyCard.requisites.ogrn !== ogrn) throw this.identityError(method, answer, 'names another OGRN than the one asked');
      return { total: data.total, items: data.items };
    }, abandoned);
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.agent.close();
  }

  private getExcerpt(method: TbankMethod, lookup: TbankLookup, abandoned?: () => boolean): Promise<TbankExcerpt | null> {
    return this.call(method, async () => {
      const answer = await this.exchange(method, lookup);
      if (this.isNoData(answer)) return null;
      const excerpt = this.parse(method, answer, ExcerptResponseSchema);
      const mismatch = excerptMismatch(excerpt, lookup);
      if (mismatch) throw this.identityError(method, answer, mismatch);
      return excerpt;
    }, abandoned);
  }

  /** An answer about another company (or about none we can tell): an error, so nothing is cached, not even a "no data". */
  private identityError(method: TbankMethod, answer: Exchange, mismatch: string): VendorError {
    const context = { vendor: VENDOR as 'tbank', method, status: answer.status, vendorRequestId: answer.vendorRequestId };
    this.logger.warn({ ...context, mismatch }, 'T-Bank answer refused: not the company asked');
    const subject = method === 'contracts' ? 'a page of contracts' : 'an excerpt';
    return new VendorError('VENDOR_BAD_RESPONSE', `T-Bank ${method} answered with ${subject} that ${mismatch}`, context);
  }

  /**
   * Every call passes the circuit breaker (an open breaker spends no rate-limit token), then the rate limiter, and is
   * counted: outcome `ok`, the error code in lower case, `circuit_open` or `throttled` (both never sent).
   */
  private async call<T>(method: TbankMethod, run: () => Promise<T>, abandoned?: () => boolean): Promise<T> {
    const stopTimer = this.metrics.vendorLatency.startTimer({ vendor: VENDOR, method });
    let sent = false;
    let outcome = 'ok';
    try {
      return (await this.breaker.fire(async () => {
        const done = await this.admit(method);
        // The wait for a token may outlast everyone who asked: then the quota is not spent on nobody.
        if (abandoned?.()) {
          done();
          outcome = 'abandoned';
          throw new VendorError('VENDOR_TIMEOUT', `T-Bank ${method}: dropped before it was sent, nobody waits for it any more`, { vendor: VENDOR, method, operationDeadline: true });
        }
        sent = true;
        try {
          return await run();
        } finally {
          done();
        }
      })) as T;
    } catch (error) {
      const vendorError = this.breakerError(method, error);
      if (outcome !== 'abandoned') outcome = vendorError.extensions.circuitOpen ? 'circuit_open' : sent ? vendorError.code.toLowerCase() : 'throttled';
      throw vendorError;
    } finally {
      if (sent) {
        stopTimer();
        this.metrics.vendorBatchSize.observe({ vendor: VENDOR, method }, 1);
      }
      this.metrics.vendorCalls.inc({ vendor: VENDOR, method, outcome });
    }
  }

  /** Waits for a rate-limit token, within TBANK_MAX_WAIT; beyond it, fails fast without sending anything. */
  private async admit(method: TbankMethod): Promise<() => void> {
    try {
      return await this.limiter.acquire(this.options.maxWaitMs);
    } catch (error) {
      if (!(error instanceof RateLimitExceeded)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      throw new VendorError(
        'VENDOR_RATE_LIMITED',
        `T-Bank rate limit (TBANK_RATE_LIMIT ${this.options.rateLimit.calls} per ${this.options.rateLimit.windowMs / 1000} s) reached; try again in ${retryAfterSeconds} s`,
        { vendor: VENDOR, method, retryAfterSeconds },
      );
    }
  }

  private isNoData(answer: Exchange): boolean {
    return answer.status === 422 && (answer.body as TbankErrorBody | undefined)?.errorCode === 'NO_DATA';
  }

  private parse<S extends z.ZodType>(method: TbankMethod, answer: Exchange, schema: S): z.output<S> {
    if (answer.status < 200 || answer.status >= 300) throw this.statusError(method, answer);
    const context = { vendor: VENDOR as 'tbank', method, status: answer.status, vendorRequestId: answer.vendorRequestId };
    if (answer.body === undefined) {
      throw new VendorError('VENDOR_BAD_RESPONSE', `T-Bank ${method} answered with ${this.notJson(answer.contentType)}`, context);
    }
    const parsed = schema.safeParse(answer.body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    // The path may name keys of the vendor's body (record keys): it is vendor text like any other.
    const path = vendorText(issue?.path.map(String).join('.'), 120);
    this.logger.warn({ vendor: VENDOR, method, vendorRequestId: answer.vendorRequestId, path }, 'T-Bank answer failed validation');
    throw new VendorError('VENDOR_BAD_RESPONSE', `T-Bank ${method} answered with an unexpected shape`, context);
  }

  /** What came instead of JSON; the vendor's Content-Type is repeated only when it is a known media type. */
  private notJson(contentType: string): string {
    if (contentType.includes('json')) return 'malformed JSON';
    if (contentType.trim() === '') return 'no content type instead of JSON';
    const type = vendorMediaType(contentType);
    return type ? `${type} instead of JSON` : 'another content type instead of JSON';
  }

  /** One HTTP exchange under the call's deadline and retry policy; any status comes back with its (JSON) body. */
  private async exchange(method: TbankMethod, params: Record<string, string>): Promise<Exchange> {
    const url = new URL(`${this.options.baseUrl}/api/v1/counterparty/${method}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    const requestId = randomUUID();
    const started = Date.now();
    const deadline = started + this.options.timeoutMs;
    let response: Dispatcher.ResponseData<unknown>;
    let raw: string;
    try {
      response = await request(url, {
        method: 'GET',
        // The retry policy needs this call's deadline, so each call composes its own retry interceptor over the pool.
        // throwOnError: false hands the final answer back whatever its status, so its error body can be read.
        dispatcher: this.agent.compose(
          interceptors.retry({
            maxRetries: this.options.retries,
            methods: ['GET'],
            statusCodes: RETRY_STATUS_CODES,
            errorCodes: RETRY_ERROR_CODES,
            throwOnError: false,
            retry: this.retryPolicy(method, deadline),
          }),
        ),
        headers: { accept: 'application/json', authorization: `Bearer ${this.options.token}`, 'x-request-id': requestId },
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      raw = await response.body.text();
    } catch (error) {
      throw this.transportError(method, requestId, error);
    }
    const header = response.headers['x-request-id'];
    // The answered id is vendor text: passed on only when token-shaped, else our own id stands for the call.
    const answered = vendorToken(header, VENDOR_TOKEN_MAX);
    const refused = header !== undefined && header !== '' && answered === undefined;
    const contentType = String(response.headers['content-type'] ?? '');
    this.logger.info(
      // vendorRequestId: the X-Request-Id we sent (not the operation's requestId); the vendor's own when it differs.
      {
        vendor: VENDOR,
        method,
        vendorRequestId: requestId,
        ...(answered && answered !== requestId ? { vendorAnsweredRequestId: answered } : {}),
        ...(refused ? { vendorRequestIdRefused: true } : {}),
        status: response.statusCode,
        durationMs: Date.now() - started,
      },
      'T-Bank call',
    );
    let body: unknown;
    try {
      body = contentType.includes('json') ? (JSON.parse(raw) as unknown) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.statusCode, body, contentType, vendorRequestId: answered ?? requestId };
  }

  /**
   * When to retry: 5xx and connection errors only (a 429 never: see the class comment), at most TBANK_RETRIES times,
   * after a full-jitter backoff, and only if the rate limiter grants the retry its own token in time — never past the
   * call's deadline nor TBANK_MAX_WAIT.
   */
  private retryPolicy(method: TbankMethod, deadline: number): RetryHandler.RetryCallback {
    return (error, { state }, callback) => {
      if (!isRetryable(error, RETRY_STATUS_CODES) || state.counter > this.options.retries) return callback(error);
      const waitMs = backoffMs(state.counter);
      if (Date.now() + waitMs >= deadline) return callback(error);
      setTimeout(() => {
        const budget = Math.min(this.options.maxWaitMs, deadline - Date.now());
        const reservation = budget >= 0 ? this.limiter.reserve(budget) : undefined;
        if (!reservation?.granted) return callback(error);
        setTimeout(() => {
          this.metrics.vendorRetries.inc({ vendor: VENDOR, method });
          callback(null);
        }, reservation.waitMs);
      }, waitMs);
    };
  }

  private statusError(method: TbankMethod, answer: Exchange): VendorError {
    const parsed = ErrorBodySchema.safeParse(answer.body);
    const body = parsed.success ? parsed.data : {};
    const { status, vendorRequestId } = answer;
    // Every field of the body is vendor text: codes and ids pass only token-shaped, the message redacted then cut.
    const detail = vendorDetail(body.errorMessage);
    const vendorCode = vendorToken(body.errorCode, VENDOR_TOKEN_MAX);
    const errorId = vendorToken(body.errorId, VENDOR_TOKEN_MAX);
    const context = {
      vendor: VENDOR as 'tbank',
      method,
      status,
      vendorRequestId,
      ...(errorId ? { errorId } : {}),
      ...(vendorCode ? { vendorCode } : {}),
    };
    this.logger.warn({ ...context, detail }, 'T-Bank call failed');
    const label = `HTTP ${status}${vendorCode ? ` ${vendorCode}` : ''}`;
    if (status === 401 || status === 403) {
      return new VendorError(
        'VENDOR_AUTH_FAILED',
        `T-Bank rejected the token (${label}); check TBANK_TOKEN: its scopes, allowed IP addresses and the company's INN/KPP it was issued for`,
        context,
      );
    }
    if (status === 429) {
      const retryAfterSeconds = Math.ceil(this.limiter.backOff() / 1000);
      return new VendorError('VENDOR_RATE_LIMITED', `T-Bank rate limit reached for ${method} (${label}); try again later`, { ...context, retryAfterSeconds });
    }
    if (status >= 500) return new VendorError('VENDOR_UNAVAILABLE', `T-Bank ${method} is unavailable (${label})`, context);
    return new VendorError('VENDOR_BAD_RESPONSE', `T-Bank ${method} refused the request (${label}${detail ? `: ${detail}` : ''})`, context);
  }

  private transportError(method: TbankMethod, requestId: string, error: unknown): VendorError {
    if (error instanceof VendorError) return error;
    const context = { vendor: VENDOR as 'tbank', method, vendorRequestId: requestId };
    const code = vendorToken((error as { code?: unknown }).code) ?? '';
    // undici's messages name no headers, but they are redacted anyway, and never the error object itself is logged.
    const message = vendorText(String((error as Error)?.message ?? error), DETAIL_MAX);
    this.logger.warn({ ...context, errorCode: code, detail: message }, 'T-Bank transport error');
    const timedOut =
      ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) || (error as Error)?.name === 'TimeoutError';
    if (timedOut) return new VendorError('VENDOR_TIMEOUT', `T-Bank ${method} did not answer within ${this.options.timeoutMs} ms`, context);
    return new VendorError('VENDOR_UNAVAILABLE', `T-Bank ${method} could not be reached (${code || 'connection error'})`, context);
  }

  private breakerError(method: TbankMethod, error: unknown): VendorError {
    if (error instanceof VendorError) return error;
    if ((error as { code?: string }).code === 'EOPENBREAKER') {
      return new VendorError('VENDOR_UNAVAILABLE', 'T-Bank is failing; calls are paused for a while (circuit open)', { vendor: VENDOR, method, circuitOpen: true });
    }
    this.logger.warn({ vendor: VENDOR, method, detail: vendorText(String((error as Error)?.message ?? error), DETAIL_MAX) }, 'T-Bank call failed unexpectedly');
    return new VendorError('VENDOR_UNAVAILABLE', `T-Bank ${method} failed unexpectedly`, { vendor: VENDOR, method });
  }
}
