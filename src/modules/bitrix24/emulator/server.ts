/**
 * A loopback HTTP server that answers like a cloud Bitrix24 portal's REST API (shared/vendors/bitrix24.md): it powers
 * the sandbox and the tests of the Bitrix24 module, so it keeps the vendor's conventions:
 * - incoming webhook `/rest/<userId>/<secret>/<method>[.json]` (the app OAuth form `/rest/<method>?auth=<token>` when
 *   an access token is configured), parameters from the query string, a JSON body or a PHP-style bracket form;
 *   a wrong user or secret is 401 INVALID_CREDENTIALS, no credentials at all 401 NO_AUTH_FOUND, an unknown method
 *   404 ERROR_METHOD_NOT_FOUND; every error is `{error, error_description}`;
 * - answers `{result, time}`, lists `{result, total, next?, time}` with 50 rows a page (`start`); filters with the
 *   prefixes `=`, `!`, `!=`, `>`, `>=`, `<`, `<=`, `%`, `!%`, `@`, `!@`; `order`; `select` (`*`, `UF_*`, names);
 * - the leaky bucket per portal (2 requests/s, bucket 50; 5/s and 250 on Enterprise): overflow is 503
 *   QUERY_LIMIT_EXCEEDED, a batch is one request; the per-method time budget (480 s in 10 min) is 429
 *   OPERATION_TIME_LIMIT, and `time.operating` / `time.operating_reset_at` are in every answer;
 * - CRM companies, requisites with presets, addresses (at most one per type per requisite), deals on two pipelines,
 *   user fields, timeline comments, tasks, notifications, `batch` with `$result[key][field]` references; app-only
 *   methods (`placement.bind`, `bizproc.robot.add`, `bizproc.event.send`) refuse a webhook with WRONG_AUTH_TYPE;
 * - outgoing events: on every change, REST writes included (our own writes echo back), a form-encoded POST to the
 *   handler configured for the event, fire and forget, no retries, a short timeout; each delivery recorded.
 *
 * Where the reference names no error code (a missing record, a bad argument), the emulator answers HTTP 400 with
 * `NOT_FOUND` or `INVALID_ARG_VALUE`. Faults (injectFault) answer a chosen status and error instead of a method.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { callLogControls, DelayedReplies, listenOnLoopback, readBody } from '../../../vendors/emulator-support.ts';
import { ADDRESS_TYPES, ENTITY_TYPE, PIPELINES, PRESETS, SANDBOX_COMPANIES } from './data.ts';
import { encodeForm, parseForm, scalarText } from './form.ts';

export { encodeForm, parseForm } from './form.ts';

/** A CRM record as Bitrix24 returns it: upper-case keys, scalars as strings. */
export type B24Row = Record<string, unknown>;

export type B24Event =
  'ONCRMCOMPANYADD' | 'ONCRMCOMPANYUPDATE' | 'ONCRMREQUISITEADD' | 'ONCRMREQUISITEUPDATE' | 'ONCRMDEALADD' | 'ONCRMDEALUPDATE';

export const B24_EVENTS: readonly B24Event[] = [
  'ONCRMCOMPANYADD',
  'ONCRMCOMPANYUPDATE',
  'ONCRMREQUISITEADD',
  'ONCRMREQUISITEUPDATE',
  'ONCRMDEALADD',
  'ONCRMDEALUPDATE',
];

export interface Bitrix24RateLimit {
  /** Requests drained per second (2; Enterprise 5). */
  perSecond: number;
  /** Bucket size (50; Enterprise 250). */
  bucket: number;
}

export const STANDARD_RATE_LIMIT: Bitrix24RateLimit = { perSecond: 2, bucket: 50 };
export const ENTERPRISE_RATE_LIMIT: Bitrix24RateLimit = { perSecond: 5, bucket: 250 };

export interface Bitrix24EmulatorOptions {
  /** The webhook's secret (the second path segment). */
  secret: string;
  /** The webhook's user id (the first path segment), default 1. */
  userId?: number;
  /** Enables the app OAuth form `/rest/<method>?auth=<token>` (app context: placements, robots); default none. */
  appAccessToken?: string;
  port?: number;
  host?: string;
  /** The portal's domain in events (`auth[domain]`, `auth[client_endpoint]`), default b24-sandbox.bitrix24.ru. */
  domain?: string;
  /** `auth[member_id]`, default derived from the domain. */
  memberId?: string;
  /** `auth[application_token]` of the outgoing webhook, default random. */
  applicationToken?: string;
  /** Event → handler URL; `handler` sends every event to one URL (an outgoing webhook with every event ticked). */
  eventHandlers?: Partial<Record<B24Event, string>>;
  handler?: string;
  /** How long a delivery may take before it is abandoned, default 3000 ms. */
  deliveryTimeoutMs?: number;
  /** Events wait this long in the "queue" before they are sent, default 0. */
  eventDelayMs?: number;
  /** Default 2/s, bucket 50; null = unlimited. */
  rateLimit?: Bitrix24RateLimit | null;
  /** Added delay per answer, default 0. */
  latencyMs?: number;
  /** The sandbox companies (data.ts), default false. */
  seed?: boolean;
  /** The user id changes "by a manager" are made as (MODIFY_BY_ID), default 7. */
  managerId?: number;
  /** Epoch milliseconds "now" (the bucket, the time budget, DATE_MODIFY); default Date.now. */
  clock?: () => number;
}

export interface Bitrix24EmulatorCall {
  method: string;
  /** The parameters as parsed (never the secret). */
  params: Record<string, unknown>;
  /** How they came: 'json', 'form', 'query' (none or the query string only), or 'batch' for a batch's command. */
  encoding: 'json' | 'form' | 'query' | 'batch';
  status: number;
  error?: string;
  authorized: boolean;
  at: number;
}

export interface Bitrix24Delivery {
  event: B24Event;
  url: string;
  /** data[FIELDS][ID] */
  id: string;
  /** The form's fields as sent, bracket keys flat: `{ event, event_handler_id, 'data[FIELDS][ID]', ts, 'auth[domain]', … }`. */
  form: Record<string, string>;
  /** The handler's HTTP status; undefined until answered, or when it failed (`failure`). */
  status?: number;
  failure?: 'timeout' | 'network';
  at: number;
}

export interface Bitrix24Fault {
  /** Only calls of this method (batch commands included); absent = every top-level request. */
  method?: string;
  status: number;
  error: string;
  error_description?: string;
  /** How many calls it affects, then it is removed; absent = until clearFaults(). */
  count?: number;
}

export interface Bitrix24Emulator {
  /** The webhook base, ending in '/': `http://127.0.0.1:<port>/rest/<userId>/<secret>/`. */
  url: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  memberId: string;
  applicationToken: string;
  domain: string;
  calls: Bitrix24EmulatorCall[];
  callsTo(method: string): Bitrix24EmulatorCall[];
  resetCalls(): void;
  setLatency(ms: number): void;
  deliveries: Bitrix24Delivery[];
  resetDeliveries(): void;
  /** Resolves when every event queued so far has been delivered or has failed. */
  settled(): Promise<void>;
  setEventHandler(event: B24Event, url: string | null): void;
  /** Every event to this URL (null: no handler at all). */
  setEventHandlers(url: string | null): void;
  setRateLimit(limit: Bitrix24RateLimit | null): void;
  /** Empties the bucket. */
  drainBucket(): void;
  /** Adds execution seconds to a method's 10-minute budget (480 s): beyond it the method answers 429. */
  addOperatingTime(method: string, seconds: number): void;
  injectFault(fault: Bitrix24Fault): void;
  clearFaults(): void;
  /** Changes "by a manager" (not through REST): they fire the same events. Return the new id. */
  addCompany(fields: B24Row): number;
  updateCompany(id: number, fields: B24Row): void;
  addRequisite(fields: B24Row): number;
  updateRequisite(id: number, fields: B24Row): void;
  addDeal(fields: B24Row): number;
  moveDeal(id: number, stageId: string): void;
  updateDeal(id: number, fields: B24Row): void;
  company(id: number): B24Row | undefined;
  requisite(id: number): B24Row | undefined;
  /** The requisites of a company. */
  requisitesOf(companyId: number): B24Row[];
  addresses(requisiteId: number): B24Row[];
  deal(id: number): B24Row | undefined;
  tasks(): B24Row[];
  comments(entityType: string, id: number): B24Row[];
  notifications(): B24Row[];
  /** What bizproc.event.send, bizproc.robot.add and placement.bind received. */
  bizprocEvents(): B24Row[];
  robots(): B24Row[];
  placements(): B24Row[];
  close(): Promise<void>;
}

// ─── Errors and answers ─────────────────────────────────────────────────────────────────────────

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(description);
  }
}

const notFound = (): ApiError => new ApiError(400, 'NOT_FOUND', 'Not found');
const badArg = (description: string): ApiError => new ApiError(400, 'INVALID_ARG_VALUE', description);
const wrongAuthType = (): ApiError => new ApiError(401, 'WRONG_AUTH_TYPE', 'Application context required');

/** What a method answers: `result`, and for lists `total` and `next`. */
interface MethodAnswer {
  result: unknown;
  total?: number;
  next?: number;
}

const PAGE = 50;
const BATCH_MAX = 50;
const BUDGET_SECONDS = 480;
const BUDGET_WINDOW_MS = 10 * 60_000;
const JSON_TYPE = 'application/json; charset=utf-8';
const BODY_LIMIT = 1024 * 1024;

// ─── Fields ─────────────────────────────────────────────────────────────────────────────────────

const isUf = (key: string): boolean => key.startsWith('UF_');
const str = scalarText;

const COMPANY_WRITABLE = new Set([
  'TITLE',
  'COMPANY_TYPE',
  'ASSIGNED_BY_ID',
  'OPENED',
  'COMMENTS',
  'INDUSTRY',
  'REVENUE',
  'CURRENCY_ID',
  'EMPLOYEES',
  'PHONE',
  'EMAIL',
  'WEB',
]);
const MULTI_FIELDS = new Set(['PHONE', 'EMAIL', 'WEB', 'IM']);

const RQ_FIELDS = [
  'RQ_INN',
  'RQ_KPP',
  'RQ_OGRN',
  'RQ_OGRNIP',
  'RQ_OKPO',
  'RQ_OKTMO',
  'RQ_OKVED',
  'RQ_COMPANY_NAME',
  'RQ_COMPANY_FULL_NAME',
  'RQ_COMPANY_REG_DATE',
  'RQ_DIRECTOR',
  'RQ_CEO_NAME',
  'RQ_CEO_WORK_POS',
  'RQ_ACCOUNTANT',
  'RQ_IFNS',
  'RQ_EMAIL',
  'RQ_PHONE',
  'RQ_BASE_DOC',
  'RQ_LAST_NAME',
  'RQ_FIRST_NAME',
  'RQ_SECOND_NAME',
  'RQ_NAME',
  'RQ_ST_CERT_SER',
  'RQ_ST_CERT_NUM',
  'RQ_ST_CERT_DATE',
];
const REQUISITE_WRITABLE = new Set(['NAME', 'CODE', 'XML_ID', 'ORIGINATOR_ID', 'ACTIVE', 'ADDRESS_ONLY', 'SORT']);
const REQUISITE_IMMUTABLE = ['ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID'] as const;

const ADDRESS_FIELDS = ['ADDRESS_1', 'ADDRESS_2', 'CITY', 'POSTAL_CODE', 'REGION', 'PROVINCE', 'COUNTRY', 'COUNTRY_CODE', 'LOC_ADDR_ID'];

const DEAL_WRITABLE = new Set([
  'TITLE',
  'TYPE_ID',
  'STAGE_ID',
  'COMPANY_ID',
  'CONTACT_ID',
  'ASSIGNED_BY_ID',
  'OPPORTUNITY',
  'CURRENCY_ID',
  'OPENED',
  'COMMENTS',
  'BEGINDATE',
  'CLOSEDATE',
]);

const stageOf = (stageId: string): { category: number; semantic: 'P' | 'S' | 'F' } | undefined => {
  for (const [category, stages] of Object.entries(PIPELINES)) {
    const stage = stages.find((item) => item.id === stageId);
    if (stage) return { category: Number(category), semantic: stage.semantic };
  }
  return undefined;
};

/** ISO 8601 with the Moscow offset, as a Russian portal writes DATE_CREATE / DATE_MODIFY. */
function portalDate(ms: number): string {
  return `${new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19)}+03:00`;
}

/** Copies the keys a method may write: the listed ones, `RQ_*` when allowed, and `UF_CRM_*`; the rest is ignored. */
function writable(fields: B24Row, allowed: Set<string>, rq = false): B24Row {
  const out: B24Row = {};
  for (const [key, value] of Object.entries(fields)) {
    if (allowed.has(key) || key.startsWith('UF_CRM_') || (rq && key.startsWith('RQ_'))) out[key] = scalarsToStrings(value);
  }
  return out;
}

/** Bitrix24 answers scalars as strings; arrays and objects keep their shape with string leaves. */
function scalarsToStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scalarsToStrings);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as B24Row).map(([key, item]) => [key, scalarsToStrings(item)]));
  }
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  return scalarText(value);
}

function param(params: Record<string, unknown>, name: string): unknown {
  return params[name] ?? params[name.toUpperCase()] ?? params[name.toLowerCase()];
}

function objectParam(params: Record<string, unknown>, name: string): B24Row {
  const value = param(params, name);
  if (value === undefined || value === '') return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badArg(`Parameter '${name}' must be an object`);
  return value as B24Row;
}

function idParam(params: Record<string, unknown>, name = 'id'): number {
  const value = param(params, name);
  const id = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(id) || id <= 0) throw badArg(`ID is not defined or invalid.`);
  return id;
}

// ─── Lists: filter, order, select, paging ───────────────────────────────────────────────────────

const FILTER_KEY = /^(>=|<=|!=|!%|!@|>|<|=|!|%|@)?(.+)$/;

function compare(a: unknown, b: unknown): number {
  const left = str(a);
  const right = str(b);
  const ln = Number(left);
  const rn = Number(right);
  if (left !== '' && right !== '' && Number.isFinite(ln) && Number.isFinite(rn)) return ln - rn;
  if (/^\d{4}-\d{2}-\d{2}/.test(left) && /^\d{4}-\d{2}-\d{2}/.test(right)) {
    const ld = Date.parse(left);
    const rd = Date.parse(right);
    if (Number.isFinite(ld) && Number.isFinite(rd)) return ld - rd;
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

const equal = (a: unknown, b: unknown): boolean => compare(a, b) === 0;

function matchesOne(value: unknown, op: string, wanted: unknown): boolean {
  const values = Array.isArray(wanted) ? wanted : [wanted];
  switch (op) {
    case '':
    case '=':
    case '@':
      return values.some((item) => equal(value, item));
    case '!':
    case '!=':
    case '!@':
      return !values.some((item) => equal(value, item));
    case '%':
      return str(value).toLowerCase().includes(str(wanted).toLowerCase());
    case '!%':
      return !str(value).toLowerCase().includes(str(wanted).toLowerCase());
    case '>':
      return compare(value, wanted) > 0;
    case '>=':
      return compare(value, wanted) >= 0;
    case '<':
      return compare(value, wanted) < 0;
    case '<=':
      return compare(value, wanted) <= 0;
    default:
      return false;
  }
}

function matches(row: B24Row, filter: B24Row): boolean {
  return Object.entries(filter).every(([key, wanted]) => {
    const [, op = '', field = key] = FILTER_KEY.exec(key) ?? [];
    const value = row[field];
    // A multiple field (UF_CRM_TASK, a multiple UF) matches when one of its values does.
    if (Array.isArray(value)) {
      const positive = !op.startsWith('!');
      const any = value.some((item) => matchesOne(item, positive ? op : op.slice(1) || '=', wanted));
      return positive ? any : !any;
    }
    return matchesOne(value, op, wanted);
  });
}

function selectFields(row: B24Row, select: unknown[], standard: (key: string) => boolean): B24Row {
  if (select.length === 0) return Object.fromEntries(Object.entries(row).filter(([key]) => standard(key)));
  const names = select.map(str);
  const out: B24Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (names.includes(key) || (names.includes('*') && standard(key)) || (names.includes('UF_*') && isUf(key))) out[key] = value;
  }
  return out;
}

function listPage(rows: B24Row[], params: Record<string, unknown>, standard: (key: string) => boolean): MethodAnswer {
  const filter = objectParam(params, 'filter');
  const order = objectParam(params, 'order');
  const selectRaw = param(params, 'select');
  const select = Array.isArray(selectRaw) ? selectRaw : selectRaw === undefined || selectRaw === '' ? [] : [selectRaw];
  const start = Math.max(0, Number(param(params, 'start') ?? 0) || 0);
  const found = rows.filter((row) => matches(row, filter));
  const orderBy = Object.entries(order).length > 0 ? Object.entries(order) : [['ID', 'ASC'] as [string, unknown]];
  found.sort((a, b) => {
    for (const [field, direction] of orderBy) {
      const sign = str(direction).toUpperCase() === 'DESC' ? -1 : 1;
      const byField = compare(a[field], b[field]);
      if (byField !== 0) return sign * byField;
    }
    return 0;
  });
  const page = found.slice(start, start + PAGE).map((row) => selectFields(row, select, standard));
  return { result: page, total: found.length, ...(start + PAGE < found.length ? { next: start + PAGE } : {}) };
}

// ─── $result references in batch commands ───────────────────────────────────────────────────────

const REFERENCE = /\$result\[([^[\]]+)\]((?:\[[^[\]]*\])*)/g;

function lookup(results: Record<string, unknown>, name: string, path: string): unknown {
  let value: unknown = results[name];
  for (const segment of path.matchAll(/\[([^[\]]*)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as B24Row)[segment[1]!];
  }
  return value;
}

function resolveReferences(value: unknown, results: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveReferences(item, results));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as B24Row).map(([key, item]) => [key, resolveReferences(item, results)]));
  }
  if (typeof value !== 'string' || !value.includes('$result[')) return value;
  const whole = new RegExp(`^${REFERENCE.source}$`).exec(value);
  if (whole) {
    // A command's parameters are a query string: a referenced scalar arrives as text; a list or record keeps its shape.
    const found = lookup(results, whole[1]!, whole[2] ?? '');
    return found !== null && typeof found === 'object' ? found : str(found);
  }
  return value.replace(REFERENCE, (_match, name: string, path: string) => str(lookup(results, name, path)));
}

// ─── The portal ─────────────────────────────────────────────────────────────────────────────────

interface Context {
  /** The acting user: the webhook's user for REST, the manager for seeding. */
  userId: number;
  /** App OAuth context (placements, robots). */
  app: boolean;
}

class Portal {
  readonly calls: Bitrix24EmulatorCall[] = [];
  readonly deliveries: Bitrix24Delivery[] = [];
  readonly faults: Bitrix24Fault[] = [];
  readonly handlers = new Map<B24Event, { url: string; handlerId: number }>();
  private nextHandlerId = 1;
  private readonly pendingDeliveries = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private queueTail: Promise<void> = Promise.resolve();

  readonly companies = new Map<number, B24Row>();
  readonly requisites = new Map<number, B24Row>();
  readonly addressRows: B24Row[] = [];
  readonly deals = new Map<number, B24Row>();
  readonly commentRows: B24Row[] = [];
  readonly taskRows: B24Row[] = [];
  readonly notificationRows: B24Row[] = [];
  readonly bizprocRows: B24Row[] = [];
  readonly robotRows: B24Row[] = [];
  readonly placementRows: B24Row[] = [];
  readonly userFields = new Map<'company' | 'deal', B24Row[]>([
    ['company', []],
    ['deal', []],
  ]);
  private readonly ids = new Map<string, number>();

  /** The leaky bucket: level at the time of the last update. */
  private level = 0;
  private levelAt = 0;
  /** method → (when, seconds) inside the 10-minute window */
  private readonly operating = new Map<string, Array<{ at: number; seconds: number }>>();

  constructor(
    readonly options: Bitrix24EmulatorOptions,
    readonly clock: () => number,
    public latencyMs: number,
    public rateLimit: Bitrix24RateLimit | null,
    readonly domain: string,
    readonly memberId: string,
    readonly applicationToken: string,
  ) {}

  nextId(kind: string): number {
    const id = (this.ids.get(kind) ?? 0) + 1;
    this.ids.set(kind, id);
    return id;
  }

  setHandler(event: B24Event, url: string | null): void {
    if (url === null) this.handlers.delete(event);
    else this.handlers.set(event, { url, handlerId: this.handlers.get(event)?.handlerId ?? this.nextHandlerId++ });
  }

  // The leaky bucket: every admitted request adds one; it drains at perSecond; a full bucket refuses.
  admit(): boolean {
    if (!this.rateLimit) return true;
    const now = this.clock();
    this.level = Math.max(0, this.level - ((now - this.levelAt) / 1000) * this.rateLimit.perSecond);
    this.levelAt = now;
    if (this.level + 1 > this.rateLimit.bucket) return false;
    this.level += 1;
    return true;
  }

  drainBucket(): void {
    this.level = 0;
    this.levelAt = this.clock();
  }

  private window(method: string): Array<{ at: number; seconds: number }> {
    const now = this.clock();
    const entries = (this.operating.get(method) ?? []).filter((entry) => entry.at > now - BUDGET_WINDOW_MS);
    this.operating.set(method, entries);
    return entries;
  }

  operatingOf(method: string): { operating: number; resetAt: number } {
    const entries = this.window(method);
    const operating = entries.reduce((sum, entry) => sum + entry.seconds, 0);
    const resetAt = Math.floor(((entries[0]?.at ?? this.clock()) + BUDGET_WINDOW_MS) / 1000);
    return { operating, resetAt };
  }

  addOperating(method: string, seconds: number): void {
    this.window(method).push({ at: this.clock(), seconds });
  }

  takeFault(method: string, topLevel: boolean): Bitrix24Fault | undefined {
    const index = this.faults.findIndex((fault) => (fault.method === undefined ? topLevel : fault.method === method));
    const fault = this.faults[index];
    if (!fault) return undefined;
    if (fault.count !== undefined) {
      fault.count -= 1;
      if (fault.count <= 0) this.faults.splice(index, 1);
    }
    return fault;
  }

  // ─── Outgoing events ───

  fire(event: B24Event, id: number): void {
    const handler = this.handlers.get(event);
    if (!handler) return;
    const form = encodeForm({
      event,
      event_handler_id: String(handler.handlerId),
      data: { FIELDS: { ID: String(id) } },
      ts: String(Math.floor(this.clock() / 1000)),
      auth: {
        domain: this.domain,
        client_endpoint: `https://${this.domain}/rest/`,
        server_endpoint: 'https://oauth.bitrix24.tech/rest/',
        member_id: this.memberId,
        application_token: this.applicationToken,
      },
    });
    const delivery: Bitrix24Delivery = { event, url: handler.url, id: String(id), form: Object.fromEntries(form), at: this.clock() };
    this.deliveries.push(delivery);
    const send = async (): Promise<void> => {
      try {
        const response = await fetch(handler.url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
          redirect: 'manual',
          signal: AbortSignal.timeout(this.options.deliveryTimeoutMs ?? 3000),
        });
        delivery.status = response.status;
        await response.body?.cancel();
      } catch (error) {
        // No retries: a failed delivery is lost (§3.4).
        delivery.failure = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network';
      }
    };
    // One queue: events leave in the order of the changes, each after the one before has been answered or failed.
    let resolveQueued!: () => void;
    const queued = new Promise<void>((resolve) => (resolveQueued = resolve));
    const pending = Promise.all([queued, this.queueTail]).then(send);
    this.queueTail = pending;
    const tracked = pending.finally(() => this.pendingDeliveries.delete(tracked));
    this.pendingDeliveries.add(tracked);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      resolveQueued();
    }, this.options.eventDelayMs ?? 0);
    this.timers.add(timer);
  }

  async settled(): Promise<void> {
    while (this.pendingDeliveries.size > 0) await Promise.allSettled([...this.pendingDeliveries]);
  }

  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Events still queued are dropped with the portal; nobody waits for them any more.
    this.pendingDeliveries.clear();
  }

  // ─── Entities ───

  private stamp(row: B24Row, ctx: Context, created: boolean): void {
    const now = portalDate(this.clock());
    if (created) {
      row.DATE_CREATE = now;
      row.CREATED_BY_ID = String(ctx.userId);
    }
    row.DATE_MODIFY = now;
    row.MODIFY_BY_ID = String(ctx.userId);
  }

  private multiFields(fields: B24Row): B24Row {
    for (const key of MULTI_FIELDS) {
      const value = fields[key];
      if (!Array.isArray(value)) continue;
      fields[key] = value.map((item) => {
        const entry = (item ?? {}) as B24Row;
        return { ID: str(entry.ID) || String(this.nextId('multifield')), VALUE_TYPE: 'WORK', ...entry, TYPE_ID: key };
      });
    }
    return fields;
  }

  addCompany(fields: B24Row, ctx: Context): number {
    const id = this.nextId('company');
    const row: B24Row = {
      ID: String(id),
      TITLE: '',
      COMPANY_TYPE: 'CUSTOMER',
      ASSIGNED_BY_ID: String(ctx.userId),
      OPENED: 'Y',
      COMMENTS: '',
      ...this.multiFields(writable(fields, COMPANY_WRITABLE)),
    };
    this.stamp(row, ctx, true);
    this.companies.set(id, row);
    this.fire('ONCRMCOMPANYADD', id);
    return id;
  }

  updateCompany(id: number, fields: B24Row, ctx: Context): void {
    const row = this.companies.get(id);
    if (!row) throw notFound();
    Object.assign(row, this.multiFields(writable(fields, COMPANY_WRITABLE)));
    this.stamp(row, ctx, false);
    this.fire('ONCRMCOMPANYUPDATE', id);
  }

  addRequisite(fields: B24Row, ctx: Context): number {
    for (const required of ['ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID', 'NAME']) {
      if (str(fields[required]) === '') throw badArg(`The field '${required}' is required.`);
    }
    const entityType = Number(fields.ENTITY_TYPE_ID);
    if (entityType !== ENTITY_TYPE.company && entityType !== ENTITY_TYPE.contact) throw badArg('Invalid value of ENTITY_TYPE_ID');
    if (entityType === ENTITY_TYPE.company && !this.companies.has(Number(fields.ENTITY_ID))) throw badArg('Company not found');
    if (!PRESETS.some((preset) => preset.ID === str(fields.PRESET_ID))) throw badArg('Preset not found');
    const id = this.nextId('requisite');
    const row: B24Row = {
      ID: String(id),
      ENTITY_TYPE_ID: str(fields.ENTITY_TYPE_ID),
      ENTITY_ID: str(fields.ENTITY_ID),
      PRESET_ID: str(fields.PRESET_ID),
      NAME: '',
      CODE: '',
      XML_ID: '',
      ORIGINATOR_ID: '',
      ACTIVE: 'Y',
      ADDRESS_ONLY: 'N',
      SORT: '500',
      ...Object.fromEntries(RQ_FIELDS.map((key) => [key, ''])),
      ...writable(fields, REQUISITE_WRITABLE, true),
    };
    this.stamp(row, ctx, true);
    this.requisites.set(id, row);
    this.fire('ONCRMREQUISITEADD', id);
    return id;
  }

  updateRequisite(id: number, fields: B24Row, ctx: Context): void {
    const row = this.requisites.get(id);
    if (!row) throw notFound();
    for (const key of REQUISITE_IMMUTABLE) {
      if (fields[key] !== undefined && str(fields[key]) !== row[key]) throw badArg(`The field '${key}' cannot be changed.`);
    }
    Object.assign(row, writable(fields, REQUISITE_WRITABLE, true));
    this.stamp(row, ctx, false);
    this.fire('ONCRMREQUISITEUPDATE', id);
  }

  private addressKey(fields: B24Row): { type: string; entityType: string; entityId: string } {
    for (const required of ['TYPE_ID', 'ENTITY_TYPE_ID', 'ENTITY_ID']) {
      if (str(fields[required]) === '') throw badArg(`The field '${required}' is required.`);
    }
    const key = { type: str(fields.TYPE_ID), entityType: str(fields.ENTITY_TYPE_ID), entityId: str(fields.ENTITY_ID) };
    if (!ADDRESS_TYPES.some((type) => String(type) === key.type)) throw badArg('Invalid address type');
    // Addresses belong to a requisite (§4.4): straight on a company only on old portals with that mode enabled.
    if (key.entityType !== String(ENTITY_TYPE.requisite)) throw badArg('Invalid value of ENTITY_TYPE_ID');
    if (!this.requisites.has(Number(key.entityId))) throw badArg('Requisite not found');
    return key;
  }

  private findAddress(key: { type: string; entityType: string; entityId: string }): B24Row | undefined {
    return this.addressRows.find(
      (row) => row.TYPE_ID === key.type && row.ENTITY_TYPE_ID === key.entityType && row.ENTITY_ID === key.entityId,
    );
  }

  addAddress(fields: B24Row): void {
    const key = this.addressKey(fields);
    if (this.findAddress(key)) throw badArg('TypeAddress exists');
    const requisite = this.requisites.get(Number(key.entityId))!;
    this.addressRows.push({
      TYPE_ID: key.type,
      ENTITY_TYPE_ID: key.entityType,
      ENTITY_ID: key.entityId,
      ...Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, str(fields[field])])),
      ANCHOR_TYPE_ID: requisite.ENTITY_TYPE_ID,
      ANCHOR_ID: requisite.ENTITY_ID,
    });
  }

  /** Found by (TYPE_ID, ENTITY_TYPE_ID, ENTITY_ID); the fields replace the address's, so a partial update clears the rest. */
  updateAddress(fields: B24Row): void {
    const row = this.findAddress(this.addressKey(fields));
    if (!row) throw notFound();
    for (const field of ADDRESS_FIELDS) row[field] = str(fields[field]);
  }

  addDeal(fields: B24Row, ctx: Context): number {
    const stageId = str(fields.STAGE_ID) || (Number(fields.CATEGORY_ID ?? 0) > 0 ? `C${str(fields.CATEGORY_ID)}:NEW` : 'NEW');
    const stage = stageOf(stageId);
    if (!stage) throw badArg(`Invalid stage: ${stageId}`);
    if (fields.CATEGORY_ID !== undefined && Number(fields.CATEGORY_ID) !== stage.category)
      throw badArg(`Stage ${stageId} is not in the pipeline`);
    const id = this.nextId('deal');
    const row: B24Row = {
      ID: String(id),
      TITLE: '',
      TYPE_ID: 'SALE',
      CATEGORY_ID: String(stage.category),
      STAGE_ID: stageId,
      STAGE_SEMANTIC_ID: stage.semantic,
      IS_NEW: 'Y',
      CLOSED: stage.semantic === 'P' ? 'N' : 'Y',
      COMPANY_ID: '0',
      CONTACT_ID: '',
      ASSIGNED_BY_ID: String(ctx.userId),
      OPPORTUNITY: '0.00',
      CURRENCY_ID: 'RUB',
      OPENED: 'Y',
      COMMENTS: '',
      ...writable(fields, DEAL_WRITABLE),
    };
    row.STAGE_ID = stageId;
    this.stamp(row, ctx, true);
    this.deals.set(id, row);
    this.fire('ONCRMDEALADD', id);
    return id;
  }

  updateDeal(id: number, fields: B24Row, ctx: Context): void {
    const row = this.deals.get(id);
    if (!row) throw notFound();
    const changes = writable(fields, DEAL_WRITABLE);
    if (changes.STAGE_ID !== undefined) {
      const stage = stageOf(str(changes.STAGE_ID));
      if (!stage || String(stage.category) !== row.CATEGORY_ID)
        throw badArg(`Invalid stage for the deal's pipeline: ${str(changes.STAGE_ID)}`);
      row.STAGE_SEMANTIC_ID = stage.semantic;
      row.CLOSED = stage.semantic === 'P' ? 'N' : 'Y';
      row.IS_NEW = 'N';
    }
    Object.assign(row, changes);
    this.stamp(row, ctx, false);
    this.fire('ONCRMDEALUPDATE', id);
  }

  // ─── User fields ───

  addUserField(entity: 'company' | 'deal', fields: B24Row): number {
    const given = str(fields.FIELD_NAME);
    if (given === '' || str(fields.USER_TYPE_ID) === '') throw badArg('FIELD_NAME and USER_TYPE_ID are required.');
    const name = given.startsWith('UF_CRM_') ? given : `UF_CRM_${given}`;
    if (name.length > 50) throw badArg('The field name is longer than 50 characters.');
    const rows = this.userFields.get(entity)!;
    if (rows.some((row) => row.FIELD_NAME === name)) throw badArg(`The field ${name} already exists.`);
    const id = this.nextId('userfield');
    const list = Array.isArray(fields.LIST) ? (fields.LIST as B24Row[]) : [];
    rows.push({
      ID: String(id),
      ENTITY_ID: entity === 'company' ? 'CRM_COMPANY' : 'CRM_DEAL',
      FIELD_NAME: name,
      USER_TYPE_ID: str(fields.USER_TYPE_ID),
      XML_ID: str(fields.XML_ID),
      SORT: str(fields.SORT) || '100',
      MULTIPLE: str(scalarsToStrings(fields.MULTIPLE ?? 'N')),
      MANDATORY: str(scalarsToStrings(fields.MANDATORY ?? 'N')),
      EDIT_FORM_LABEL: scalarsToStrings(fields.EDIT_FORM_LABEL ?? ''),
      ...(str(fields.USER_TYPE_ID) === 'enumeration'
        ? {
            LIST: list.map((item, index) => ({
              ID: String(this.nextId('enum')),
              SORT: String((index + 1) * 10),
              DEF: 'N',
              VALUE: str(item.VALUE),
            })),
          }
        : {}),
    });
    return id;
  }
}

// ─── Methods ────────────────────────────────────────────────────────────────────────────────────

type Method = (portal: Portal, params: Record<string, unknown>, ctx: Context) => MethodAnswer;

const standardNonUf = (key: string): boolean => !isUf(key) && !MULTI_FIELDS.has(key);
const ok = (result: unknown): MethodAnswer => ({ result });

function getRow(map: Map<number, B24Row>, params: Record<string, unknown>): MethodAnswer {
  const row = map.get(idParam(params));
  if (!row) throw notFound();
  return ok(structuredClone(row));
}

function userFieldMethods(entity: 'company' | 'deal'): Record<string, Method> {
  const prefix = `crm.${entity}.userfield`;
  return {
    [`${prefix}.add`]: (portal, params) => ok(portal.addUserField(entity, objectParam(params, 'fields'))),
    [`${prefix}.list`]: (portal, params) => listPage(structuredClone(portal.userFields.get(entity)!), params, () => true),
    [`${prefix}.get`]: (portal, params) => {
      const id = String(idParam(params));
      const row = portal.userFields.get(entity)!.find((item) => item.ID === id);
      if (!row) throw notFound();
      return ok(structuredClone(row));
    },
  };
}

function taskView(row: B24Row, select: string[]): B24Row {
  if (select.length === 0 || select.includes('*')) return structuredClone(row);
  const wanted = new Set(select.map(camel));
  return Object.fromEntries(Object.entries(row).filter(([key]) => wanted.has(key) || key === 'id'));
}

/** TITLE → title, RESPONSIBLE_ID → responsibleId, UF_CRM_TASK → ufCrmTask (tasks.task.* answer in camelCase). */
function camel(name: string): string {
  if (!name.includes('_') && name !== name.toUpperCase()) return name;
  return name.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

const METHODS: Record<string, Method> = {
  profile: (portal, _params, ctx) =>
    ok({ ID: String(ctx.userId), ADMIN: true, NAME: 'Интеграция', LAST_NAME: 'Фокус', PERSONAL_GENDER: '', TIME_ZONE: 'Europe/Moscow' }),

  'crm.company.get': (portal, params) => getRow(portal.companies, params),
  'crm.company.list': (portal, params) =>
    listPage(
      [...portal.companies.values()].map((row) => structuredClone(row)),
      params,
      standardNonUf,
    ),
  'crm.company.add': (portal, params, ctx) => ok(portal.addCompany(objectParam(params, 'fields'), ctx)),
  'crm.company.update': (portal, params, ctx) => {
    portal.updateCompany(idParam(params), objectParam(params, 'fields'), ctx);
    return ok(true);
  },
  ...userFieldMethods('company'),

  'crm.requisite.preset.list': (_portal, params) =>
    listPage(
      PRESETS.map((preset) => ({ ...preset, ENTITY_TYPE_ID: String(ENTITY_TYPE.requisite), ACTIVE: 'Y' })),
      params,
      () => true,
    ),
  'crm.requisite.get': (portal, params) => getRow(portal.requisites, params),
  'crm.requisite.list': (portal, params) =>
    listPage(
      [...portal.requisites.values()].map((row) => structuredClone(row)),
      params,
      (key) => !isUf(key),
    ),
  'crm.requisite.add': (portal, params, ctx) => ok(portal.addRequisite(objectParam(params, 'fields'), ctx)),
  'crm.requisite.update': (portal, params, ctx) => {
    portal.updateRequisite(idParam(params), objectParam(params, 'fields'), ctx);
    return ok(true);
  },

  'crm.address.list': (portal, params) => listPage(structuredClone(portal.addressRows), params, () => true),
  'crm.address.add': (portal, params) => {
    portal.addAddress(objectParam(params, 'fields'));
    return ok(true);
  },
  'crm.address.update': (portal, params) => {
    portal.updateAddress(objectParam(params, 'fields'));
    return ok(true);
  },

  'crm.deal.get': (portal, params) => getRow(portal.deals, params),
  'crm.deal.list': (portal, params) =>
    listPage(
      [...portal.deals.values()].map((row) => structuredClone(row)),
      params,
      standardNonUf,
    ),
  'crm.deal.add': (portal, params, ctx) => ok(portal.addDeal(objectParam(params, 'fields'), ctx)),
  'crm.deal.update': (portal, params, ctx) => {
    portal.updateDeal(idParam(params), objectParam(params, 'fields'), ctx);
    return ok(true);
  },
  ...userFieldMethods('deal'),

  'crm.timeline.comment.add': (portal, params, ctx) => {
    const fields = objectParam(params, 'fields');
    for (const required of ['ENTITY_ID', 'ENTITY_TYPE', 'COMMENT']) {
      if (str(fields[required]) === '') throw badArg(`The field '${required}' is required.`);
    }
    const type = str(fields.ENTITY_TYPE).toLowerCase();
    const entityId = Number(fields.ENTITY_ID);
    const owner = type === 'company' ? portal.companies : type === 'deal' ? portal.deals : undefined;
    if ((owner && !owner.has(entityId)) || (!owner && !/^(lead|contact|dynamic_\d+)$/.test(type))) throw notFound();
    const id = portal.nextId('comment');
    portal.commentRows.push({
      ID: String(id),
      CREATED: portalDate(portal.clock()),
      ENTITY_ID: String(entityId),
      ENTITY_TYPE: type,
      AUTHOR_ID: String(ctx.userId),
      COMMENT: str(fields.COMMENT),
    });
    return ok(id);
  },
  'crm.timeline.comment.list': (portal, params) => listPage(structuredClone(portal.commentRows), params, () => true),

  'tasks.task.add': (portal, params, ctx) => {
    const fields = objectParam(params, 'fields');
    if (str(fields.TITLE) === '') throw badArg('The field TITLE is required.');
    if (str(fields.RESPONSIBLE_ID) === '') throw badArg('The field RESPONSIBLE_ID is required.');
    const id = portal.nextId('task');
    const links = fields.UF_CRM_TASK === undefined ? [] : Array.isArray(fields.UF_CRM_TASK) ? fields.UF_CRM_TASK : [fields.UF_CRM_TASK];
    const task: B24Row = {
      id: String(id),
      title: str(fields.TITLE),
      description: str(fields.DESCRIPTION),
      responsibleId: str(fields.RESPONSIBLE_ID),
      createdBy: str(fields.CREATED_BY) || String(ctx.userId),
      createdDate: portalDate(portal.clock()),
      deadline: fields.DEADLINE === undefined ? null : str(fields.DEADLINE),
      status: '2',
      auditors: (Array.isArray(fields.AUDITORS) ? fields.AUDITORS : []).map(str),
      accomplices: (Array.isArray(fields.ACCOMPLICES) ? fields.ACCOMPLICES : []).map(str),
      ufCrmTask: links.map(str),
    };
    portal.taskRows.push(task);
    return ok({ task: structuredClone(task) });
  },
  'tasks.task.list': (portal, params) => {
    const filter = Object.fromEntries(
      Object.entries(objectParam(params, 'filter')).map(([key, value]) => {
        const [, op = '', field = key] = FILTER_KEY.exec(key) ?? [];
        return [`${op}${camel(field)}`, value];
      }),
    );
    const order = Object.fromEntries(Object.entries(objectParam(params, 'order')).map(([key, value]) => [camel(key), value]));
    const selectRaw = param(params, 'select');
    const select = (Array.isArray(selectRaw) ? selectRaw : selectRaw === undefined ? [] : [selectRaw]).map(str);
    const page = listPage(
      portal.taskRows,
      { filter, order: Object.keys(order).length ? order : { id: 'ASC' }, start: param(params, 'start') },
      () => true,
    );
    return { ...page, result: { tasks: (page.result as B24Row[]).map((row) => taskView(row, select)) } };
  },

  'im.notify.personal.add': (portal, params, ctx) => notify(portal, params, ctx, 'USER'),
  'im.notify.system.add': (portal, params, ctx) => notify(portal, params, ctx, 'SYSTEM'),

  'bizproc.event.send': (portal, params, ctx) => {
    if (!ctx.app) throw wrongAuthType();
    if (str(param(params, 'event_token')) === '') throw badArg('event_token is required.');
    portal.bizprocRows.push(structuredClone(params));
    return ok(true);
  },
  'bizproc.robot.add': (portal, params, ctx) => {
    if (!ctx.app) throw wrongAuthType();
    for (const required of ['CODE', 'HANDLER', 'NAME']) if (str(param(params, required)) === '') throw badArg(`${required} is required.`);
    portal.robotRows.push(structuredClone(params));
    return ok(true);
  },
  'placement.bind': (portal, params, ctx) => {
    if (!ctx.app) throw wrongAuthType();
    for (const required of ['PLACEMENT', 'HANDLER']) if (str(param(params, required)) === '') throw badArg(`${required} is required.`);
    portal.placementRows.push(structuredClone(params));
    return ok(true);
  },
};

function notify(portal: Portal, params: Record<string, unknown>, ctx: Context, type: 'USER' | 'SYSTEM'): MethodAnswer {
  const userId = str(param(params, 'USER_ID'));
  const message = str(param(params, 'MESSAGE'));
  if (userId === '' || message === '') throw badArg('USER_ID and MESSAGE are required.');
  const tag = str(param(params, 'TAG'));
  // A new notification with an existing TAG removes the older ones with that tag (§5.3).
  if (tag !== '') {
    for (let i = portal.notificationRows.length - 1; i >= 0; i -= 1)
      if (portal.notificationRows[i]!.TAG === tag) portal.notificationRows.splice(i, 1);
  }
  const id = portal.nextId('notification');
  portal.notificationRows.push({
    ID: String(id),
    TYPE: type,
    FROM_USER_ID: String(ctx.userId),
    USER_ID: userId,
    MESSAGE: message,
    TAG: tag,
  });
  return ok(id);
}

// ─── Requests ───────────────────────────────────────────────────────────────────────────────────

interface Reply {
  status: number;
  body: unknown;
}

const errorReply = (error: ApiError): Reply => ({
  status: error.status,
  body: { error: error.code, error_description: error.description },
});

function timeOf(portal: Portal, method: string, startedAt: number): B24Row {
  const finished = portal.clock();
  const { operating, resetAt } = portal.operatingOf(method);
  return {
    start: startedAt / 1000,
    finish: finished / 1000,
    duration: (finished - startedAt) / 1000,
    processing: (finished - startedAt) / 1000,
    date_start: portalDate(startedAt),
    date_finish: portalDate(finished),
    operating_reset_at: resetAt,
    operating,
  };
}

/**
 * One method call, top level or a batch command: the time budget, a fault, then the method. Logged; an error is
 * thrown as ApiError.
 */
function runMethod(
  portal: Portal,
  method: string,
  params: Record<string, unknown>,
  ctx: Context,
  encoding: Bitrix24EmulatorCall['encoding'],
): MethodAnswer & { time: B24Row } {
  const startedAt = portal.clock();
  const call: Bitrix24EmulatorCall = { method, params, encoding, status: 200, authorized: true, at: startedAt };
  portal.calls.push(call);
  try {
    const implementation = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
    if (!implementation) throw new ApiError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    if (portal.operatingOf(method).operating > BUDGET_SECONDS) {
      throw new ApiError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
    }
    const fault = portal.takeFault(method, encoding !== 'batch');
    if (fault) throw new ApiError(fault.status, fault.error, fault.error_description ?? fault.error);
    const answer = implementation(portal, params, ctx);
    portal.addOperating(method, (portal.clock() - startedAt) / 1000);
    return { ...answer, time: timeOf(portal, method, startedAt) };
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    call.status = apiError.status;
    call.error = apiError.code;
    throw apiError;
  }
}

/** `batch {halt, cmd: {key: "method?query"}}`: sequential, `$result[key][field]` references, at most 50 commands. */
function runBatch(portal: Portal, params: Record<string, unknown>, ctx: Context): MethodAnswer {
  const commands = objectParam(params, 'cmd');
  const entries = Object.entries(commands);
  if (entries.length > BATCH_MAX) throw new ApiError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded');
  const halt = ['1', 'true', 'Y'].includes(str(param(params, 'halt')));
  const result: B24Row = {};
  const resultError: B24Row = {};
  const resultTotal: B24Row = {};
  const resultNext: B24Row = {};
  const resultTime: B24Row = {};
  for (const [key, command] of entries) {
    const text = str(command);
    const question = text.indexOf('?');
    const method = (question < 0 ? text : text.slice(0, question)).replace(/\.json$/, '');
    const subParams = resolveReferences(parseForm(question < 0 ? '' : text.slice(question + 1)), result) as Record<string, unknown>;
    try {
      if (method === 'batch') throw new ApiError(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
      const answer = runMethod(portal, method, subParams, ctx, 'batch');
      result[key] = answer.result;
      if (answer.total !== undefined) resultTotal[key] = answer.total;
      if (answer.next !== undefined) resultNext[key] = answer.next;
      resultTime[key] = answer.time;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      resultError[key] = { error: apiError.code, error_description: apiError.description };
      if (halt) break;
    }
  }
  return {
    result: { result, result_error: resultError, result_total: resultTotal, result_next: resultNext, result_time: resultTime },
  };
}

interface Parsed {
  method: string;
  /** undefined: no credentials at all; else whether they are right */
  credentials: 'none' | 'wrong' | 'webhook' | 'app';
}

/** `/rest/<userId>/<secret>/<method>[.json]` or `/rest/<method>[.json]` (app OAuth, `auth` parameter). */
function route(pathname: string, params: Record<string, unknown>, portal: Portal): Parsed | undefined {
  const parts = pathname.split('/').filter((part) => part !== '');
  if (parts[0] !== 'rest') return undefined;
  const strip = (name: string): string => decodeURIComponent(name).replace(/\.json$/, '');
  if (parts.length === 4) {
    const right = parts[1] === String(portal.options.userId ?? 1) && decodeURIComponent(parts[2]!) === portal.options.secret;
    return { method: strip(parts[3]!), credentials: right ? 'webhook' : 'wrong' };
  }
  if (parts.length === 2) {
    const auth = str(params.auth);
    if (auth === '') return { method: strip(parts[1]!), credentials: 'none' };
    return {
      method: strip(parts[1]!),
      credentials: portal.options.appAccessToken !== undefined && auth === portal.options.appAccessToken ? 'app' : 'wrong',
    };
  }
  return undefined;
}

async function handle(req: IncomingMessage, portal: Portal): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  const text = await readBody(req, BODY_LIMIT);
  if (text === undefined) return { status: 413, body: { error: 'REQUEST_TOO_LARGE', error_description: 'Request entity too large' } };
  let params: Record<string, unknown> = parseForm(url.searchParams);
  let encoding: Bitrix24EmulatorCall['encoding'] = 'query';
  const contentType = String(req.headers['content-type'] ?? '');
  if (text.trim() !== '') {
    if (contentType.includes('json') || /^\s*[{[]/.test(text)) {
      try {
        const body = JSON.parse(text) as unknown;
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
        params = { ...params, ...(body as Record<string, unknown>) };
        encoding = 'json';
      } catch {
        return { status: 400, body: { error: 'INVALID_REQUEST', error_description: 'Invalid JSON body' } };
      }
    } else {
      params = { ...params, ...parseForm(text) };
      encoding = 'form';
    }
  }
  const parsed = route(url.pathname, params, portal);
  if (!parsed) return { status: 404, body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } };
  const { auth: _auth, ...logged } = params;
  if (parsed.credentials === 'none' || parsed.credentials === 'wrong') {
    const error =
      parsed.credentials === 'none'
        ? new ApiError(401, 'NO_AUTH_FOUND', 'Wrong authorization data')
        : new ApiError(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
    portal.calls.push({
      method: parsed.method,
      params: logged,
      encoding,
      status: 401,
      error: error.code,
      authorized: false,
      at: portal.clock(),
    });
    return errorReply(error);
  }
  const ctx: Context = { userId: portal.options.userId ?? 1, app: parsed.credentials === 'app' };
  if (!portal.admit()) {
    portal.calls.push({
      method: parsed.method,
      params: logged,
      encoding,
      status: 503,
      error: 'QUERY_LIMIT_EXCEEDED',
      authorized: true,
      at: portal.clock(),
    });
    return { status: 503, body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' } };
  }
  try {
    if (parsed.method === 'batch') {
      const startedAt = portal.clock();
      const call: Bitrix24EmulatorCall = { method: 'batch', params: logged, encoding, status: 200, authorized: true, at: startedAt };
      portal.calls.push(call);
      const fault = portal.takeFault('batch', true);
      if (fault) {
        call.status = fault.status;
        call.error = fault.error;
        throw new ApiError(fault.status, fault.error, fault.error_description ?? fault.error);
      }
      try {
        const answer = runBatch(portal, logged, ctx);
        return { status: 200, body: { result: answer.result, time: timeOf(portal, 'batch', startedAt) } };
      } catch (error) {
        if (error instanceof ApiError) {
          call.status = error.status;
          call.error = error.code;
        }
        throw error;
      }
    }
    const answer = runMethod(portal, parsed.method, logged, ctx, encoding);
    return {
      status: 200,
      body: {
        result: answer.result,
        ...(answer.next !== undefined ? { next: answer.next } : {}),
        ...(answer.total !== undefined ? { total: answer.total } : {}),
        time: answer.time,
      },
    };
  } catch (error) {
    return errorReply(error instanceof ApiError ? error : new ApiError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
  }
}

// ─── Seed and start ─────────────────────────────────────────────────────────────────────────────

function seed(portal: Portal, manager: Context): void {
  for (const company of SANDBOX_COMPANIES) {
    const companyId = portal.addCompany({ TITLE: company.title }, manager);
    portal.addRequisite(
      {
        ENTITY_TYPE_ID: ENTITY_TYPE.company,
        ENTITY_ID: companyId,
        PRESET_ID: company.inn.length === 12 ? 2 : 1,
        NAME: company.inn.length === 12 ? 'ИП' : 'Организация',
        RQ_INN: company.inn,
      },
      manager,
    );
    portal.addDeal(
      {
        TITLE: company.deal.title,
        STAGE_ID: company.deal.stage,
        CATEGORY_ID: stageOf(company.deal.stage)!.category,
        COMPANY_ID: companyId,
        OPPORTUNITY: company.deal.opportunity,
      },
      manager,
    );
  }
}

export async function startBitrix24Emulator(options: Bitrix24EmulatorOptions): Promise<Bitrix24Emulator> {
  const domain = options.domain ?? 'b24-sandbox.bitrix24.ru';
  const portal = new Portal(
    options,
    options.clock ?? Date.now,
    options.latencyMs ?? 0,
    options.rateLimit === undefined ? STANDARD_RATE_LIMIT : options.rateLimit,
    domain,
    options.memberId ?? createHash('md5').update(domain).digest('hex'),
    options.applicationToken ?? randomBytes(16).toString('hex'),
  );
  for (const event of B24_EVENTS) {
    const url = options.eventHandlers?.[event] ?? options.handler;
    if (url) portal.setHandler(event, url);
  }
  const manager: Context = { userId: options.managerId ?? 7, app: false };
  if (options.seed) seed(portal, manager);

  const replies = new DelayedReplies();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://emulator.invalid').pathname;
    if (path === '/__emulator/calls' || path === '/__emulator/deliveries') {
      const body = JSON.stringify(path.endsWith('calls') ? portal.calls : portal.deliveries);
      res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    handle(req, portal).then(
      (reply) =>
        replies.later(res, portal.latencyMs, () => {
          const body = JSON.stringify(reply.body);
          res.writeHead(reply.status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
          res.end(body);
        }),
      () => res.destroy(),
    );
  });
  const origin = await listenOnLoopback(server, options);

  return {
    url: `${origin}/rest/${options.userId ?? 1}/${encodeURIComponent(options.secret)}/`,
    origin,
    memberId: portal.memberId,
    applicationToken: portal.applicationToken,
    domain,
    ...callLogControls(portal),
    deliveries: portal.deliveries,
    resetDeliveries: () => {
      portal.deliveries.length = 0;
    },
    settled: () => portal.settled(),
    setEventHandler: (event, url) => portal.setHandler(event, url),
    setEventHandlers: (url) => {
      for (const event of B24_EVENTS) portal.setHandler(event, url);
    },
    setRateLimit: (limit) => {
      portal.rateLimit = limit;
    },
    drainBucket: () => portal.drainBucket(),
    addOperatingTime: (method, seconds) => portal.addOperating(method, seconds),
    injectFault: (fault) => {
      portal.faults.push({ ...fault });
    },
    clearFaults: () => {
      portal.faults.length = 0;
    },
    addCompany: (fields) => portal.addCompany(fields, manager),
    updateCompany: (id, fields) => portal.updateCompany(id, fields, manager),
    addRequisite: (fields) => portal.addRequisite(fields, manager),
    updateRequisite: (id, fields) => portal.updateRequisite(id, fields, manager),
    addDeal: (fields) => portal.addDeal(fields, manager),
    moveDeal: (id, stageId) => portal.updateDeal(id, { STAGE_ID: stageId }, manager),
    updateDeal: (id, fields) => portal.updateDeal(id, fields, manager),
    company: (id) => structuredClone(portal.companies.get(id)),
    requisite: (id) => structuredClone(portal.requisites.get(id)),
    requisitesOf: (companyId) =>
      structuredClone([...portal.requisites.values()].filter((row) => row.ENTITY_TYPE_ID === '4' && row.ENTITY_ID === String(companyId))),
    addresses: (requisiteId) =>
      structuredClone(portal.addressRows.filter((row) => row.ENTITY_TYPE_ID === '8' && row.ENTITY_ID === String(requisiteId))),
    deal: (id) => structuredClone(portal.deals.get(id)),
    tasks: () => structuredClone(portal.taskRows),
    comments: (entityType, id) =>
      structuredClone(portal.commentRows.filter((row) => row.ENTITY_TYPE === entityType.toLowerCase() && row.ENTITY_ID === String(id))),
    notifications: () => structuredClone(portal.notificationRows),
    bizprocEvents: () => structuredClone(portal.bizprocRows),
    robots: () => structuredClone(portal.robotRows),
    placements: () => structuredClone(portal.placementRows),
    close: async () => {
      replies.cancelAll();
      portal.cancelTimers();
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
