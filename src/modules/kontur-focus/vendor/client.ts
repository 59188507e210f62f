import { z } from 'zod';
import { isValidInn, isValidOgrn } from '../../../domain/identifiers.ts';
import { VendorError } from '../../../errors.ts';
import type { Logger } from '../../../observability/logger.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import type { FocusConfig } from '../config.ts';
import { mediaType, VendorHttpClient, type CallSpec, type VendorAnswer } from '../../../vendors/http-core.ts';
import {
  FOCUS_BATCH_METHODS,
  FOCUS_PAGED_METHODS,
  type FocusBatchMethod,
  type FocusDocumentMethod,
  type FocusPagedMethod,
  type FocusRecordOf,
} from './methods.ts';
import { IdentifierPairsSchema, StatSchema, type FocusIdentifierPair, type FocusStat } from './schemas.ts';

/**
 * The client's part of the FOCUS_* slice — the key (undefined: not configured, every call fails at once with
 * `notConfigured` and nothing is sent), base URL, call budget (FOCUS_TIMEOUT, retries included), retries, breaker —
 * and its open sockets per origin (keep-alive pool; at least the batching concurrency).
 */
export type FocusClientOptions = Pick<FocusConfig, 'baseUrl' | 'apiKey' | 'timeoutMs' | 'retries' | 'breaker'> & { connections: number };

export type FocusIdParam = 'inn' | 'ogrn';
export type { FocusDocumentMethod };

/** The most identifiers Kontur.Focus accepts in one batch call. */
export const FOCUS_MAX_IDS_PER_CALL = 100;
/** Items per page of the paged methods (fssp, govPurchasesOf*); a full page means another may follow. */
export const FOCUS_PAGE_SIZE = 1000;
/** A window over a Kontur.Focus list: 50 items by default, up to one vendor page. */
export const FOCUS_LIST_DEFAULT_FIRST = 50;
export const FOCUS_LIST_MAX_FIRST = FOCUS_PAGE_SIZE;

/** One page of a paged method: each registration of the INN (records keyed by OGRN) with its own list. */
export interface FocusPage<T> {
  lists: Array<{ ogrn: string | undefined; items: T[] }>;
}

const DISPLAY = 'Kontur.Focus';

/**
 * Kontur.Focus API 3.0 on the shared HTTP core (src/vendors/http-core.ts): the key travels only in the query string
 * (redacted everywhere else), GETs are retried on 429/5xx/connection errors honouring Retry-After, POSTs never;
 * answers are checked with zod and against what was asked (a record for an identifier not asked, a page about another
 * INN, a monitoring record naming no company: VENDOR_BAD_RESPONSE, never cached).
 */
export class FocusClient {
  private readonly http: VendorHttpClient;

  constructor(
    options: FocusClientOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const apiKey = options.apiKey;
    this.http = new VendorHttpClient(
      {
        vendor: 'kontur-focus',
        displayName: DISPLAY,
        configured: apiKey !== undefined,
        credential: { variable: 'FOCUS_API_KEY', rejected: 'rejected the API key' },
        baseUrl: options.baseUrl,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        connections: options.connections,
        breaker: options.breaker,
        retryStatuses: [429, 500, 502, 503, 504],
        honourRetryAfter: true,
        secrets: [apiKey],
      },
      {
        authorize: (url) => url.searchParams.set('key', apiKey ?? ''),
        // A 404 of a batch or list method: the vendor has nothing for the identifier (documents read it as "none").
        refusal: (answer, _body, spec) =>
          answer.status === 404
            ? this.http.error('VENDOR_BAD_RESPONSE', spec, `${DISPLAY} ${spec.operation} has nothing for this identifier (HTTP 404)`, {
                status: 404,
              })
            : undefined,
      },
      logger,
      metrics,
    );
  }

  /** One batch call: up to 100 INNs or OGRNs, answered with every matching record (several per INN possible). */
  async getBatch<M extends FocusBatchMethod>(method: M, idParam: FocusIdParam, ids: readonly string[]): Promise<FocusRecordOf<M>[]> {
    if (ids.length === 0) return [];
    if (ids.length > FOCUS_MAX_IDS_PER_CALL)
      throw new Error(`Kontur.Focus accepts at most ${FOCUS_MAX_IDS_PER_CALL} identifiers per call, got ${ids.length}`);
    const spec = this.get(method, { [idParam]: ids.join(',') }, ids.length);
    return this.http.call(spec, (answer) => {
      const records = this.http.parse(arrayOf(FOCUS_BATCH_METHODS[method]), this.http.json(answer, spec), spec) as FocusRecordOf<M>[];
      this.expectAsked(spec, idParam, ids, records);
      return records;
    });
  }

  /** One page (up to 1000 items, newest first) of a paged method for one INN; `skip` is 0, 1000, 2000 … */
  async getPage<M extends FocusPagedMethod>(method: M, inn: string, skip: number): Promise<FocusPage<unknown>> {
    const { schema, items } = FOCUS_PAGED_METHODS[method];
    const spec = this.get(method, { inn, ...(skip > 0 ? { skip: String(skip) } : {}) }, 1);
    return this.http.call(spec, (answer) => {
      const body = this.http.json(answer, spec);
      this.expectPage(spec, inn, items, body);
      const records = this.http.parse(arrayOf(schema), body, spec) as Array<Record<string, unknown> & { ogrn?: string }>;
      // Several registrations of one INN each carry their own list, paged on its own: they are kept apart.
      return { lists: records.map((record) => ({ ogrn: record.ogrn, items: record[items] as unknown[] })) };
    });
  }

  /** A PDF document (excerpt, financial analysis, express report) for one INN; null when the vendor has none (404). */
  async getDocument(method: FocusDocumentMethod, inn: string): Promise<Buffer | null> {
    const spec = this.get(method, { inn, ...(method === 'briefReport' ? { pdf: 'true' } : {}) }, 1);
    try {
      return await this.http.call(spec, (answer) => this.pdf(answer, spec));
    } catch (error) {
      if (error instanceof VendorError && error.extensions.status === 404) return null;
      throw error;
    }
  }

  /** Usage of the key per method (stat). */
  async getUsage(): Promise<FocusStat[]> {
    const spec = this.get('stat', {}, 0);
    return this.http.call(spec, (answer) => this.http.parse(StatSchema, this.http.json(answer, spec), spec));
  }

  /** Monitored companies whose req or egrDetails data changed on a date (req/mon, egrDetails/mon). */
  async getChanges(scope: 'req' | 'egrDetails', date: string): Promise<FocusIdentifierPair[]> {
    const spec = this.get(`${scope}/mon`, { date }, 0);
    return this.http.call(spec, (answer) =>
      this.expectPairs(spec, this.http.parse(IdentifierPairsSchema, this.http.json(answer, spec), spec)),
    );
  }

  /** Adds INNs to the monitored list (monList POST with append=true, never replacing it); answers the list. Never retried. */
  async addToMonitoring(inns: readonly string[]): Promise<FocusIdentifierPair[]> {
    return this.postMonitored(inns, true);
  }

  /** The monitored list (monList GET): {inn, ogrn} pairs, an INN with several registrations as several pairs. */
  async getMonitored(): Promise<FocusIdentifierPair[]> {
    const spec = this.get('monList', {}, 0);
    return this.http.call(spec, (answer) =>
      this.expectPairs(spec, this.http.parse(IdentifierPairsSchema, this.http.json(answer, spec), spec)),
    );
  }

  /**
   * REPLACES the whole monitored list with these INNs and OGRNs (monList POST with append=false; monList has no
   * delete): the caller read the list and sends it back without what it removes. Answers the list. Never retried.
   */
  async replaceMonitored(identifiers: readonly string[]): Promise<FocusIdentifierPair[]> {
    return this.postMonitored(identifiers, false);
  }

  /** monList POST: a comma-separated plain-text body, `append` always explicit (the vendor's default replaces). */
  private async postMonitored(identifiers: readonly string[], append: boolean): Promise<FocusIdentifierPair[]> {
    const spec: CallSpec = {
      operation: 'monList',
      method: 'POST',
      path: '/monList',
      query: { append: append ? 'true' : 'false' },
      headers: { accept: 'application/json', 'content-type': 'text/plain; charset=utf-8' },
      body: identifiers.join(','),
      identifiers: identifiers.length,
    };
    return this.http.call(spec, (answer) =>
      this.expectPairs(spec, this.http.parse(IdentifierPairsSchema, this.http.json(answer, spec), spec)),
    );
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private get(method: string, query: Record<string, string>, identifiers: number): CallSpec {
    const accept = method === 'excerpt' || method === 'finan' || query.pdf === 'true' ? 'application/pdf' : 'application/json';
    return { operation: method, method: 'GET', path: `/${method}`, query, headers: { accept }, identifiers };
  }

  /** The vendor's PDF content type is unconfirmed: the bytes decide. An empty JSON array means "nothing for this INN". */
  private pdf(answer: VendorAnswer, spec: CallSpec): Buffer | null {
    if (answer.bytes.subarray(0, 5).toString('latin1') === '%PDF-') return answer.bytes;
    if (answer.text().trim() === '[]') return null;
    if (!answer.contentType.includes('pdf')) {
      throw this.http.badResponse(spec, `answered with ${mediaType(answer.contentType)} instead of a PDF`, answer);
    }
    throw this.http.badResponse(spec, 'answered with something that is not a PDF', answer);
  }

  /**
   * A batch answer must be about what was asked: every record carries one of the identifiers we sent. A record
   * without it, or with one we did not ask for, means the answer is not the vendor's shape (a proxy's page, a broken
   * release): VENDOR_BAD_RESPONSE, so nothing of it is cached — least of all "not in the registry" for the rest.
   */
  private expectAsked(
    spec: CallSpec,
    idParam: FocusIdParam,
    ids: readonly string[],
    records: ReadonlyArray<Partial<Record<FocusIdParam, string>>>,
  ): void {
    const asked = new Set(ids);
    const stray = records.filter((record) => record[idParam] === undefined || !asked.has(record[idParam])).length;
    if (stray === 0) return;
    this.logger.warn(
      { vendor: 'kontur-focus', method: spec.operation, records: records.length, stray },
      'Kontur.Focus answered records for identifiers it was not asked',
    );
    throw this.http.badResponse(spec, `answered ${stray} record(s) without an identifier that was asked for`);
  }

  /**
   * A page must be about the INN asked, each registration's record carrying its list (`[]` when empty, as every
   * captured answer does): a record for another INN, without one, or without its list is not the vendor's shape —
   * cached, it would say "no proceedings" for twelve hours.
   */
  private expectPage(spec: CallSpec, inn: string, items: string, body: unknown): void {
    const bad =
      !Array.isArray(body) ||
      body.some(
        (record) =>
          typeof record !== 'object' ||
          record === null ||
          (record as { inn?: unknown }).inn !== inn ||
          !Array.isArray((record as Record<string, unknown>)[items]),
      );
    if (!bad) return;
    this.logger.warn({ vendor: 'kontur-focus', method: spec.operation }, 'Kontur.Focus answered a page that is not about the INN asked');
    throw this.http.badResponse(spec, 'answered a page that is not about the INN asked');
  }

  /** Monitoring answers name companies: every pair must carry a valid INN or OGRN, or the answer is not the vendor's. */
  private expectPairs(spec: CallSpec, pairs: FocusIdentifierPair[]): FocusIdentifierPair[] {
    const bad = pairs.filter((pair) => !(pair.inn && isValidInn(pair.inn)) && !(pair.ogrn && isValidOgrn(pair.ogrn))).length;
    if (bad === 0) return pairs;
    this.logger.warn(
      { vendor: 'kontur-focus', method: spec.operation, bad },
      'Kontur.Focus answered monitoring records without a valid identifier',
    );
    throw this.http.badResponse(spec, `answered ${bad} record(s) without a valid INN or OGRN`);
  }
}

/** `z.array(schema)`, built once per schema: a zod schema compiles its fast path on first use, per instance. */
const arrays = new WeakMap<z.ZodType, z.ZodArray<z.ZodType>>();
function arrayOf(schema: z.ZodType): z.ZodArray<z.ZodType> {
  let array = arrays.get(schema);
  if (!array) arrays.set(schema, (array = z.array(schema)));
  return array;
}
