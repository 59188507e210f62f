import { errors as undiciErrors, interceptors, request, type Agent, type Dispatcher, type RetryHandler } from 'undici';
import { backoffMs, isRetryable, parseRetryAfter, RETRY_ERROR_CODES, vendorAgent, vendorBreaker, type VendorBreaker } from '../../../vendors/resilience.ts';
import { z } from 'zod';
import { VendorError } from '../../../errors.ts';
import { isValidInn, isValidOgrn } from '../../../domain/identifiers.ts';
import { redactSecrets, redactUrl, type Logger } from '../../../observability/logger.ts';
import { cutText, registerSecret } from '../../../observability/redaction.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import {
  IdentifierPairsSchema,
  StatSchema,
  type FocusBatchMethod,
  type FocusIdentifierPair,
  type FocusPagedMethod,
  type FocusRecordOf,
  type FocusStat,
} from './schemas.ts';
import { FOCUS_BATCH_METHODS, FOCUS_PAGED_METHODS } from './methods.ts';

export interface FocusClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Budget of one call, retries included (FOCUS_TIMEOUT). */
  timeoutMs: number;
  retries: number;
  /** Open sockets per origin (keep-alive pool); at least the batching concurrency. */
  connections: number;
  breaker: { errorPercent: number; minCalls: number; windowMs: number; resetMs: number };
}

export type FocusIdParam = 'inn' | 'ogrn';

/** The most identifiers Kontur.Focus accepts in one batch call. */
export const FOCUS_MAX_IDS_PER_CALL = 100;
/** Items per page of the paged methods (fssp, govPurchasesOf*); a full page means another may follow. */
export const FOCUS_PAGE_SIZE = 1000;

export type FocusDocumentMethod = 'excerpt' | 'finan' | 'briefReport';

/** One page of a paged method: each registration of the INN (records keyed by OGRN) with its own list. */
export interface FocusPage<T> {
  lists: Array<{ ogrn: string | undefined; items: T[] }>;
}

const VENDOR = 'kontur-focus';
const RETRY_STATUS_CODES = [429, 500, 502, 503, 504];

/**
 * HTTP client for Kontur.Focus API 3.0 on undici:
 * - one keep-alive pool; connect/headers/body timeouts and one deadline per call (FOCUS_TIMEOUT, retries included);
 * - bounded retries of GETs on 429/5xx/connection errors with full-jitter backoff, Retry-After honoured,
 *   and never a retry that would end past the deadline (undici's retry interceptor, with our per-call policy);
 * - a circuit breaker (opossum): when too many calls fail it opens and calls fail fast with VENDOR_UNAVAILABLE,
 *   without reaching the vendor, until a probe call succeeds;
 * - bodies validated with zod; the key travels only in the query string and is redacted everywhere else.
 */
export class FocusClient {
  private readonly agent: Agent;
  private readonly breaker: VendorBreaker;

  constructor(
    private readonly options: FocusClientOptions,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    registerSecret(options.apiKey);
    this.agent = vendorAgent(options.connections, options.timeoutMs);
    this.breaker = vendorBreaker({
      vendor: VENDOR,
      displayName: 'Kontur.Focus',
      settings: options.breaker,
      metrics,
      logger,
      // A rejected key is a configuration problem and a 429 a request to slow down (retries already honour it).
      isNotAFailure: (error) => error instanceof VendorError && (error.code === 'VENDOR_AUTH_FAILED' || error.code === 'VENDOR_RATE_LIMITED'),
    });
  }

  /** One batch call: up to 100 INNs or OGRNs, answered with every matching record (several per INN possible). */
  async getBatch<M extends FocusBatchMethod>(method: M, idParam: FocusIdParam, ids: readonly string[]): Promise<FocusRecordOf<M>[]> {
    if (ids.length === 0) return [];
    if (ids.length > FOCUS_MAX_IDS_PER_CALL) {
      throw new Error(`Kontur.Focus accepts at most ${FOCUS_MAX_IDS_PER_CALL} identifiers per call, got ${ids.length}`);
    }
    return this.call(method, ids.length, async () => {
      const records = this.parse(method, z.array(FOCUS_BATCH_METHODS[method]), await this.getJson(method, { [idParam]: ids.join(',') }));
      this.expectAsked(method, idParam, ids, records as Array<Partial<Record<FocusIdParam, string>>>);
      return records;
    }) as Promise<FocusRecordOf<M>[]>;
  }

  /**
   * A batch answer must be about what was asked: every record carries one of the identifiers we sent. A record
   * without it, or with one we did not ask for, means the answer is not the vendor's shape (a proxy's page, a broken
   * release): VENDOR_BAD_RESPONSE, so nothing of it is cached — least of all "not in the registry" for the rest.
   */
  private expectAsked(method: string, idParam: FocusIdParam, ids: readonly string[], records: ReadonlyArray<Partial<Record<FocusIdParam, string>>>): void {
    const asked = new Set(ids);
    const stray = records.filter((record) => record[idParam] === undefined || !asked.has(record[idParam]!)).length;
    if (stray === 0) return;
    this.logger.warn({ vendor: VENDOR, method, records: records.length, stray }, 'Kontur.Focus answered records for identifiers it was not asked');
    throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered ${stray} record(s) without an identifier that was asked for`, {
      vendor: VENDOR,
      method,
    });
  }

  /** One page (up to 1000 items, newest first) of a paged method for one INN; `skip` is 0, 1000, 2000 … */
  async getPage<M extends FocusPagedMethod>(method: M, inn: string, skip: number): Promise<FocusPage<unknown>> {
    const { schema, items } = FOCUS_PAGED_METHODS[method];
    const params: Record<string, string> = { inn, ...(skip > 0 ? { skip: String(skip) } : {}) };
    const records = (await this.call(method, 1, async () => {
      const body = await this.getJson(method, params);
      this.expectPage(method, inn, items, body);
      return this.parse(method, z.array(schema), body);
    })) as Array<Record<string, unknown> & { inn?: string; ogrn?: string }>;
    // Several registrations of one INN each carry their own list, paged on its own: they are kept apart.
    return { lists: records.map((record) => ({ ogrn: record.ogrn, items: record[items] as unknown[] })) };
  }

  /** A PDF document (excerpt, financial analysis, express report) for one INN; null when the vendor has none (404). */
  async getDocument(method: FocusDocumentMethod, inn: string): Promise<Buffer | null> {
    const params: Record<string, string> = { inn, ...(method === 'briefReport' ? { pdf: 'true' } : {}) };
    return this.call(method, 1, () => this.getPdf(method, params));
  }

  /** Usage of the key per method (stat). */
  async getUsage(): Promise<FocusStat[]> {
    return this.call('stat', 0, async () => this.parse('stat', StatSchema, await this.getJson('stat', {})));
  }

  /** Monitored companies whose req or egrDetails data changed on a date (req/mon, egrDetails/mon). */
  async getChanges(scope: 'req' | 'egrDetails', date: string): Promise<FocusIdentifierPair[]> {
    const method = `${scope}/mon`;
    return this.call(method, 0, async () => this.expectPairs(method, this.parse(method, IdentifierPairsSchema, await this.getJson(method, { date }))));
  }

  /** Adds INNs to the monitored list (monList POST with append=true, never replacing it); answers the list. */
  async addToMonitoring(inns: readonly string[]): Promise<FocusIdentifierPair[]> {
    // A POST is not retried: the retry interceptor only repeats GETs.
    return this.call('monList', inns.length, async () =>
      this.expectPairs('monList', this.parse('monList', IdentifierPairsSchema, await this.getJson('monList', { append: 'true' }, inns.join(',')))),
    );
  }

  /**
   * A page must be about the INN asked, each registration's record carrying its list (`[]` when empty, as every
   * captured answer does): a record for another INN, without one, or without its list is not the vendor's shape —
   * cached, it would say "no proceedings" for twelve hours.
   */
  private expectPage(method: string, inn: string, items: string, body: unknown): void {
    const bad =
      !Array.isArray(body) ||
      body.some((record) => typeof record !== 'object' || record === null || (record as { inn?: unknown }).inn !== inn || !Array.isArray((record as Record<string, unknown>)[items]));
    if (!bad) return;
    this.logger.warn({ vendor: VENDOR, method }, 'Kontur.Focus answered a page that is not about the INN asked');
    throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered a page that is not about the INN asked`, { vendor: VENDOR, method });
  }

  /** Monitoring answers name companies: every pair must carry a valid INN or OGRN, or the answer is not the vendor's. */
  private expectPairs(method: string, pairs: FocusIdentifierPair[]): FocusIdentifierPair[] {
    const bad = pairs.filter((pair) => !(pair.inn && isValidInn(pair.inn)) && !(pair.ogrn && isValidOgrn(pair.ogrn))).length;
    if (bad === 0) return pairs;
    this.logger.warn({ vendor: VENDOR, method, bad }, 'Kontur.Focus answered monitoring records without a valid identifier');
    throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered ${bad} record(s) without a valid INN or OGRN`, { vendor: VENDOR, method });
  }

  /** Every vendor call passes the circuit breaker and is counted; a call refused by the open breaker never leaves. */
  private async call<T>(method: string, identifiers: number, run: () => Promise<T>): Promise<T> {
    const stopTimer = this.metrics.vendorLatency.startTimer({ vendor: VENDOR, method });
    let outcome = 'ok';
    try {
      return (await this.breaker.fire(run)) as T;
    } catch (error) {
      const vendorError = this.breakerError(method, error);
      outcome = vendorError.extensions.circuitOpen ? 'circuit_open' : vendorError.code.toLowerCase();
      throw vendorError;
    } finally {
      if (outcome !== 'circuit_open') {
        stopTimer();
        if (identifiers > 0) this.metrics.vendorBatchSize.observe({ vendor: VENDOR, method }, identifiers);
      }
      this.metrics.vendorCalls.inc({ vendor: VENDOR, method, outcome });
    }
  }

  private parse<T>(method: string, schema: z.ZodType<T>, body: unknown): T {
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    this.logger.warn({ vendor: VENDOR, method, path: issue?.path.join('.') }, 'Kontur.Focus answer failed validation');
    throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered with an unexpected shape`, { vendor: VENDOR, method });
  }

  async close(): Promise<void> {
    this.breaker.shutdown();
    await this.agent.close();
  }

  private breakerError(method: string, error: unknown): VendorError {
    if (error instanceof VendorError) return error;
    if ((error as { code?: string }).code === 'EOPENBREAKER') {
      return new VendorError('VENDOR_UNAVAILABLE', 'Kontur.Focus is failing; calls are paused for a while (circuit open)', {
        vendor: VENDOR,
        method,
        circuitOpen: true,
      });
    }
    return this.transportError(method, error);
  }

  private async getJson(method: string, params: Record<string, string>, postBody?: string): Promise<unknown> {
    const response = await this.send(method, params, 'application/json', postBody);
    const raw = await response.body.text().catch((error: unknown) => {
      throw this.transportError(method, error);
    });
    this.expectContentType(method, response, 'json');
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered with malformed JSON`, { vendor: VENDOR, method, status: response.statusCode });
    }
  }

  private async getPdf(method: string, params: Record<string, string>): Promise<Buffer | null> {
    let response: Dispatcher.ResponseData<unknown>;
    try {
      response = await this.send(method, params, 'application/pdf');
    } catch (error) {
      if (error instanceof VendorError && error.extensions.status === 404) return null;
      throw error;
    }
    const bytes = Buffer.from(await response.body.arrayBuffer().catch((error: unknown) => {
      throw this.transportError(method, error);
    }));
    // The vendor's PDF content type is unconfirmed: the bytes decide. An empty JSON array means "nothing for this INN".
    if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return bytes;
    if (bytes.toString('utf8').trim() === '[]') return null;
    this.expectContentType(method, response, 'pdf');
    throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered with something that is not a PDF`, { vendor: VENDOR, method, status: response.statusCode });
  }

  /** One HTTP exchange with the deadline and retry policy; a non-2xx status becomes a VendorError (body read as text). */
  private async send(method: string, params: Record<string, string>, accept: string, postBody?: string): Promise<Dispatcher.ResponseData<unknown>> {
    const url = new URL(`${this.options.baseUrl}/${method}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    url.searchParams.set('key', this.options.apiKey);

    const deadline = Date.now() + this.options.timeoutMs;
    let response: Dispatcher.ResponseData<unknown>;
    try {
      response = await request(url, {
        method: postBody === undefined ? 'GET' : 'POST',
        // The retry policy needs this call's deadline, so each call composes its own retry interceptor over the shared pool.
        dispatcher: this.agent.compose(
          interceptors.retry({
            maxRetries: this.options.retries,
            methods: ['GET'],
            statusCodes: RETRY_STATUS_CODES,
            errorCodes: RETRY_ERROR_CODES,
            throwOnError: true,
            retry: this.retryPolicy(method, deadline),
          }),
        ),
        headers: { accept, ...(postBody === undefined ? {} : { 'content-type': 'text/plain; charset=utf-8' }) },
        ...(postBody === undefined ? {} : { body: postBody }),
        // One deadline for the whole call, retries included: a trickling body or a retry storm cannot hold a slot longer.
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw this.transportError(method, error);
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await response.body.text().catch(() => '');
      throw this.statusError(method, response.statusCode, text, response.headers['retry-after']);
    }
    return response;
  }

  private expectContentType(method: string, response: Dispatcher.ResponseData<unknown>, expected: string): void {
    const contentType = String(response.headers['content-type'] ?? '');
    if (contentType.includes(expected)) return;
    throw new VendorError(
      'VENDOR_BAD_RESPONSE',
      `Kontur.Focus ${method} answered with ${contentType.split(';')[0] || 'no content type'} instead of ${expected === 'json' ? 'JSON' : 'a PDF'}`,
      { vendor: VENDOR, method, status: response.statusCode },
    );
  }

  /**
   * When to retry one call: retryable statuses and connection errors only, at most FOCUS_RETRIES times,
   * after Retry-After when the vendor sends it, else exponential backoff with full jitter; and never when
   * the wait would end past the call's deadline.
   */
  private retryPolicy(method: string, deadline: number): RetryHandler.RetryCallback {
    return (error, { state }, callback) => {
      const { headers } = error as Error & { headers?: Record<string, unknown> };
      if (!isRetryable(error, RETRY_STATUS_CODES) || state.counter > this.options.retries) return callback(error);
      const waitMs = parseRetryAfter(headers?.['retry-after']) ?? backoffMs(state.counter);
      if (Date.now() + waitMs >= deadline) return callback(error);
      this.metrics.vendorRetries.inc({ vendor: VENDOR, method });
      setTimeout(() => callback(null), waitMs);
    };
  }

  private statusError(method: string, status: number, body: string, retryAfter: unknown): VendorError {
    // The body is vendor text that may echo identifiers: INN/OGRN-like digit runs are masked before it is logged or returned.
    // Redacted before it is cut, so a secret the vendor echoed cannot survive as a prefix.
    const detail = cutText(redactSecrets(body, [this.options.apiKey]).replace(/\d{10,15}/g, '#').trim(), 200);
    const context = { vendor: VENDOR as 'kontur-focus', method, status };
    this.logger.warn({ ...context, detail }, 'Kontur.Focus call failed');
    if (status === 401 || status === 403) {
      return new VendorError('VENDOR_AUTH_FAILED', `Kontur.Focus rejected the API key (HTTP ${status}); check FOCUS_API_KEY`, context);
    }
    if (status === 429) {
      const retryAfterMs = parseRetryAfter(retryAfter);
      return new VendorError('VENDOR_RATE_LIMITED', `Kontur.Focus rate limit reached for ${method}; try again later`, {
        ...context,
        ...(retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
      });
    }
    if (status >= 500) return new VendorError('VENDOR_UNAVAILABLE', `Kontur.Focus ${method} is unavailable (HTTP ${status})`, context);
    if (status === 404) return new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} has nothing for this identifier (HTTP 404)`, context);
    return new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} refused the request (HTTP ${status}: ${detail})`, context);
  }

  private transportError(method: string, error: unknown): VendorError {
    const context = { vendor: VENDOR as 'kontur-focus', method };
    if (error instanceof VendorError) return error;
    // The retry interceptor gives up on a retryable status with a RequestRetryError carrying it.
    if (error instanceof undiciErrors.RequestRetryError) {
      return this.statusError(method, error.statusCode, '', error.headers?.['retry-after']);
    }
    const code = (error as { code?: string }).code ?? '';
    const message = redactSecrets(redactUrl(String((error as Error)?.message ?? error)), [this.options.apiKey]);
    this.logger.warn({ ...context, errorCode: code, detail: message }, 'Kontur.Focus transport error');
    const timedOut =
      ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) || (error as Error)?.name === 'TimeoutError';
    if (timedOut) {
      return new VendorError('VENDOR_TIMEOUT', `Kontur.Focus ${method} did not answer within ${this.options.timeoutMs} ms`, context);
    }
    return new VendorError('VENDOR_UNAVAILABLE', `Kontur.Focus ${method} could not be reached (${code || 'connection error'})`, context);
  }
}
