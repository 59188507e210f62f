import { z } from 'zod';
import type { BreakerSettings } from '../../../config/env.ts';
import { VendorError } from '../../../errors.ts';
import type { Logger } from '../../../observability/logger.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import { vendorDetail, vendorToken } from '../../../observability/redaction.ts';
import { VendorHttpClient, type CallSpec, type VendorAnswer, type VendorDescription } from '../../../vendors/http-core.ts';
import { RateLimitExceeded, type CallLimiter } from '../../../vendors/rate-limiter.ts';
import { BatchResultSchema, EnvelopeSchema, ErrorBodySchema, type B24Envelope, type B24Time } from './schemas.ts';

declare module '../../../errors.ts' {
  interface VendorNames {
    bitrix24: true;
  }
}

const VENDOR = 'bitrix24';
const DISPLAY = 'Bitrix24';
/** The credential variable: the webhook URL, whose secret path segment is the password. */
const CREDENTIAL = 'BITRIX24_WEBHOOK_URL';

/** Commands in one `batch` (§7). */
export const BITRIX24_BATCH_MAX = 50;
/** Rows in one page of a `*.list` method (§2.1). */
export const BITRIX24_PAGE_SIZE = 50;
/** The least wait before asking again after a 503 QUERY_LIMIT_EXCEEDED (§7: "back off (≥ 1 s), retry"). */
export const RETRY_FLOOR_MS = 1_000;
/** The longest an app-context call (an interactive handler's) waits for its limiter. */
const APP_MAX_WAIT_MS = 3_000;

const TOKEN_MAX = 64;
/** An application access token as the portal hands it out (OAuth tokens are ~70 characters of [0-9a-z]). */
const APP_TOKEN = /^[\x21-\x7e]{1,256}$/;
/** A REST method name: `crm.company.get`, `tasks.task.add`, `batch`. Nothing that could step out of the webhook's path. */
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
/** A batch command's key: it is referenced as `$result[key]`, so no brackets. */
const BATCH_KEY = /^[A-Za-z0-9_.-]{1,64}$/;
/** The last word of the methods that only read. */
const READ_VERBS = new Set(['get', 'list', 'fields', 'getfields', 'getlist', 'search']);
/** Reads whose last word says nothing (the portal's own reference methods). */
const READ_METHODS = new Set(['profile', 'scope', 'methods', 'method.get', 'server.time', 'user.current', 'app.info']);

export interface Bitrix24ClientOptions {
  /** BITRIX24_WEBHOOK_URL, `https://portal.bitrix24.ru/rest/1/<secret>/` (trailing slash optional): the secret is a credential. */
  webhookUrl: string;
  /** Budget of one call, retries included. */
  timeoutMs: number;
  retries: number;
  breaker: BreakerSettings;
  /** The portal's rate limit (2/s), shared across replicas by the caller: every HTTP request (a batch = one) takes a token. */
  limiter: CallLimiter;
  /**
   * App-context calls (callAs: the placement's token check, the robot's answer) take their tokens here instead, and
   * wait at most APP_MAX_WAIT_MS: requests anyone can send must not spend, nor queue for, the budget the webhook's
   * writes live on. Default: `limiter`.
   */
  appLimiter?: CallLimiter;
  /** The longest wait for the limiter before failing VENDOR_RATE_LIMITED; nothing is sent then. */
  maxWaitMs: number;
}

/** One command of a `batch`: its key in the answer, the method and its parameters. */
export interface BatchCommand {
  key: string;
  method: string;
  params: Record<string, unknown>;
}

/** A batch command's own answer: its result (and, for a list, total and next), or its error, which is not thrown. */
export type BatchAnswer = { ok: true; result: unknown; total?: number; next?: number } | { ok: false; error: string; description: string };

/** Whether a method only reads: reads are retried on any retryable failure, writes only when they provably did not run. */
export function isReadMethod(method: string): boolean {
  if (READ_METHODS.has(method) || method.startsWith('crm.enum.')) return true;
  return READ_VERBS.has(method.slice(method.lastIndexOf('.') + 1).toLowerCase());
}

/**
 * Parameters in the PHP bracket form Bitrix24 reads (`http_build_query`): `fields[TITLE]=…`, `select[0]=ID`,
 * `filter[>DATE_MODIFY]=…`, keys and values URL-encoded. As PHP does: null and undefined are left out, booleans are
 * 1 and 0, a Date is its ISO 8601 text. Used for the `cmd[key]=method?query` strings of a batch.
 */
export function encodeBitrixQuery(params: Record<string, unknown>): string {
  const parts: string[] = [];
  const walk = (key: string, value: unknown): void => {
    if (value === undefined || value === null) return;
    if (value instanceof Date) {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value.toISOString())}`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(`${key}[${index}]`, item));
      return;
    }
    if (typeof value === 'object') {
      for (const [name, item] of Object.entries(value as Record<string, unknown>)) walk(`${key}[${name}]`, item);
      return;
    }
    if (typeof value === 'boolean') {
      parts.push(`${encodeURIComponent(key)}=${value ? '1' : '0'}`);
      return;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
      parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
      return;
    }
    throw new TypeError(`parameter ${key} cannot be sent to Bitrix24 (${typeof value})`);
  };
  for (const [key, value] of Object.entries(params)) walk(key, value);
  return parts.join('&');
}

/** The webhook's base (ending in '/') and its secret: the path segment after the user id. */
function parseWebhook(webhookUrl: string): { baseUrl: string; secrets: string[] } {
  const url = new URL(webhookUrl.trim());
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const raw = segments.at(-1) ?? '';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // keep the raw form
  }
  const baseUrl = `${url.origin}${url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`}`;
  return { baseUrl, secrets: [...new Set([raw, decoded])] };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Bitrix24 REST through an incoming webhook (shared/vendors/bitrix24.md §2.1, §7), on the shared HTTP core
 * (src/vendors/http-core.ts): one keep-alive pool, one deadline per call, a circuit breaker, metrics. On top, through
 * the core's hooks:
 * - the credential is the webhook URL's secret path segment: nothing is added to a request (`authorize`), and the
 *   secret is registered for redaction, so it never reaches an error, a log line or a metric;
 * - every HTTP request (a retry too; a batch is one) takes a token of the portal's limiter (2/s, shared by the
 *   replicas) within `maxWaitMs`, else fails VENDOR_RATE_LIMITED unsent;
 * - every method is a JSON POST to `<base><method>.json`; the envelope `{ result, time, next, total }` is checked
 *   with zod (VENDOR_BAD_RESPONSE otherwise) and `time.operating_reset_at` kept per method;
 * - errors `{ error, error_description }`: 401 VENDOR_AUTH_FAILED naming BITRIX24_WEBHOOK_URL; 503
 *   QUERY_LIMIT_EXCEEDED retried after ≥ 1 s within the budget, then VENDOR_RATE_LIMITED; 429 OPERATION_TIME_LIMIT
 *   not retried, VENDOR_RATE_LIMITED until the method's budget resets; 5xx retried (reads), then VENDOR_UNAVAILABLE;
 *   any other refusal (400, 404 ERROR_METHOD_NOT_FOUND) VENDOR_BAD_RESPONSE naming the vendor's code, its text only
 *   through vendorDetail. A refusal, a rejected webhook and a rate limit do not count against the breaker.
 *
 * Retries of writes. Every Bitrix24 method is a POST, so the core would retry none; reads (`*.get`, `*.list`,
 * `*.fields`, a batch of reads) are marked `idempotent` and the core retries them on 500/502/503/504 and connection
 * errors. A write (`*.add`, `*.update`, `tasks.task.add`, any method not known to read, a batch holding one) is sent
 * once by the core and retried here only when the portal provably did not run it: the connection was refused
 * (nothing reached the portal) or the answer was 503 QUERY_LIMIT_EXCEEDED (the leaky bucket refuses a request before
 * it is executed). A 500, a reset connection or a timeout may come after the write was done: never retried, the
 * caller reads back before writing again.
 */
export class Bitrix24Client {
  private readonly http: VendorHttpClient;
  /**
   * App context (Tier B, §6): `<portal origin>/rest/<method>.json` with a token the portal gave an application request
   * (a placement's AUTH_ID, a robot's auth[access_token]). Always the ORIGIN of BITRIX24_WEBHOOK_URL — never the
   * DOMAIN or client_endpoint a request names, which anyone could point at a server of theirs to collect the token.
   */
  private readonly app: VendorHttpClient;
  /** Per method, the last `time.operating_reset_at` seen (epoch seconds): when its 10-minute time budget frees up. */
  private readonly operatingResetAt = new Map<string, number>();

  constructor(
    private readonly options: Bitrix24ClientOptions,
    private readonly logger: Logger,
    metrics: Metrics,
    private readonly now: () => number = Date.now,
  ) {
    const configured = options.webhookUrl.trim() !== '';
    const { baseUrl, secrets } = configured ? parseWebhook(options.webhookUrl) : { baseUrl: 'http://bitrix24.invalid/', secrets: [] };
    const common = {
      vendor: VENDOR,
      displayName: DISPLAY,
      configured,
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      // As many sockets as the limit lets out at once: a granted call must not queue in undici and arrive late.
      connections: Math.max(4, options.limiter.limit.calls),
      breaker: options.breaker,
      retryStatuses: [500, 502, 503, 504],
      honourRetryAfter: false,
    } as const;
    const hooks = (context: 'webhook' | 'app') => ({
      // The webhook's secret is in the URL's path already, an app token in the JSON body (callAs): nothing to add.
      authorize: () => {},
      describe: (_answer: VendorAnswer, body: unknown) => describe(body),
      refusal: (answer: VendorAnswer, _body: unknown, spec: CallSpec, description: VendorDescription) =>
        this.refusal(answer, spec, description),
      rateLimited: (_answer: VendorAnswer, spec: CallSpec) => this.operatingWaitMs(spec.operation),
      isNotAFailure: (error: unknown) => error instanceof VendorError && error.code === 'VENDOR_BAD_RESPONSE' && isRefusal(error),
      admit: (spec: CallSpec) =>
        context === 'app' && this.options.appLimiter ? this.admit(spec, this.options.appLimiter, APP_MAX_WAIT_MS) : this.admit(spec),
      beforeRetry: (_spec: CallSpec, remainingMs: number) => this.retryToken(remainingMs),
      onAnswer: (answer: VendorAnswer, spec: CallSpec, durationMs: number) =>
        logger.info({ vendor: VENDOR, method: spec.operation, context, status: answer.status, durationMs }, `${DISPLAY} call`),
    });
    this.http = new VendorHttpClient(
      {
        ...common,
        credential: {
          variable: CREDENTIAL,
          rejected: 'rejected the webhook',
          check: ': its secret, its user, and its scopes crm, task and im',
        },
        baseUrl,
        secrets,
      },
      hooks('webhook'),
      logger,
      metrics,
    );
    this.app = new VendorHttpClient(
      {
        ...common,
        credential: {
          variable: "the application's access token (AUTH_ID, auth[access_token])",
          rejected: 'rejected the access token of the application request',
          check: ': it lasts an hour and belongs to the portal of BITRIX24_WEBHOOK_URL',
        },
        baseUrl: `${new URL(baseUrl).origin}/rest/`,
        // Tokens come per request (callAs) and are not registered for redaction: every request would add one to the
        // redaction set for good (an hourly token per robot run — a set that only grows). They never reach what is
        // logged instead: the body is never logged, the URL holds none, and the portal's errors do not repeat them.
        secrets: [],
      },
      hooks('app'),
      logger,
      metrics,
    );
  }

  /** One REST method: POST `<base><method>.json` with a JSON body; answers `result`, checked by `schema`. */
  async call<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    return (await this.request(method, params, schema, !isReadMethod(method))).result;
  }

  /**
   * One REST method in app context (§6): POST `<portal origin>/rest/<method>.json` with `auth` = `accessToken` in the
   * JSON body (Bitrix24 reads `auth` from the query or the body alike; the body keeps it out of any URL a proxy logs).
   * The portal is always BITRIX24_WEBHOOK_URL's; a refused token is VENDOR_AUTH_FAILED. Same limiter, retries and
   * error mapping as `call`.
   */
  async callAs<T>(accessToken: string, method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    if (!APP_TOKEN.test(accessToken)) throw new RangeError('an application access token is 1…256 printable characters');
    return (await this.request(method, { ...params, auth: accessToken }, schema, !isReadMethod(method), undefined, this.app)).result;
  }

  /** A list method, every page: `start` = `next` until `next` is absent (50 rows a page); more than `maxRows` is a RangeError. */
  async listAll<T>(method: string, params: Record<string, unknown>, row: z.ZodType<T>, maxRows = 10_000): Promise<T[]> {
    const rows: T[] = [];
    const page = z.array(row);
    let start = 0;
    for (;;) {
      const answer = await this.request(method, { ...params, start }, page, false);
      if ((answer.total ?? 0) > maxRows || rows.length + answer.result.length > maxRows) {
        throw new RangeError(`${DISPLAY} ${method} lists more than ${maxRows} rows`);
      }
      rows.push(...answer.result);
      if (answer.next === undefined) return rows;
      if (answer.next <= start)
        throw this.http.badResponse(this.spec(method, {}, false), `paged back (next ${answer.next} after start ${start})`);
      start = answer.next;
    }
  }

  /**
   * `batch` of up to 50 commands (a RangeError above, before anything is sent), `halt: 0`: one HTTP request, one
   * limiter token. Each command's answer by its key: its result, or its error (`result_error`), which is not thrown;
   * the batch's own failure is.
   */
  async batch(commands: ReadonlyArray<BatchCommand>): Promise<Map<string, BatchAnswer>> {
    if (commands.length > BITRIX24_BATCH_MAX) {
      throw new RangeError(`a Bitrix24 batch holds at most ${BITRIX24_BATCH_MAX} commands, not ${commands.length}`);
    }
    const keys = new Set<string>();
    for (const { key, method } of commands) {
      if (!BATCH_KEY.test(key)) throw new RangeError(`batch key ${JSON.stringify(key)} is not a token ([A-Za-z0-9_.-], 1…64)`);
      if (keys.has(key)) throw new RangeError(`batch key ${key} is used twice`);
      if (!METHOD_NAME.test(method) || method === 'batch') throw new RangeError(`${JSON.stringify(method)} cannot be a batch command`);
      keys.add(key);
    }
    const answers = new Map<string, BatchAnswer>();
    if (commands.length === 0) return answers;
    const cmd = Object.fromEntries(
      commands.map(({ key, method, params }) => {
        const query = encodeBitrixQuery(params);
        return [key, query === '' ? method : `${method}?${query}`];
      }),
    );
    const write = commands.some(({ method }) => !isReadMethod(method));
    const { result, spec, answer } = await this.request('batch', { halt: 0, cmd }, BatchResultSchema, write, commands.length);
    for (const { key, method } of commands) {
      const time = result.result_time[key];
      if (time) this.noteTime(method, time);
      const failed = result.result_error[key];
      if (failed) {
        answers.set(key, {
          ok: false,
          error: vendorToken(failed.error, TOKEN_MAX) ?? 'UNKNOWN_ERROR',
          description: vendorDetail(failed.error_description) ?? '',
        });
      } else if (Object.hasOwn(result.result, key)) {
        const total = result.result_total[key];
        const next = result.result_next[key];
        answers.set(key, {
          ok: true,
          result: result.result[key],
          ...(total !== undefined ? { total } : {}),
          ...(next !== undefined ? { next } : {}),
        });
      } else {
        throw this.http.badResponse(spec, `answered without command ${key}`, answer);
      }
    }
    return answers;
  }

  async close(): Promise<void> {
    await Promise.all([this.http.close(), this.app.close()]);
  }

  // ─── The request ───────────────────────────────────────────────────────────────────────────────────────────

  private spec(method: string, params: Record<string, unknown>, write: boolean, identifiers?: number): CallSpec {
    return {
      operation: method,
      method: 'POST',
      path: `${method}.json`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(params),
      // Reads only: the core retries them on 5xx and connection errors. Writes: see `send`.
      idempotent: !write,
      // 503 comes to `read`: QUERY_LIMIT_EXCEEDED is a rate limit, not an outage.
      answerStatuses: [503],
      ...(identifiers !== undefined ? { identifiers } : {}),
    };
  }

  /** One method, its envelope checked and its `result` read by `schema`. */
  private async request<T>(
    method: string,
    params: Record<string, unknown>,
    schema: z.ZodType<T>,
    write: boolean,
    identifiers?: number,
    http: VendorHttpClient = this.http,
  ): Promise<{ result: T; total?: number; next?: number; spec: CallSpec; answer: VendorAnswer }> {
    if (!METHOD_NAME.test(method)) throw new RangeError(`${JSON.stringify(method)} is not a Bitrix24 method name`);
    const spec = this.spec(method, params, write, identifiers);
    const read = (answer: VendorAnswer) => {
      const envelope = this.envelope(answer, spec, http);
      const result = http.parse(schema, envelope.result, spec, answer);
      return {
        result,
        ...(envelope.total !== undefined ? { total: envelope.total } : {}),
        ...(envelope.next !== undefined ? { next: envelope.next } : {}),
        spec,
        answer,
      };
    };
    return write ? this.sendWrite(spec, read, http) : http.call(spec, read);
  }

  /**
   * A write: sent once by the core; asked again (after ≥ 1 s, a new limiter token, within `retries` and the call's
   * budget) only when the portal provably did not run it — 503 QUERY_LIMIT_EXCEEDED (refused before execution) or a
   * refused connection (nothing reached it). Anything else (a 500, a reset, a timeout) may have written: thrown.
   */
  private async sendWrite<T>(spec: CallSpec, read: (answer: VendorAnswer) => T, http: VendorHttpClient): Promise<T> {
    const deadline = this.now() + this.options.timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await http.call(spec, read);
      } catch (error) {
        const waitMs = RETRY_FLOOR_MS + Math.random() * 250;
        if (attempt >= this.options.retries || !notRun(error) || this.now() + waitMs >= deadline) throw error;
        this.logger.info({ vendor: VENDOR, method: spec.operation, attempt: attempt + 1 }, `${DISPLAY} write not run; asking again`);
        await sleep(waitMs);
      }
    }
  }

  /** The success envelope; a 503 is QUERY_LIMIT_EXCEEDED (VENDOR_RATE_LIMITED) or an outage. */
  private envelope(answer: VendorAnswer, spec: CallSpec, http: VendorHttpClient): B24Envelope {
    if (answer.status === 503) {
      let body: unknown;
      try {
        body = JSON.parse(answer.text());
      } catch {
        body = undefined;
      }
      const parsed = ErrorBodySchema.safeParse(body);
      if (parsed.success && parsed.data.error === 'QUERY_LIMIT_EXCEEDED') {
        this.logger.warn(
          { vendor: VENDOR, method: spec.operation, status: 503, vendorCode: 'QUERY_LIMIT_EXCEEDED' },
          `${DISPLAY} call failed`,
        );
        return this.throwOverLimit(spec);
      }
      throw http.statusError(answer, spec);
    }
    const body = http.json(answer, spec);
    if (body !== null && typeof body === 'object' && !Array.isArray(body) && !Object.hasOwn(body, 'result')) {
      throw http.badResponse(spec, 'answered without a result', answer);
    }
    const envelope = http.parse(EnvelopeSchema, body, spec, answer);
    if (envelope.time) this.noteTime(spec.operation, envelope.time);
    return envelope;
  }

  private throwOverLimit(spec: CallSpec): never {
    throw this.http.error(
      'VENDOR_RATE_LIMITED',
      spec,
      `${DISPLAY} rate limit reached for ${spec.operation} (HTTP 503 QUERY_LIMIT_EXCEEDED); try again later`,
      { status: 503, vendorCode: 'QUERY_LIMIT_EXCEEDED', retryAfterSeconds: RETRY_FLOOR_MS / 1000 },
    );
  }

  private noteTime(method: string, time: B24Time): void {
    if (time.operating_reset_at !== undefined) this.operatingResetAt.set(method, time.operating_reset_at);
  }

  /** 429 OPERATION_TIME_LIMIT: until the method's time budget resets, when an earlier answer said when. */
  private operatingWaitMs(method: string): number | undefined {
    const resetAt = this.operatingResetAt.get(method);
    if (resetAt === undefined) return undefined;
    const waitMs = resetAt * 1000 - this.now();
    return waitMs > 0 ? waitMs : undefined;
  }

  /** 400 and 404 (ERROR_METHOD_NOT_FOUND) are the request's fault: VENDOR_BAD_RESPONSE naming the vendor's code. */
  private refusal(answer: VendorAnswer, spec: CallSpec, description: VendorDescription): Error {
    const label = `HTTP ${answer.status}${description.code ? ` ${description.code}` : ''}`;
    const hint = description.code === 'ERROR_METHOD_NOT_FOUND' ? '; a misspelt method, or the webhook lacks its scope' : '';
    const said = description.detail ? `: ${description.detail}` : '';
    return this.http.error('VENDOR_BAD_RESPONSE', spec, `${DISPLAY} ${spec.operation} refused the request (${label}${said})${hint}`, {
      status: answer.status,
      ...description.context,
    });
  }

  /** Waits for a limiter token within `maxWaitMs`; beyond it, fails at once without sending anything. */
  private async admit(spec: CallSpec, limiter = this.options.limiter, maxWaitMs = this.options.maxWaitMs): Promise<() => void> {
    try {
      return await limiter.acquire(Math.min(maxWaitMs, this.options.maxWaitMs));
    } catch (error) {
      if (!(error instanceof RateLimitExceeded)) throw error;
      const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      const { calls, windowMs } = limiter.limit;
      throw this.http.error(
        'VENDOR_RATE_LIMITED',
        spec,
        `${DISPLAY} rate limit (${calls} per ${windowMs / 1000} s) reached; try again in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }

  /** A retry (of a read) waits ≥ 1 s, then takes its own limiter token, within `maxWaitMs` and the call's budget. */
  private async retryToken(remainingMs: number): Promise<boolean> {
    const budget = Math.min(this.options.maxWaitMs, remainingMs - RETRY_FLOOR_MS);
    if (budget < 0) return false;
    await sleep(RETRY_FLOOR_MS);
    try {
      const done = await this.options.limiter.acquire(budget);
      done();
      return true;
    } catch (error) {
      if (error instanceof RateLimitExceeded) return false;
      throw error;
    }
  }
}

/** The error body `{ error, error_description }`: the code only token-shaped, the description through vendorDetail. */
function describe(body: unknown): VendorDescription {
  const parsed = ErrorBodySchema.safeParse(body);
  const code = parsed.success ? vendorToken(parsed.data.error, TOKEN_MAX) : undefined;
  return {
    ...(code ? { code } : {}),
    detail: parsed.success ? vendorDetail(parsed.data.error_description) : undefined,
    context: code ? { vendorCode: code } : {},
  };
}

/** A 4xx refusal (the request's fault), not a garbled answer. */
function isRefusal(error: VendorError): boolean {
  const { status } = error.extensions as { status?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500;
}

/** The portal provably did not run the request: refused before execution (503 QUERY_LIMIT_EXCEEDED), or never reached. */
function notRun(error: unknown): boolean {
  if (!(error instanceof VendorError)) return false;
  const extensions = error.extensions as { vendorCode?: unknown; status?: unknown };
  if (error.code === 'VENDOR_RATE_LIMITED' && extensions.vendorCode === 'QUERY_LIMIT_EXCEEDED') return true;
  // The core's wording of a transport error names its code: "… could not be reached (ECONNREFUSED)".
  return error.code === 'VENDOR_UNAVAILABLE' && extensions.status === undefined && error.message.endsWith('(ECONNREFUSED)');
}
