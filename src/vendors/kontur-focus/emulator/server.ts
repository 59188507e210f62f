/**
 * A loopback HTTP server that answers like Kontur.Focus API 3.0 (https://focus-api.kontur.ru/api3/).
 * It powers sandbox mode (no API key) and every test, so it reproduces the vendor's conventions exactly:
 * query-string key auth (403 text), comma-separated inn/ogrn batches of at most 100, silently dropped malformed
 * identifiers (400 text when none is left), and one flat array of records that never echoes the request.
 *
 * Answers come from, in order: records set by a test (setRecords), the captured fixtures, synthetic records.
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
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

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

/**
 * The checks every /api3 call passes through, in the vendor's order: key first, then identifiers.
 * Switchable faults (429, 5xx, truncated bodies) slot in here as another check before the answer.
 */
function answerApi(request: ApiRequest, state: EmulatorState): Reply {
  if (request.query.get('key') !== state.apiKey) return text(403, 'No valid key specified');
  if (request.supplied > request.spec.maxIds) {
    return text(400, `Too many identifiers: at most ${request.spec.maxIds} per request`);
  }
  if (request.inns.length + request.ogrns.length === 0) return text(400, 'inn/ogrn param is not specified');
  return (request.spec.answer ?? batchAnswer)(request, state);
}

// ─── HTTP plumbing ──────────────────────────────────────────────────────────────────────────────

const API_PREFIX = '/api3/';
const CALLS_PATH = '/__emulator/calls';

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(reply.body) };
  if (reply.contentType) headers['content-type'] = reply.contentType;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

function handleCallLog(req: IncomingMessage, state: EmulatorState): Reply {
  if (req.method === 'GET') return json(200, state.calls);
  if (req.method === 'DELETE') {
    state.calls.length = 0;
    return { status: 204, body: '' };
  }
  return text(405, 'Method Not Allowed');
}

function handleApi(req: IncomingMessage, url: URL, state: EmulatorState): Reply {
  const method = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '');
  const spec = METHODS.get(method);
  const request = spec ? parseApiRequest(method, spec, url.searchParams) : undefined;
  let reply: Reply;
  if (!spec || !request) reply = text(404, 'Not Found');
  else if (req.method !== 'GET') reply = text(405, 'Method Not Allowed');
  else reply = answerApi(request, state);
  state.calls.push({ method, ids: request ? [...request.inns, ...request.ogrns] : [], status: reply.status, at: Date.now() });
  return reply;
}

export async function startFocusEmulator(options: FocusEmulatorOptions): Promise<FocusEmulator> {
  const state = new EmulatorState(options.apiKey, options.latencyMs ?? 0, loadFocusFixtures());
  const pending = new Set<NodeJS.Timeout>();

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname === CALLS_PATH) return send(res, handleCallLog(req, state));
    if (!url.pathname.startsWith(API_PREFIX)) return send(res, text(404, 'Not Found'));
    const reply = handleApi(req, url, state);
    if (state.latencyMs <= 0) return send(res, reply);
    const timer = setTimeout(() => {
      pending.delete(timer);
      if (!res.destroyed) send(res, reply);
    }, state.latencyMs);
    pending.add(timer);
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
    close: async () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
