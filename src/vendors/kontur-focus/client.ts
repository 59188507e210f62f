import { Agent, errors as undiciErrors, interceptors, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import { VendorError } from '../../errors.ts';
import { redactSecrets, redactUrl, type Logger } from '../../observability/logger.ts';
import { FOCUS_BATCH_METHODS, type FocusBatchMethod, type FocusRecordOf } from './schemas.ts';

export interface FocusClientOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  retries: number;
  /** Open sockets per origin (keep-alive pool); at least the batching concurrency. */
  connections: number;
}

export type FocusIdParam = 'inn' | 'ogrn';

/** The most identifiers Kontur.Focus accepts in one batch call. */
export const FOCUS_MAX_IDS_PER_CALL = 100;

const RETRY_STATUS_CODES = [429, 500, 502, 503, 504];

/**
 * HTTP client for Kontur.Focus API 3.0 on undici: one keep-alive pool, explicit timeouts, bounded retries
 * for idempotent GETs (429/5xx/connection errors, Retry-After honoured), bodies validated with zod.
 * The key travels only in the query string and is redacted from anything that can be logged or returned.
 */
export class FocusClient {
  private readonly dispatcher: Dispatcher;
  private readonly agent: Agent;

  constructor(
    private readonly options: FocusClientOptions,
    private readonly logger: Logger,
  ) {
    this.agent = new Agent({
      connections: options.connections,
      keepAliveTimeout: 30_000,
      connectTimeout: Math.min(options.timeoutMs, 5_000),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    this.dispatcher = this.agent.compose(
      interceptors.retry({
        maxRetries: options.retries,
        minTimeout: 200,
        maxTimeout: Math.min(options.timeoutMs, 5_000),
        timeoutFactor: 2,
        methods: ['GET'],
        statusCodes: RETRY_STATUS_CODES,
        retryAfter: true,
        throwOnError: true,
      }),
    );
  }

  /** One batch call: up to 100 INNs or OGRNs, answered with every matching record (several per INN possible). */
  async getBatch<M extends FocusBatchMethod>(
    method: M,
    idParam: FocusIdParam,
    ids: readonly string[],
  ): Promise<FocusRecordOf<M>[]> {
    if (ids.length === 0) return [];
    if (ids.length > FOCUS_MAX_IDS_PER_CALL) {
      throw new Error(`Kontur.Focus accepts at most ${FOCUS_MAX_IDS_PER_CALL} identifiers per call, got ${ids.length}`);
    }
    const body = await this.getJson(method, { [idParam]: ids.join(',') });
    const parsed = z.array(FOCUS_BATCH_METHODS[method]).safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.logger.warn({ vendor: 'kontur-focus', method, path: issue?.path.join('.') }, 'Kontur.Focus answer failed validation');
      throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered with an unexpected shape`, {
        vendor: 'kontur-focus',
        method,
      });
    }
    return parsed.data as FocusRecordOf<M>[];
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async getJson(method: string, params: Record<string, string>): Promise<unknown> {
    const url = new URL(`${this.options.baseUrl}/${method}`);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    url.searchParams.set('key', this.options.apiKey);

    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        dispatcher: this.dispatcher,
        headers: { accept: 'application/json' },
        // One deadline for the whole call, retries included: a trickling body or a retry storm cannot hold a slot longer.
        signal: AbortSignal.timeout(this.options.timeoutMs * (this.options.retries + 1)),
      });
    } catch (error) {
      throw this.transportError(method, error);
    }

    const { statusCode, headers } = response;
    if (statusCode < 200 || statusCode >= 300) {
      const text = await response.body.text().catch(() => '');
      throw this.statusError(method, statusCode, text, headers['retry-after']);
    }
    const contentType = String(headers['content-type'] ?? '');
    const raw = await response.body.text().catch((error: unknown) => {
      throw this.transportError(method, error);
    });
    if (!contentType.includes('json')) {
      throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered with ${contentType || 'no content type'} instead of JSON`, {
        vendor: 'kontur-focus',
        method,
        status: statusCode,
      });
    }
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} answered with malformed JSON`, {
        vendor: 'kontur-focus',
        method,
        status: statusCode,
      });
    }
  }

  private statusError(method: string, status: number, body: string, retryAfter: unknown): VendorError {
    const detail = redactSecrets(body.slice(0, 200).trim(), [this.options.apiKey]);
    const context = { vendor: 'kontur-focus' as const, method, status };
    this.logger.warn({ ...context, detail }, 'Kontur.Focus call failed');
    if (status === 401 || status === 403) {
      return new VendorError('VENDOR_AUTH_FAILED', `Kontur.Focus rejected the API key (HTTP ${status}); check FOCUS_API_KEY`, context);
    }
    if (status === 429) {
      const seconds = Number(retryAfter);
      return new VendorError('VENDOR_RATE_LIMITED', `Kontur.Focus rate limit reached for ${method}; try again later`, {
        ...context,
        ...(Number.isFinite(seconds) ? { retryAfterSeconds: seconds } : {}),
      });
    }
    if (status >= 500) {
      return new VendorError('VENDOR_UNAVAILABLE', `Kontur.Focus ${method} is unavailable (HTTP ${status})`, context);
    }
    return new VendorError('VENDOR_BAD_RESPONSE', `Kontur.Focus ${method} refused the request (HTTP ${status}: ${detail})`, context);
  }

  private transportError(method: string, error: unknown): VendorError {
    const context = { vendor: 'kontur-focus' as const, method };
    if (error instanceof VendorError) return error;
    // The retry interceptor gives up on a retryable status with a RequestRetryError carrying it.
    if (error instanceof undiciErrors.RequestRetryError) {
      return this.statusError(method, error.statusCode, '', error.headers?.['retry-after']);
    }
    const code = (error as { code?: string }).code ?? '';
    const message = redactUrl(String((error as Error).message ?? error));
    this.logger.warn({ ...context, errorCode: code, detail: redactSecrets(message, [this.options.apiKey]) }, 'Kontur.Focus transport error');
    const timedOut = ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) || (error as Error)?.name === 'TimeoutError';
    if (timedOut) {
      return new VendorError('VENDOR_TIMEOUT', `Kontur.Focus ${method} did not answer within ${this.options.timeoutMs} ms`, context);
    }
    return new VendorError('VENDOR_UNAVAILABLE', `Kontur.Focus ${method} could not be reached (${code || 'connection error'})`, context);
  }
}
