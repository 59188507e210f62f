/**
 * A loopback HTTP server that answers like Kontur.Focus API 3.0 (https://focus-api.kontur.ru/api3/).
 * It powers sandbox mode (no API key) and every test, so it reproduces the vendor's conventions exactly:
 * query-string key auth (403 text), comma-separated inn/ogrn batches of at most 100, silently dropped malformed
 * identifiers (400 text when none is left), and one flat array of records that never echoes the request.
 *
 * Answers come from, in order: records set by a test (setRecords), the captured fixtures, synthetic records.
 *
 * Switchable faults (injectFault, or POST /__emulator/faults from another process) make authorised, well-formed
 * /api3 calls misbehave the ways the live API and the network do: latency, 5xx, 429 with Retry-After, a hung or reset
 * connection, truncated JSON, a wrong content type, an HTML maintenance page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidInn, isValidOgrn } from '../../../domain/identifiers.ts';
import { loadFocusFixtures, type FocusFixtures, type FocusRecord } from './fixtures.ts';
import { SYNTHETIC_PAYLOADS, syntheticRecords, type PayloadBuilder } from './synthetic.ts';

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
  | { kind: 'htmlBody' };

export interface FaultRule {
  fault: EmulatorFault;
  /** How many matching calls this rule affects, then it is removed; absent = until clearFaults(). */
  times?: number;
  /** Only calls to these methods (e.g. ['req']); absent = every /api3 method. */
  methods?: string[];
  /** Only calls whose valid identifiers include at least one of these INNs/OGRNs; absent = any call. */
  whenIdsInclude?: string[];
}

export interface FocusEmulator {
  /** Base URL ending in /api3, e.g. http://127.0.0.1:53211/api3 */
  url: string;
  /** Every request to /api3/*, in order of arrival. */
  calls: EmulatorCall[];
  callsTo(method: string): EmulatorCall[];
  resetCalls(): void;
  setLatency(ms: number): void;
  /** Replace what a method answers for an identifier (INN or OGRN) with these raw records; for tests. */
  setRecords(method: string, inn: string, records: unknown[]): void;
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

/**
 * What one /api3 method answers. To emulate another method (contacts, fssp, govPurchasesOf*, briefReport, excerpt,
 * finan, stat, req/mon, monList) add an entry: batch methods need only a synthetic builder; paged, PDF or
 * identifier-less methods plug their own `answer` in.
 */
interface MethodSpec {
  /** The documented identifier limit per call. */
  maxIds: number;
  /** Builds the synthetic payload of one registration; absent = only fixtures and setRecords answer. */
  synthesize?: PayloadBuilder;
  /** Custom answer; the default looks every identifier up and returns the flat array of records. */
  answer?: (request: ApiRequest, emulator: EmulatorState) => Reply;
}

const BATCH_LIMIT = 100;

const METHODS: ReadonlyMap<string, MethodSpec> = new Map<string, MethodSpec>([
  ['req', { maxIds: BATCH_LIMIT, synthesize: SYNTHETIC_PAYLOADS.req }],
  ['egrDetails', { maxIds: BATCH_LIMIT, synthesize: SYNTHETIC_PAYLOADS.egrDetails }],
  ['analytics', { maxIds: BATCH_LIMIT, synthesize: SYNTHETIC_PAYLOADS.analytics }],
  ['licences', { maxIds: BATCH_LIMIT, synthesize: SYNTHETIC_PAYLOADS.licences }],
  ['buh', { maxIds: BATCH_LIMIT, synthesize: SYNTHETIC_PAYLOADS.buh }],
]);

// ─── Requests and replies ───────────────────────────────────────────────────────────────────────

interface Reply {
  status: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

const text = (status: number, body: string): Reply => ({ status, contentType: TEXT, body });
const json = (status: number, value: unknown): Reply => ({ status, contentType: JSON_TYPE, body: JSON.stringify(value) });

interface ApiRequest {
  method: string;
  spec: MethodSpec;
  query: URLSearchParams;
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

function parseApiRequest(method: string, spec: MethodSpec, query: URLSearchParams): ApiRequest {
  const rawInns = listParam(query, 'inn');
  const rawOgrns = listParam(query, 'ogrn');
  return {
    method,
    spec,
    query,
    supplied: rawInns.length + rawOgrns.length,
    // Malformed and checksum-invalid identifiers are dropped silently, as the live API does.
    inns: [...new Set(rawInns.filter(isValidInn))],
    ogrns: [...new Set(rawOgrns.filter(isValidOgrn))],
  };
}

// ─── Emulator state ─────────────────────────────────────────────────────────────────────────────

class EmulatorState {
  readonly calls: EmulatorCall[] = [];
  /** Rules in force, in the order added; `times` counts down in place. */
  readonly faults: FaultRule[] = [];
  /** method → identifier → records a test put in place */
  private readonly overrides = new Map<string, Map<string, readonly FocusRecord[]>>();

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

  /** The records one identifier contributes; [] when the registry does not know it. */
  lookup(method: string, spec: MethodSpec, identifier: string): readonly FocusRecord[] {
    const override = this.overrides.get(method)?.get(identifier);
    if (override) return override;
    // A captured company answers only with captured data, never with synthetic filler.
    if (this.fixtures.knows(identifier)) {
      const isInn = identifier.length === 10 || identifier.length === 12;
      return (isInn ? this.fixtures.byInn(method, identifier) : this.fixtures.byOgrn(method, identifier)) ?? [];
    }
    return spec.synthesize ? syntheticRecords(spec.synthesize, identifier) : [];
  }
}

/** The default answer of batch methods: every identifier's records in one flat array. */
function batchAnswer(request: ApiRequest, state: EmulatorState): Reply {
  const groups = [...request.inns, ...request.ogrns].map((id) => state.lookup(request.method, request.spec, id));
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
  return json(200, records);
}

// ─── Faults ─────────────────────────────────────────────────────────────────────────────────────

/** What the server does with an /api3 call: send a reply (after a delay), or misbehave at the socket level. */
type Outcome = { kind: 'reply'; reply: Reply; extraDelayMs: number } | { kind: 'hang' } | { kind: 'reset' };

const MAINTENANCE_PAGE = '<html><body>Технические работы</body></html>';

/** A JSON text cut short: a strict prefix of an array or object never parses. */
function truncate(body: string): string {
  return body.slice(0, Math.max(1, Math.min(body.length - 1, Math.floor(body.length / 2))));
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
  }
}

const FAULT_KINDS = ['latency', 'status', 'rateLimit', 'hang', 'reset', 'malformedJson', 'wrongContentType', 'htmlBody'];

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
  if (request.query.get('key') !== state.apiKey) return reply(text(403, 'No valid key specified'));
  if (request.supplied > request.spec.maxIds) {
    return reply(text(400, `Too many identifiers: at most ${request.spec.maxIds} per request`));
  }
  if (request.inns.length + request.ogrns.length === 0) return reply(text(400, 'inn/ogrn param is not specified'));
  const answer = (): Reply => (request.spec.answer ?? batchAnswer)(request, state);
  const fault = state.takeFault(request);
  return fault ? applyFault(fault, answer) : reply(answer());
}

// ─── HTTP plumbing ──────────────────────────────────────────────────────────────────────────────

const API_PREFIX = '/api3/';
const CALLS_PATH = '/__emulator/calls';
const FAULTS_PATH = '/__emulator/faults';
const MAX_CONTROL_BODY = 64 * 1024;

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

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_CONTROL_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function handleFaults(req: IncomingMessage, state: EmulatorState): Promise<Reply> {
  if (req.method === 'GET') return json(200, state.faults.map(describeRule));
  if (req.method === 'DELETE') {
    state.faults.length = 0;
    return NO_CONTENT;
  }
  if (req.method !== 'POST') return text(405, 'Method Not Allowed');
  const body = await readBody(req);
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

function handleApi(req: IncomingMessage, url: URL, state: EmulatorState): Outcome {
  const method = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '');
  const spec = METHODS.get(method);
  const request = spec ? parseApiRequest(method, spec, url.searchParams) : undefined;
  let outcome: Outcome;
  if (!spec || !request) outcome = { kind: 'reply', reply: text(404, 'Not Found'), extraDelayMs: 0 };
  else if (req.method !== 'GET') outcome = { kind: 'reply', reply: text(405, 'Method Not Allowed'), extraDelayMs: 0 };
  else outcome = answerApi(request, state);
  // Logged at arrival, faulted calls included; a hung or reset call never gets a status (0).
  const status = outcome.kind === 'reply' ? outcome.reply.status : 0;
  state.calls.push({ method, ids: request ? [...request.inns, ...request.ogrns] : [], status, at: Date.now() });
  return outcome;
}

export async function startFocusEmulator(options: FocusEmulatorOptions): Promise<FocusEmulator> {
  const state = new EmulatorState(options.apiKey, options.latencyMs ?? 0, loadFocusFixtures());
  const pending = new Set<NodeJS.Timeout>();

  /** Runs `action` after `ms` unless the client has gone away meanwhile; close() cancels what is left. */
  const later = (res: ServerResponse, ms: number, action: () => void): void => {
    if (ms <= 0) return action();
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!res.destroyed) action();
    }, ms);
    pending.add(timer);
    res.once('close', () => {
      clearTimeout(timer);
      pending.delete(timer);
    });
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname === CALLS_PATH) return send(res, handleCallLog(req, state));
    if (url.pathname === FAULTS_PATH) {
      handleFaults(req, state).then(
        (reply) => send(res, reply),
        () => res.destroy(),
      );
      return;
    }
    if (!url.pathname.startsWith(API_PREFIX)) return send(res, text(404, 'Not Found'));
    const outcome = handleApi(req, url, state);
    // A hung call is left open: the client gives up (closing the socket) or close() destroys it.
    if (outcome.kind === 'hang') return;
    if (outcome.kind === 'reset') return later(res, state.latencyMs, () => req.socket.resetAndDestroy());
    later(res, state.latencyMs + outcome.extraDelayMs, () => send(res, outcome.reply));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/api3`,
    calls: state.calls,
    callsTo: (method) => state.calls.filter((call) => call.method === method),
    resetCalls: () => {
      // Emptied in place: callers may hold the `calls` array itself.
      state.calls.length = 0;
    },
    setLatency: (ms) => {
      state.latencyMs = Math.max(0, ms);
    },
    setRecords: (method, identifier, records) => state.setRecords(method, identifier, records),
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
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      // Stop accepting first, then destroy every connection, hung and keep-alive ones included.
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
