/**
 * A loopback HTTP server that answers like Kontur.Focus API 3.0 (https://focus-api.kontur.ru/api3/).
 * It powers sandbox mode (no API key) and every test, so it reproduces the vendor's conventions exactly:
 * query-string key auth (403 text), comma-separated inn/ogrn batches of at most 100, silently dropped malformed
 * identifiers (400 text when none is left), and one flat array of records that never echoes the request.
 *
 * Answers come from, in order: records set by a test (setRecords, setPages, setChanges, changeCompany), the captured
 * fixtures, synthetic records (synthetic.ts, synthetic-paged.ts).
 *
 * Methods: the batch methods req, egrDetails, analytics, licences, buh, contacts and briefReport (≤ 100 inn/ogrn);
 * the paged single-identifier methods fssp, govPurchasesOfParticipant and govPurchasesOfCustomer (skip = 0, 1000, …);
 * the PDF methods excerpt, finan and briefReport?pdf=true; stat; the change feeds req/mon and egrDetails/mon; and
 * the monitored list monList (GET, and POST with a plain-text body), kept in memory per emulator.
 *
 * Switchable faults (injectFault, or POST /__emulator/faults from another process) make authorised, well-formed
 * /api3 calls misbehave the ways the live API and the network do: latency, 5xx, 429 with Retry-After, a hung or reset
 * connection, truncated JSON, a wrong content type, an HTML maintenance page.
 */
import { FOCUS_METHODS, type FocusMethodName } from '../vendor/methods.ts';
import { randomBytes } from 'node:crypto';
import { callLogControls, DelayedReplies, listenOnLoopback, readBody } from '../../../vendors/emulator-support.ts';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isValidInn, isValidOgrn } from '../../../domain/identifiers.ts';
import { loadFocusFixtures, type FocusFixtures, type FocusRecord } from './fixtures.ts';
import { renderPdf, type PdfContent } from './pdf.ts';
import {
  ACTIVE_STATUS,
  STATUS_STRINGS,
  SYNTHETIC_PAYLOADS,
  fnv1a,
  syntheticRecords,
  type PayloadBuilder,
  type StatusKind,
} from './synthetic.ts';
import {
  PAGED_PAYLOAD_KEYS,
  PAGE_SIZE,
  fsspUpdateDate,
  isPagedMethod,
  syntheticPagedRecords,
  type PagedMethod,
} from './synthetic-paged.ts';

export type { PagedMethod } from './synthetic-paged.ts';

export interface FocusEmulatorOptions {
  /** The only accepted ?key= */
  apiKey: string;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Added delay per /api3 answer, default 0. */
  latencyMs?: number;
}

export interface EmulatorCall {
  method: string;
  /** The valid identifiers the request carried (INNs first, then OGRNs). */
  ids: string[];
  status: number;
  /** Arrival time, epoch milliseconds. */
  at: number;
}

/** One way a vendor call can go wrong. */
export type EmulatorFault =
  /** Answer normally, after `ms` more delay (on top of the emulator's latency). */
  | { kind: 'latency'; ms: number }
  /** This status (400–599) with a text/plain body, default "Internal Server Error". */
  | { kind: 'status'; status: number; body?: string }
  /** 429 text/plain "Too Many Requests" with a Retry-After header. */
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  /** Read the request, never answer; the socket stays open until the client gives up or the emulator closes. */
  | { kind: 'hang' }
  /** Reset the connection without any response (the client sees ECONNRESET). */
  | { kind: 'reset' }
  /** 200 application/json whose body is the normal answer cut short, e.g. `[{"inn":"77`. */
  | { kind: 'malformedJson' }
  /** 200 text/plain whose body is the normal JSON answer. */
  | { kind: 'wrongContentType' }
  /** 200 text/html maintenance page. */
  | { kind: 'htmlBody' }
  /** 200 application/json with this body instead of the answer, e.g. `[{}]` or `[{"inn":"garbage"}]` (a broken proxy or release). */
  | { kind: 'jsonBody'; body: string };

export interface FaultRule {
  fault: EmulatorFault;
  /** How many matching calls this rule affects, then it is removed; absent = until clearFaults(). */
  times?: number;
  /** Only calls to these methods (e.g. ['req']); absent = every /api3 method. */
  methods?: string[];
  /** Only calls whose valid identifiers include at least one of these INNs/OGRNs; absent = any call. */
  whenIdsInclude?: string[];
}

/** The feeds req/mon and egrDetails/mon. */
export type MonitoringScope = 'req' | 'egrDetails';

/** One entry of monList and of the mon feeds. */
export interface MonitoredPair {
  inn?: string;
  ogrn?: string;
}

/**
 * What happened to a company in the registry (changeCompany): each part given replaces that part of its current
 * registration's req record; the rest stays as it was.
 */
export interface CompanyChange {
  /** The new status: one of the registry's flags (or active), its wording by default the registry's, dated `date`. */
  status?: StatusKind;
  statusString?: string;
  /** The new head of a legal entity: heads becomes this one person (a position, by default «Генеральный директор»). */
  head?: { fio: string; position?: string; innfl?: string };
  /** The new legal address of a legal entity, as req's parsedAddressRF (e.g. { zipCode, regionCode, city, street, house }). */
  legalAddress?: Record<string, unknown>;
  /** The new short (and optionally full) name of a legal entity. */
  shortName?: string;
  fullName?: string;
}

export interface FocusEmulator {
  /** Base URL ending in /api3, e.g. http://127.0.0.1:53211/api3 */
  url: string;
  /** Every request to /api3/*, in order of arrival. */
  calls: EmulatorCall[];
  callsTo(method: string): EmulatorCall[];
  resetCalls(): void;
  setLatency(ms: number): void;
  /**
   * Replace what a method answers for an identifier (INN or OGRN) with these raw records; for tests. For a paged
   * method the records answer every page (use setPages to page a list).
   */
  setRecords(method: string, inn: string, records: unknown[]): void;
  /**
   * Make a paged method (fssp, govPurchasesOfParticipant, govPurchasesOfCustomer) page exactly these items for an
   * identifier (INN or OGRN; an INN also covers calls by its OGRNs): page `skip` answers items [skip, skip + 1000)
   * under the payload key, on the record of the current registration (the company's identity comes from req;
   * other registrations get an empty list). Throws TypeError for any other method.
   */
  setPages(method: PagedMethod, inn: string, items: unknown[]): void;
  /**
   * Dictate what req/mon or egrDetails/mon answers for one date (YYYY-MM-DD): exactly the {inn, ogrn} pairs of these
   * identifiers (INNs or OGRNs; an unknown one answers as {inn} or {ogrn} alone), monitored or not, in this order.
   * Replaces the deterministic rule for that date. Throws TypeError on a malformed date.
   */
  setChanges(scope: MonitoringScope, date: string, inns: string[]): void;
  /** The monitored list as GET /api3/monList answers it (a copy). */
  monitored(): MonitoredPair[];
  /**
   * A company changes in the registry on `date` (YYYY-MM-DD): from now on req answers its current registration with
   * the change applied (by INN and by OGRN), and req/mon lists it for that date — added to what setChanges dictated
   * for the date (a date not dictated yet answers just the companies changed on it). Also
   * POST /__emulator/changes with { inn, date, ...change } from another process. Throws TypeError when the registry
   * does not know the INN, or on a malformed date.
   */
  changeCompany(inn: string, date: string, change: CompanyChange): void;
  /**
   * Make matching calls misbehave. Faults apply only to authorised, well-formed /api3 calls (a 403/400 stays one);
   * rules are checked in the order added and the first matching rule applies. Throws TypeError on an invalid rule.
   */
  injectFault(rule: FaultRule): void;
  clearFaults(): void;
  /** Rules still in force. */
  readonly activeFaults: number;
  /** Stops the server, destroying every open connection (hung calls included). */
  close(): Promise<void>;
}

// ─── Method table ───────────────────────────────────────────────────────────────────────────────

/** How /stat reports a method's limit: calls, distinct counterparties or persons. */
type LimitType = 'Requests' | 'LegalEntities' | 'Persons';

/**
 * What one /api3 method answers. Batch methods need only a synthetic builder; paged, PDF and identifier-less
 * methods plug their own `answer` in.
 */
interface MethodSpec {
  /** The documented identifier limit per call; 0 = the method takes no inn/ogrn at all (stat, mon, monList). */
  maxIds: number;
  /** Builds the synthetic payload of one registration; absent = only fixtures and setRecords answer. */
  synthesize?: PayloadBuilder;
  /**
   * Checks of the method's own parameters (skip, date, pdf), after key and identifiers and before any fault, so a
   * 400 stays a 400 whatever faults are in force; a Reply refuses the call with it.
   */
  validate?: (request: ApiRequest) => Reply | undefined;
  /** Custom answer; the default looks every identifier up and returns the flat array of records. */
  answer?: (request: ApiRequest, emulator: EmulatorState) => Reply;
  /** Accepted HTTP methods; default GET only. */
  httpMethods?: readonly string[];
  /**
   * How /stat lists the method; absent = not listed (stat itself is free). Which method bills by what depends on
   * the tariff and is not documented: these are the emulator's own choices ('Persons' is never used).
   */
  limitType?: LimitType;
}

const BATCH_LIMIT = 100;

/** Identifiers per call by the method table's kind: batch 100, one for paged and documents, none for the rest. */
const MAX_IDS: Record<(typeof FOCUS_METHODS)[FocusMethodName]['kind'], number> = {
  batch: BATCH_LIMIT,
  paged: 1,
  document: 1,
  usage: 0,
  changes: 0,
  watchlist: 0,
};

/**
 * How the emulator answers each method of the table (src/modules/kontur-focus/vendor/methods.ts). A Record over the
 * table's names: a method added there does not compile until it is answered here.
 */
const ANSWERS: Record<FocusMethodName, Omit<MethodSpec, 'maxIds' | 'limitType'>> = {
  req: { synthesize: SYNTHETIC_PAYLOADS.req },
  egrDetails: { synthesize: SYNTHETIC_PAYLOADS.egrDetails },
  analytics: { synthesize: SYNTHETIC_PAYLOADS.analytics },
  licences: { synthesize: SYNTHETIC_PAYLOADS.licences },
  buh: { synthesize: SYNTHETIC_PAYLOADS.buh },
  contacts: { synthesize: SYNTHETIC_PAYLOADS.contacts, answer: contactsAnswer },
  briefReport: { validate: validateBriefReport, answer: briefReportAnswer },
  fssp: { validate: validateSkip, answer: pagedAnswer },
  govPurchasesOfParticipant: { validate: validateSkip, answer: pagedAnswer },
  govPurchasesOfCustomer: { validate: validateSkip, answer: pagedAnswer },
  excerpt: { answer: (request, state) => pdfAnswer('excerpt', request, state) },
  finan: { answer: (request, state) => pdfAnswer('finan', request, state) },
  stat: { answer: statAnswer },
  'req/mon': { validate: validateDate, answer: (request, state) => monAnswer('req', request, state) },
  'egrDetails/mon': { validate: validateDate, answer: (request, state) => monAnswer('egrDetails', request, state) },
  monList: { httpMethods: ['GET', 'POST'], answer: monListAnswer },
};

const METHODS: ReadonlyMap<string, MethodSpec> = new Map(
  (Object.keys(ANSWERS) as FocusMethodName[]).map((name) => {
    const row = FOCUS_METHODS[name] as { kind: keyof typeof MAX_IDS; billing?: LimitType };
    return [name, { ...ANSWERS[name], maxIds: MAX_IDS[row.kind], ...(row.billing ? { limitType: row.billing } : {}) }] as const;
  }),
);

// ─── Requests and replies ───────────────────────────────────────────────────────────────────────

interface Reply {
  status: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string | Buffer;
  /** false = a 200 the vendor does not bill (contacts without numbers); default: every 200 is billed. */
  billable?: boolean;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
const PDF_TYPE = 'application/pdf';

const text = (status: number, body: string): Reply => ({ status, contentType: TEXT, body });
const json = (status: number, value: unknown): Reply => ({ status, contentType: JSON_TYPE, body: JSON.stringify(value) });

interface ApiRequest {
  method: string;
  spec: MethodSpec;
  /** GET or POST */
  httpMethod: string;
  query: URLSearchParams;
  /** The request body (POST /monList); '' for GET. */
  body: string;
  /** The request's Content-Type header, lower-cased; '' when absent. */
  contentType: string;
  /** How many identifiers were supplied, valid or not (the batch limit counts them all). */
  supplied: number;
  inns: string[];
  ogrns: string[];
}

/** Comma-separated values of a (possibly repeated) query parameter, trimmed, empty ones skipped. */
function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

function parseApiRequest(
  method: string,
  spec: MethodSpec,
  query: URLSearchParams,
  http: { method: string; body: string; contentType: string },
): ApiRequest {
  // Identifier-less methods ignore inn/ogrn entirely: no 400, and the call log shows no ids.
  const rawInns = spec.maxIds === 0 ? [] : listParam(query, 'inn');
  const rawOgrns = spec.maxIds === 0 ? [] : listParam(query, 'ogrn');
  return {
    method,
    spec,
    httpMethod: http.method,
    query,
    body: http.body,
    contentType: http.contentType,
    supplied: rawInns.length + rawOgrns.length,
    // Malformed and checksum-invalid identifiers are dropped silently, as the live API does.
    inns: [...new Set(rawInns.filter(isValidInn))],
    ogrns: [...new Set(rawOgrns.filter(isValidOgrn))],
  };
}

// ─── Emulator state ─────────────────────────────────────────────────────────────────────────────

const isInnShape = (identifier: string): boolean => identifier.length === 10 || identifier.length === 12;

/** Whether a req record is a dissolved registration (UL or IP). */
function isDissolved(record: FocusRecord): boolean {
  const body = (record.UL ?? record.IP) as { status?: { dissolved?: boolean } } | undefined;
  return body?.status?.dissolved === true;
}

/** The registration a company "is" today: the first one not dissolved, else the newest captured one. */
function currentRecord(records: readonly FocusRecord[]): FocusRecord | undefined {
  return records.find((record) => !isDissolved(record)) ?? records.at(-1);
}

const pairKey = (pair: MonitoredPair): string => `${pair.inn ?? ''}/${pair.ogrn ?? ''}`;

/** Successful calls per method since the emulator started (what /stat reports as spent). */
type SpentCounter = Map<string, number>;

class EmulatorState {
  readonly calls: EmulatorCall[] = [];
  /** Rules in force, in the order added; `times` counts down in place. */
  readonly faults: FaultRule[] = [];
  /** method → identifier → records a test put in place */
  private readonly overrides = new Map<string, Map<string, readonly FocusRecord[]>>();
  /** paged method → identifier → every item a test put in place */
  private readonly pages = new Map<PagedMethod, Map<string, readonly unknown[]>>();
  /** scope → date → identifiers a test said changed that day */
  private readonly changes = new Map<MonitoringScope, Map<string, readonly string[]>>();
  /** The monitored list (monList), in the order added. */
  monitored: MonitoredPair[] = [];
  readonly spent: SpentCounter = new Map();
  /** The key's validity period in /stat: the calendar year the emulator started in. */
  readonly period = { start: `${new Date().getUTCFullYear()}-01-01`, end: `${new Date().getUTCFullYear()}-12-31` };

  constructor(
    readonly apiKey: string,
    public latencyMs: number,
    private readonly fixtures: FocusFixtures,
  ) {}

  setRecords(method: string, identifier: string, records: unknown[]): void {
    let byId = this.overrides.get(method);
    if (!byId) {
      byId = new Map();
      this.overrides.set(method, byId);
    }
    byId.set(identifier, [...records] as FocusRecord[]);
  }

  setPages(method: string, identifier: string, items: unknown[]): void {
    if (!isPagedMethod(method)) {
      throw new TypeError(`setPages works only for paged methods (${Object.keys(PAGED_PAYLOAD_KEYS).join(', ')}), not ${method}`);
    }
    let byId = this.pages.get(method);
    if (!byId) {
      byId = new Map();
      this.pages.set(method, byId);
    }
    byId.set(identifier, [...items]);
  }

  setChanges(scope: MonitoringScope, date: string, identifiers: string[]): void {
    if (scope !== 'req' && scope !== 'egrDetails') throw new TypeError(`scope must be 'req' or 'egrDetails', not ${String(scope)}`);
    if (!isIsoDate(date)) throw new TypeError(`date must be YYYY-MM-DD, not ${date}`);
    let byDate = this.changes.get(scope);
    if (!byDate) {
      byDate = new Map();
      this.changes.set(scope, byDate);
    }
    byDate.set(date, [...identifiers]);
  }

  changesOn(scope: MonitoringScope, date: string): readonly string[] | undefined {
    return this.changes.get(scope)?.get(date);
  }

  changeCompany(inn: string, date: string, change: CompanyChange): void {
    if (!isIsoDate(date)) throw new TypeError(`date must be YYYY-MM-DD, not ${date}`);
    const records = structuredClone([...this.lookup('req', inn)]);
    const current = currentRecord(records);
    if (!isInnShape(inn) || !current) throw new TypeError(`the registry does not know the INN ${inn}`);
    applyChange(current, change, date);
    this.setRecords('req', inn, records);
    if (typeof current.ogrn === 'string') this.setRecords('req', current.ogrn, [current]);
    const listed = this.changesOn('req', date) ?? [];
    if (!listed.includes(inn)) this.setChanges('req', date, [...listed, inn]);
  }

  bill(method: string): void {
    this.spent.set(method, (this.spent.get(method) ?? 0) + 1);
  }

  /** The first rule matching this call, counted and removed once used up; undefined = behave normally. */
  takeFault(request: ApiRequest): EmulatorFault | undefined {
    const ids = [...request.inns, ...request.ogrns];
    const index = this.faults.findIndex(
      (rule) =>
        (rule.methods === undefined || rule.methods.includes(request.method)) &&
        (rule.whenIdsInclude === undefined || rule.whenIdsInclude.some((id) => ids.includes(id))),
    );
    const rule = this.faults[index];
    if (!rule) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) this.faults.splice(index, 1);
    }
    return rule.fault;
  }

  override(method: string, identifier: string): readonly FocusRecord[] | undefined {
    return this.overrides.get(method)?.get(identifier);
  }

  /** The records one identifier contributes; [] when the registry does not know it. */
  lookup(method: string, identifier: string): readonly FocusRecord[] {
    const override = this.override(method, identifier);
    if (override) return override;
    // A captured company answers only with captured data, never with synthetic filler.
    if (this.fixtures.knows(identifier)) {
      return (isInnShape(identifier) ? this.fixtures.byInn(method, identifier) : this.fixtures.byOgrn(method, identifier)) ?? [];
    }
    const synthesize = METHODS.get(method)?.synthesize;
    return synthesize ? syntheticRecords(synthesize, identifier) : [];
  }

  /** The company's registrations as req answers them: identity (inn, ogrn, focusHref) and status. */
  registrations(identifier: string): readonly FocusRecord[] {
    return this.lookup('req', identifier);
  }

  /** The {inn, ogrn} pairs an identifier stands for; unknown ones give [] or, with `keepUnknown`, the bare id. */
  pairsFor(identifier: string, keepUnknown: boolean): MonitoredPair[] {
    const pairs = this.registrations(identifier).map((record) => ({ inn: record.inn, ogrn: record.ogrn }));
    if (pairs.length > 0 || !keepUnknown) return pairs;
    return [isInnShape(identifier) ? { inn: identifier } : { ogrn: identifier }];
  }

  /** Replaces the monitored list, dropping repeated pairs (first occurrence kept). */
  setMonitored(pairs: readonly MonitoredPair[]): void {
    const seen = new Set<string>();
    this.monitored = pairs.filter((pair) => {
      const key = pairKey(pair);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  /** One page of a paged method for one identifier: test pages, then captured pages, then synthetic ones. */
  pagedRecords(method: PagedMethod, identifier: string, skip: number): readonly FocusRecord[] {
    const override = this.override(method, identifier);
    if (override) return override;
    const key = PAGED_PAYLOAD_KEYS[method];
    const registrations = this.registrations(identifier);
    const inn = registrations[0]?.inn ?? (isInnShape(identifier) ? identifier : undefined);
    const byId = this.pages.get(method);
    const items = byId?.get(identifier) ?? (inn === undefined ? undefined : byId?.get(inn));
    if (items) {
      const page = items.slice(skip, skip + PAGE_SIZE);
      if (registrations.length === 0) return [{ ...(isInnShape(identifier) ? { inn: identifier } : { ogrn: identifier }), [key]: page }];
      const carrier = currentRecord(registrations);
      const captured = inn === undefined ? undefined : this.fixtures.page(method, inn, 0);
      return registrations.map((record) => {
        const own = record === carrier ? page : [];
        const capturedDate = captured?.find((r) => r.ogrn === record.ogrn)?.updateDate as string | undefined;
        const isUl = (record.inn ?? '').length === 10;
        const updateDate =
          method !== 'fssp'
            ? undefined
            : (capturedDate ?? (isUl || (record === carrier && items.length > 0) ? fsspUpdateDate(record.inn ?? '') : undefined));
        return pagedRecord(record, key, own, updateDate);
      });
    }
    if (this.fixtures.knows(identifier)) {
      const captured = inn === undefined ? undefined : this.fixtures.page(method, inn, 0);
      const records = (captured ?? registrations).filter((record) => isInnShape(identifier) || record.ogrn === identifier);
      if (captured && skip === 0) return records;
      // Only page 0 was captured: later pages (and methods never captured for this company) are empty lists.
      return records.map((record) => pagedRecord(record, key, [], record.updateDate as string | undefined));
    }
    return syntheticPagedRecords(method, identifier, skip);
  }
}

/** A change applied to a req record in place (its UL or IP part), the way the registry would record it. */
function applyChange(record: FocusRecord, change: CompanyChange, date: string): void {
  const isUl = record.UL !== undefined;
  const body = (record.UL ?? record.IP ?? {}) as Record<string, unknown>;
  if (change.status !== undefined) {
    const wording = change.statusString ?? (change.status === 'active' ? ACTIVE_STATUS : STATUS_STRINGS[change.status][isUl ? 'UL' : 'IP']);
    body.status = change.status === 'active' ? { statusString: wording } : { statusString: wording, [change.status]: true, date };
    if (change.status === 'dissolved') body.dissolutionDate = date;
    else delete body.dissolutionDate;
  }
  if (!isUl) return;
  if (change.head)
    body.heads = [
      {
        fio: change.head.fio,
        ...(change.head.innfl ? { innfl: change.head.innfl } : {}),
        position: change.head.position ?? 'Генеральный директор',
        date,
        firstDate: date,
      },
    ];
  if (change.legalAddress) body.legalAddress = { parsedAddressRF: { ...change.legalAddress }, date, firstDate: date };
  if (change.shortName !== undefined || change.fullName !== undefined) {
    const name = (body.legalName ?? {}) as Record<string, unknown>;
    body.legalName = {
      ...name,
      ...(change.shortName ? { short: change.shortName } : {}),
      ...(change.fullName ? { full: change.fullName } : {}),
      date,
    };
  }
}

/** A paged record in the captured key order: inn, ogrn, updateDate, focusHref, payload. */
function pagedRecord(identity: FocusRecord, key: string, items: readonly unknown[], updateDate: string | undefined): FocusRecord {
  const record: FocusRecord = {};
  if (identity.inn !== undefined) record.inn = identity.inn;
  if (identity.ogrn !== undefined) record.ogrn = identity.ogrn;
  if (updateDate !== undefined) record.updateDate = updateDate;
  if (identity.focusHref !== undefined) record.focusHref = identity.focusHref;
  record[key] = items;
  return record;
}

/** Every identifier's records in one flat array, each record once. */
function collectRecords(request: ApiRequest, lookup: (identifier: string) => readonly FocusRecord[]): FocusRecord[] {
  const groups = [...request.inns, ...request.ogrns].map(lookup);
  // The live API's order is undocumented; answering in reverse keeps clients from relying on request order.
  groups.reverse();
  const seen = new Set<string>();
  const records: FocusRecord[] = [];
  for (const record of groups.flat()) {
    // An INN and its OGRN in one call name the same record once.
    const key = typeof record.ogrn === 'string' ? `${record.inn}/${record.ogrn}` : undefined;
    if (key !== undefined && seen.has(key)) continue;
    if (key !== undefined) seen.add(key);
    records.push(record);
  }
  return records;
}

/** The default answer of batch methods: every identifier's records in one flat array. */
function batchAnswer(request: ApiRequest, state: EmulatorState): Reply {
  return json(
    200,
    collectRecords(request, (identifier) => state.lookup(request.method, identifier)),
  );
}

// ─── contacts ───────────────────────────────────────────────────────────────────────────────────

/** Like every batch method; a call that finds no phone number at all is not billed (vendor overview). */
function contactsAnswer(request: ApiRequest, state: EmulatorState): Reply {
  const records = collectRecords(request, (identifier) => state.lookup('contacts', identifier));
  const found = records.some((record) => {
    const phones = (record.contactPhones as { phones?: unknown[] } | undefined)?.phones;
    return Array.isArray(phones) && phones.length > 0;
  });
  return { ...json(200, records), billable: found };
}

// ─── briefReport ────────────────────────────────────────────────────────────────────────────────

const ONLY_ONE_ID = 'only one inn/ogrn is allowed';

const wantsPdf = (request: ApiRequest): boolean => (request.query.get('pdf') ?? '').toLowerCase() === 'true';

function validateBriefReport(request: ApiRequest): Reply | undefined {
  // The PDF behaviour with several identifiers is unknown (reference §2.9); the emulator refuses it like the
  // single-identifier methods do. The exact text of that 400 is unconfirmed.
  return wantsPdf(request) && request.supplied > 1 ? text(400, ONLY_ONE_ID) : undefined;
}

/**
 * The express-report flags exactly as req carries them, plus a fresh one-time personal link per call (never cache
 * it). With pdf=true: the report as a PDF.
 */
function briefReportAnswer(request: ApiRequest, state: EmulatorState): Reply {
  if (wantsPdf(request)) return pdfAnswer('briefReport', request, state);
  const records = collectRecords(
    request,
    (identifier) =>
      state.override('briefReport', identifier) ??
      state.registrations(identifier).map((record) => ({
        inn: record.inn,
        ogrn: record.ogrn,
        focusHref: record.focusHref,
        briefReport: {
          summary: (record.briefReport as { summary?: unknown } | undefined)?.summary ?? {},
          href: `https://focus-lite.kontur.ru/briefReport?ogrn=${record.ogrn ?? ''}&mac=${randomBytes(16).toString('hex')}&ltoken=${randomBytes(16).toString('hex')}`,
        },
      })),
  );
  return json(200, records);
}

// ─── Paged methods: fssp, govPurchasesOfParticipant, govPurchasesOfCustomer ─────────────────────

/** `skip` as sent: absent or empty = 0; otherwise a non-negative multiple of 1000; undefined = invalid. */
function parseSkip(query: URLSearchParams): number | undefined {
  const raw = query.get('skip');
  if (raw === null || raw === '') return 0;
  if (!/^\d{1,9}$/.test(raw)) return undefined;
  const skip = Number(raw);
  return skip % PAGE_SIZE === 0 ? skip : undefined;
}

function validateSkip(request: ApiRequest): Reply | undefined {
  // The live API's answer to a bad skip is unconfirmed; the emulator is strict so clients page by 1000 exactly.
  return parseSkip(request.query) === undefined ? text(400, 'skip must be a non-negative multiple of 1000') : undefined;
}

function pagedAnswer(request: ApiRequest, state: EmulatorState): Reply {
  const identifier = [...request.inns, ...request.ogrns][0]!;
  return json(200, state.pagedRecords(request.method as PagedMethod, identifier, parseSkip(request.query) ?? 0));
}

// ─── PDF methods: excerpt, finan, briefReport?pdf=true ──────────────────────────────────────────

type PdfKind = 'excerpt' | 'finan' | 'briefReport';

interface ReqBody {
  legalName?: { short?: string; full?: string };
  fio?: string;
  kpp?: string;
  registrationDate?: string;
  status?: { statusString?: string };
  heads?: { fio?: string; position?: string }[];
}

function companyName(record: FocusRecord): string {
  const body = (record.UL ?? record.IP ?? {}) as ReqBody;
  return body.legalName?.short ?? body.legalName?.full ?? body.fio ?? record.inn ?? '';
}

const formatRoubles = (value: number): string => `${Math.round(value).toLocaleString('en-US').replace(/,/g, ' ')} руб.`;

function pdfContent(kind: PdfKind, record: FocusRecord, state: EmulatorState): PdfContent {
  const name = companyName(record);
  const ul = record.UL as ReqBody | undefined;
  const body = (record.UL ?? record.IP ?? {}) as ReqBody;
  const identity = [`Наименование: ${name}`, `ИНН: ${record.inn ?? ''}`, `${ul ? 'ОГРН' : 'ОГРНИП'}: ${record.ogrn ?? ''}`];
  const footer = 'Сформировано эмулятором Контур.Фокус (не является юридически значимым документом)';
  if (kind === 'excerpt') {
    const head = ul?.heads?.[0];
    return {
      title: `Выписка из ${ul ? 'ЕГРЮЛ' : 'ЕГРИП'}: ${name}`,
      subject: record.inn ?? '',
      lines: [
        ...identity,
        ...(ul?.kpp ? [`КПП: ${ul.kpp}`] : []),
        `Дата регистрации: ${body.registrationDate ?? '-'}`,
        `Статус: ${body.status?.statusString ?? '-'}`,
        ...(head?.fio ? [`${head.position ?? 'Руководитель'}: ${head.fio}`] : []),
        '',
        footer,
      ],
    };
  }
  if (kind === 'finan') {
    const buh = state.lookup('buh', record.inn ?? '').find((r) => r.ogrn === record.ogrn);
    const forms = (buh?.buhForms ?? []) as {
      year?: number;
      form1?: { code?: number; endValue?: number }[];
      form2?: { code?: number; endValue?: number }[];
    }[];
    const latest = forms.at(-1);
    const line = (code: number): string => {
      const found = [...(latest?.form1 ?? []), ...(latest?.form2 ?? [])].find((l) => l.code === code);
      return found?.endValue === undefined ? '-' : formatRoubles(found.endValue);
    };
    return {
      title: `Финансовый анализ: ${name}`,
      subject: record.inn ?? '',
      lines: [
        ...identity,
        '',
        ...(latest
          ? [
              `Отчетный год: ${latest.year ?? '-'}`,
              `Выручка (2110): ${line(2110)}`,
              `Чистая прибыль (2400): ${line(2400)}`,
              `Баланс (1600): ${line(1600)}`,
            ]
          : ['Бухгалтерская отчетность не найдена']),
        '',
        footer,
      ],
    };
  }
  const summary = (record.briefReport as { summary?: Record<string, boolean> } | undefined)?.summary ?? {};
  const mark = (flag: string): string => (summary[flag] ? 'есть' : 'нет');
  return {
    title: `Экспресс-отчет: ${name}`,
    subject: record.inn ?? '',
    lines: [
      ...identity,
      '',
      `Красные факты: ${mark('redStatements')}`,
      `Желтые факты: ${mark('yellowStatements')}`,
      `Зеленые факты: ${mark('greenStatements')}`,
      '',
      footer,
    ],
  };
}

/** A PDF about the company's current registration (or the one the OGRN names); 404 text when nothing matches. */
function pdfAnswer(kind: PdfKind, request: ApiRequest, state: EmulatorState): Reply {
  const identifier = [...request.inns, ...request.ogrns][0]!;
  const record = currentRecord(state.registrations(identifier));
  // The reference says clients map a 404 to "not found" (§2.10); the exact body is unconfirmed.
  if (!record) return text(404, 'Not found');
  return {
    status: 200,
    contentType: PDF_TYPE,
    headers: { 'content-disposition': `attachment; filename="${kind}_${record.inn ?? identifier}.pdf"` },
    body: renderPdf(pdfContent(kind, record, state)),
  };
}

// ─── stat ───────────────────────────────────────────────────────────────────────────────────────

/** The limit every method reports. */
const STAT_LIMIT = 100_000;

/**
 * Usage per billed method: `spent` = this emulator's billed calls to the method since it started (200 answers,
 * contacts only when numbers were found), whatever the limitType. The live answer's method naming is unconfirmed.
 */
function statAnswer(_request: ApiRequest, state: EmulatorState): Reply {
  const rows = [...METHODS].flatMap(([methodName, spec]) =>
    spec.limitType === undefined
      ? []
      : [
          {
            methodName,
            limit: STAT_LIMIT,
            spent: state.spent.get(methodName) ?? 0,
            limitType: spec.limitType,
            periodStartDate: state.period.start,
            periodEndDate: state.period.end,
          },
        ],
  );
  return json(200, rows);
}

// ─── req/mon, egrDetails/mon ────────────────────────────────────────────────────────────────────

function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

function validateDate(request: ApiRequest): Reply | undefined {
  // date is required (§2.13); the live API's error text is unconfirmed.
  const date = request.query.get('date');
  return date !== null && isIsoDate(date) ? undefined : text(400, 'date param is not specified or is not YYYY-MM-DD');
}

/**
 * The monitored companies whose data changed on `date`: what setChanges dictated for that date, else every
 * monitored pair whose fnv1a(inn + date + scope) % 4 === 0 (about a quarter of them, deterministically).
 */
function monAnswer(scope: MonitoringScope, request: ApiRequest, state: EmulatorState): Reply {
  const date = request.query.get('date')!;
  const dictated = state.changesOn(scope, date);
  if (dictated)
    return json(
      200,
      dictated.flatMap((identifier) => state.pairsFor(identifier, true)),
    );
  return json(
    200,
    state.monitored.filter((pair) => fnv1a(`${pair.inn ?? pair.ogrn ?? ''}${date}${scope}`) % 4 === 0),
  );
}

// ─── monList ────────────────────────────────────────────────────────────────────────────────────

/**
 * The identifiers of a POST body: INNs and OGRNs "with delimiters" (commas, spaces, semicolons, newlines). A form
 * body (application/x-www-form-urlencoded) is URL-decoded first, and any field names in it are ignored.
 */
function identifiersInBody(body: string, contentType: string): string[] {
  let decoded = body;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    try {
      decoded = decodeURIComponent(body.replace(/\+/g, ' '));
    } catch {
      decoded = body;
    }
  }
  const tokens = decoded.split(/[\s,;&=]+/).filter((token) => isValidInn(token) || isValidOgrn(token));
  return [...new Set(tokens)];
}

/**
 * GET: the monitored list. POST: append=false (the default) replaces it with the body's identifiers, append=true
 * adds them; the answer is the resulting list. Identifiers the registry does not know are dropped silently (the
 * caller diffs), and an INN with several registrations adds every one of them.
 */
function monListAnswer(request: ApiRequest, state: EmulatorState): Reply {
  if (request.httpMethod === 'POST') {
    const append = (request.query.get('append') ?? '').toLowerCase() === 'true';
    const pairs = identifiersInBody(request.body, request.contentType).flatMap((identifier) => state.pairsFor(identifier, false));
    state.setMonitored(append ? [...state.monitored, ...pairs] : pairs);
  }
  return json(200, state.monitored);
}

// ─── Faults ─────────────────────────────────────────────────────────────────────────────────────

/** What the server does with an /api3 call: send a reply (after a delay), or misbehave at the socket level. */
type Outcome = { kind: 'reply'; reply: Reply; extraDelayMs: number } | { kind: 'hang' } | { kind: 'reset' };

const MAINTENANCE_PAGE = '<html><body>Технические работы</body></html>';

/** A body cut short: a strict prefix of a JSON array or object never parses. */
function truncate(body: string | Buffer): string | Buffer {
  const end = Math.max(1, Math.min(body.length - 1, Math.floor(body.length / 2)));
  return Buffer.isBuffer(body) ? body.subarray(0, end) : body.slice(0, end);
}

function applyFault(fault: EmulatorFault, answer: () => Reply): Outcome {
  const reply = (value: Reply, extraDelayMs = 0): Outcome => ({ kind: 'reply', reply: value, extraDelayMs });
  switch (fault.kind) {
    case 'latency':
      return reply(answer(), fault.ms);
    case 'status':
      return reply(text(fault.status, fault.body ?? 'Internal Server Error'));
    case 'rateLimit':
      return reply({ ...text(429, 'Too Many Requests'), headers: { 'retry-after': String(fault.retryAfterSeconds) } });
    case 'hang':
    case 'reset':
      return { kind: fault.kind };
    case 'malformedJson': {
      const normal = answer();
      return reply({ ...normal, contentType: JSON_TYPE, body: truncate(normal.body) });
    }
    case 'wrongContentType':
      return reply({ ...answer(), contentType: TEXT });
    case 'htmlBody':
      return reply({ status: 200, contentType: HTML, body: MAINTENANCE_PAGE });
    case 'jsonBody':
      return reply({ status: 200, contentType: JSON_TYPE, body: fault.body });
  }
}

const FAULT_KINDS = ['latency', 'status', 'rateLimit', 'hang', 'reset', 'malformedJson', 'wrongContentType', 'htmlBody', 'jsonBody'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isNonNegative = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** A validated copy of a rule (the caller's object is not kept), or an error message. */
function parseFaultRule(input: unknown): FaultRule | string {
  if (!isRecord(input)) return 'A fault rule must be a JSON object';
  const { fault, times, methods, whenIdsInclude } = input;
  if (!isRecord(fault)) return 'fault must be an object with a kind';
  if (typeof fault.kind !== 'string' || !FAULT_KINDS.includes(fault.kind)) {
    return `Unknown fault kind ${JSON.stringify(fault.kind)}; expected one of ${FAULT_KINDS.join(', ')}`;
  }
  let parsed: EmulatorFault;
  switch (fault.kind) {
    case 'latency':
      if (!isNonNegative(fault.ms)) return 'latency.ms must be a non-negative number';
      parsed = { kind: 'latency', ms: fault.ms };
      break;
    case 'status':
      if (typeof fault.status !== 'number' || !Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        return 'status.status must be an integer from 400 to 599';
      }
      if (fault.body !== undefined && typeof fault.body !== 'string') return 'status.body must be a string';
      parsed = { kind: 'status', status: fault.status, ...(fault.body !== undefined ? { body: fault.body } : {}) };
      break;
    case 'rateLimit':
      if (!isNonNegative(fault.retryAfterSeconds)) return 'rateLimit.retryAfterSeconds must be a non-negative number';
      parsed = { kind: 'rateLimit', retryAfterSeconds: fault.retryAfterSeconds };
      break;
    case 'jsonBody':
      if (typeof fault.body !== 'string') return 'jsonBody.body must be a string';
      parsed = { kind: 'jsonBody', body: fault.body };
      break;
    default:
      parsed = { kind: fault.kind as 'hang' | 'reset' | 'malformedJson' | 'wrongContentType' | 'htmlBody' };
  }
  const rule: FaultRule = { fault: parsed };
  if (times !== undefined) {
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) return 'times must be a positive integer';
    rule.times = times;
  }
  if (methods !== undefined) {
    if (!isStringArray(methods)) return 'methods must be an array of strings';
    const unknown = methods.filter((method) => !METHODS.has(method));
    if (unknown.length > 0) return `Unknown methods ${unknown.join(', ')}; expected some of ${[...METHODS.keys()].join(', ')}`;
    rule.methods = [...methods];
  }
  if (whenIdsInclude !== undefined) {
    if (!isStringArray(whenIdsInclude)) return 'whenIdsInclude must be an array of strings';
    rule.whenIdsInclude = [...whenIdsInclude];
  }
  return rule;
}

/** A rule as GET /__emulator/faults lists it: a copy, with the calls it has left. */
const describeRule = (rule: FaultRule): FaultRule => structuredClone(rule);

// ─── The API ────────────────────────────────────────────────────────────────────────────────────

/**
 * The checks every /api3 call passes through, in the vendor's order: key first, then identifiers, then any
 * switchable fault — so a 403/400 stays a 403/400 whatever faults are in force.
 */
function answerApi(request: ApiRequest, state: EmulatorState): Outcome {
  const reply = (value: Reply): Outcome => ({ kind: 'reply', reply: value, extraDelayMs: 0 });
  if (!keyAccepted(request, state.apiKey)) return reply(text(403, 'No valid key specified'));
  const { spec } = request;
  if (spec.maxIds > 0) {
    if (request.supplied > spec.maxIds) {
      // The single-identifier methods' text is the emulator's own: the live API's wording is unconfirmed.
      return reply(text(400, spec.maxIds === 1 ? ONLY_ONE_ID : `Too many identifiers: at most ${spec.maxIds} per request`));
    }
    if (request.inns.length + request.ogrns.length === 0) return reply(text(400, 'inn/ogrn param is not specified'));
  }
  const refusal = spec.validate?.(request);
  if (refusal) return reply(refusal);
  let billable = false;
  const answer = (): Reply => {
    const normal = (spec.answer ?? batchAnswer)(request, state);
    billable = normal.status === 200 && normal.billable !== false;
    return normal;
  };
  const fault = state.takeFault(request);
  const outcome = fault ? applyFault(fault, answer) : reply(answer());
  // Billed when the vendor produced its answer, even if the network then garbled it (latency, malformedJson…).
  if (billable) state.bill(request.method);
  return outcome;
}

/** The key check; /stat also accepts the key's first 20 characters (reference §1.1). */
function keyAccepted(request: ApiRequest, apiKey: string): boolean {
  const key = request.query.get('key');
  if (key === apiKey) return true;
  return request.method === 'stat' && apiKey.length > 20 && key === apiKey.slice(0, 20);
}

// ─── HTTP plumbing ──────────────────────────────────────────────────────────────────────────────

const API_PREFIX = '/api3/';
const CALLS_PATH = '/__emulator/calls';
const FAULTS_PATH = '/__emulator/faults';
const CHANGES_PATH = '/__emulator/changes';
const MAX_CONTROL_BODY = 64 * 1024;
/** POST /api3/monList bodies: a list of up to tens of thousands of identifiers. */
const MAX_API_BODY = 1024 * 1024;

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) };
  if (reply.contentType) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

const NO_CONTENT: Reply = { status: 204, body: '' };

function handleCallLog(req: IncomingMessage, state: EmulatorState): Reply {
  if (req.method === 'GET') return json(200, state.calls);
  if (req.method === 'DELETE') {
    state.calls.length = 0;
    return NO_CONTENT;
  }
  return text(405, 'Method Not Allowed');
}

async function handleFaults(req: IncomingMessage, state: EmulatorState): Promise<Reply> {
  if (req.method === 'GET') return json(200, state.faults.map(describeRule));
  if (req.method === 'DELETE') {
    state.faults.length = 0;
    return NO_CONTENT;
  }
  if (req.method !== 'POST') return text(405, 'Method Not Allowed');
  const body = await readBody(req, MAX_CONTROL_BODY);
  if (body === undefined) return text(413, 'Payload Too Large');
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return text(400, 'The body must be a JSON fault rule');
  }
  const rule = parseFaultRule(input);
  if (typeof rule === 'string') return text(400, rule);
  state.faults.push(rule);
  return NO_CONTENT;
}

/** POST /__emulator/changes { inn, date, status?, statusString?, head?, legalAddress?, shortName?, fullName? }: changeCompany. */
async function handleChanges(req: IncomingMessage, state: EmulatorState): Promise<Reply> {
  if (req.method !== 'POST') return text(405, 'Method Not Allowed');
  const body = await readBody(req, MAX_CONTROL_BODY);
  if (body === undefined) return text(413, 'Payload Too Large');
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    return text(400, 'The body must be a JSON object { inn, date, ...change }');
  }
  if (!isRecord(input) || typeof input.inn !== 'string' || typeof input.date !== 'string')
    return text(400, 'inn and date are required strings');
  const { inn, date, status, statusString, head, legalAddress, shortName, fullName } = input;
  const statuses = ['active', 'dissolved', 'dissolving', 'reorganizing', 'bankrupting'];
  if (status !== undefined && (typeof status !== 'string' || !statuses.includes(status)))
    return text(400, `status must be one of ${statuses.join(', ')}`);
  if (head !== undefined && (!isRecord(head) || typeof head.fio !== 'string')) return text(400, 'head must be { fio, position?, innfl? }');
  if (legalAddress !== undefined && !isRecord(legalAddress)) return text(400, 'legalAddress must be an object (parsedAddressRF)');
  const strings = { statusString, shortName, fullName };
  const notString = Object.entries(strings).find(([, value]) => value !== undefined && typeof value !== 'string');
  if (notString) return text(400, `${notString[0]} must be a string`);
  const change: CompanyChange = {
    ...(status !== undefined ? { status: status as StatusKind } : {}),
    ...(typeof statusString === 'string' ? { statusString } : {}),
    ...(isRecord(head) ? { head: head as CompanyChange['head'] & object } : {}),
    ...(isRecord(legalAddress) ? { legalAddress } : {}),
    ...(typeof shortName === 'string' ? { shortName } : {}),
    ...(typeof fullName === 'string' ? { fullName } : {}),
  };
  try {
    state.changeCompany(inn, date, change);
  } catch (error) {
    return text(400, (error as Error).message);
  }
  return NO_CONTENT;
}

/** One /api3 call; `body` is '' for GET and undefined when a POST body was too large. */
function handleApi(req: IncomingMessage, url: URL, state: EmulatorState, body: string | undefined): Outcome {
  const method = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '');
  const spec = METHODS.get(method);
  const httpMethod = req.method ?? 'GET';
  const contentType = (req.headers['content-type'] ?? '').toLowerCase();
  const request = spec ? parseApiRequest(method, spec, url.searchParams, { method: httpMethod, body: body ?? '', contentType }) : undefined;
  let outcome: Outcome;
  if (!spec || !request) outcome = { kind: 'reply', reply: text(404, 'Not Found'), extraDelayMs: 0 };
  else if (!(spec.httpMethods ?? ['GET']).includes(httpMethod))
    outcome = { kind: 'reply', reply: text(405, 'Method Not Allowed'), extraDelayMs: 0 };
  else if (body === undefined) outcome = { kind: 'reply', reply: text(413, 'Payload Too Large'), extraDelayMs: 0 };
  else outcome = answerApi(request, state);
  // Logged at arrival, faulted calls included; a hung or reset call never gets a status (0).
  const status = outcome.kind === 'reply' ? outcome.reply.status : 0;
  state.calls.push({ method, ids: request ? [...request.inns, ...request.ogrns] : [], status, at: Date.now() });
  return outcome;
}

export async function startFocusEmulator(options: FocusEmulatorOptions): Promise<FocusEmulator> {
  const state = new EmulatorState(options.apiKey, options.latencyMs ?? 0, loadFocusFixtures());
  const replies = new DelayedReplies();

  const later = replies.later.bind(replies);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname === CALLS_PATH) return send(res, handleCallLog(req, state));
    if (url.pathname === CHANGES_PATH) {
      handleChanges(req, state).then(
        (reply) => send(res, reply),
        () => res.destroy(),
      );
      return;
    }
    if (url.pathname === FAULTS_PATH) {
      handleFaults(req, state).then(
        (reply) => send(res, reply),
        () => res.destroy(),
      );
      return;
    }
    if (!url.pathname.startsWith(API_PREFIX)) return send(res, text(404, 'Not Found'));
    const deliver = (outcome: Outcome): void => {
      // A hung call is left open: the client gives up (closing the socket) or close() destroys it.
      if (outcome.kind === 'hang') return;
      if (outcome.kind === 'reset') return later(res, state.latencyMs, () => req.socket.resetAndDestroy());
      later(res, state.latencyMs + outcome.extraDelayMs, () => send(res, outcome.reply));
    };
    // Only POST (monList) carries a body; GET calls are handled (and logged) synchronously on arrival.
    if (req.method === 'POST') {
      readBody(req, MAX_API_BODY).then(
        (body) => deliver(handleApi(req, url, state, body)),
        () => res.destroy(),
      );
      return;
    }
    deliver(handleApi(req, url, state, ''));
  });

  const origin = await listenOnLoopback(server, options);

  return {
    url: `${origin}/api3`,
    ...callLogControls(state),
    setRecords: (method, identifier, records) => state.setRecords(method, identifier, records),
    setPages: (method, identifier, items) => state.setPages(method, identifier, items),
    setChanges: (scope, date, identifiers) => state.setChanges(scope, date, identifiers),
    monitored: () => state.monitored.map((pair) => ({ ...pair })),
    changeCompany: (inn, date, change) => state.changeCompany(inn, date, change),
    injectFault: (rule) => {
      const parsed = parseFaultRule(rule);
      if (typeof parsed === 'string') throw new TypeError(parsed);
      state.faults.push(parsed);
    },
    clearFaults: () => {
      state.faults.length = 0;
    },
    get activeFaults() {
      return state.faults.length;
    },
    close: async () => {
      replies.cancelAll();
      // Stop accepting first, then destroy every connection, hung and keep-alive ones included.
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
