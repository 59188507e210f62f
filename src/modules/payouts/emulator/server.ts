/**
 * A loopback HTTP server that answers like the Jump.Finance OpenAPI (https://api.jump.finance/services/openapi) for
 * what the subgraph uses: contractors, their requisites, balances, self-employed state and identification, and
 * payouts. It powers sandbox mode (no JUMP_API_KEY) and the payouts tests, so it keeps the vendor's conventions:
 * - `Client-Key` header (or `client_key` query) auth, 401 with the standard error body otherwise;
 * - `{ item }` envelopes, `{ items, meta, links }` pages with Laravel's meta (from/to null on an empty page) and
 *   links, per_page limited to its enum (422 otherwise); PUT /contractors/{id} answers a bare contractor ([OAS]);
 *   DELETE answers 204; errors are `{ error: { title, detail, fields, code } }`;
 * - contractors are upserted by phone (+7XXXXXXXXXX);
 * - payouts move on the emulator's clock (controllable: `now`, `advanceTime`) from "в обработке" to an outcome set
 *   by the kopecks of the amount: …,13 fails once ("ошибка выплаты", repeatable), …,66 is rejected, …,44 waits for
 *   confirmation, anything else is paid after `processingMs` (default 30 s);
 * - a second payout with a used customer_payment_id is a 422 with `fields: [{ field: "customer_payment_id", … }]`;
 * - POST …/selfemployer/sync more often than once per 30 s per contractor is a 429 with Retry-After; a sync
 *   completes 2 s later (GET …/selfemployer shows `sync.in_process` until then);
 * - text fields holding a card number are refused (422), as the vendor's docs require.
 *
 * Money is read and written as exact JSON numbers (lossless-json), never as binary floats.
 *
 * Switchable faults (injectFault, or POST /__emulator/faults) make authorised calls misbehave: latency, a 5xx,
 * a 429, a hung or reset connection, malformed JSON, and `dropResponse` — the call is carried out (a POST /payments
 * creates its payout) and the connection is then closed without an answer, as when a response is lost. Faults that
 * test what the client believes: `echoKey` (an error body and a header repeating the Client-Key sent), `errorBody`
 * (any error body the test writes), and `otherItem` (an `{ item }` answer about another record than asked).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { DelayedReplies, listenOnLoopback, readBody, readBodyBytes } from '../../../vendors/emulator-support.ts';
import { parseJson, parseJsonNumbersAsText, stringifyJson } from '../vendor/json.ts';
import { AREA_ROUTES } from './areas.ts';
import { CONTRACTOR_ROUTES } from './contractors.ts';
import {
  badRequest,
  errorReply,
  intField,
  json,
  JSON_TYPE,
  match,
  NO_CONTENT,
  notFound,
  serverError,
  unauthorized,
  type ApiRequest,
  type Reply,
  type Route,
} from './http.ts';
import { PAYMENT_ROUTES } from './payments.ts';
import { JumpState, type ContractorSeed, type PaymentSeed, type SelfEmployedState } from './state.ts';

export { TRIGGER_KOPECKS } from './state.ts';

export interface JumpEmulatorOptions {
  /** The only accepted Client-Key. */
  apiKey: string;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Added delay per answer, default 0. */
  latencyMs?: number;
  /** The emulator's clock (tests pass a controllable one); advanceTime() moves it further. Default Date.now. */
  now?: () => number;
  /** How long a payout stays "в обработке" before its outcome, default 30 s. */
  processingMs?: number;
  /** Sandbox demo contractors and payouts (listed in the README), default true. */
  seed?: boolean;
}

export interface JumpEmulatorCall {
  /** The operation, e.g. payments.create (the client's names). */
  op: string;
  method: string;
  /** Path under the base URL, without the query. */
  path: string;
  query: string;
  /** HTTP status; 0 when the connection was hung, reset or dropped. */
  status: number;
  /** Arrival on the emulator's clock, epoch ms. */
  at: number;
}

export type JumpEmulatorFault =
  | { kind: 'latency'; ms: number }
  /** The vendor's error body with this status (400–599); nothing is carried out. */
  | { kind: 'status'; status: number }
  | { kind: 'rateLimit'; retryAfterSeconds: number }
  /** Read the request, never answer. */
  | { kind: 'hang' }
  /** Reset the connection without carrying anything out. */
  | { kind: 'reset' }
  /** Carry the call out (a POST /payments creates its payout), then close the connection without an answer. */
  | { kind: 'dropResponse' }
  /** The normal answer cut short. */
  | { kind: 'malformedJson' }
  /**
   * Nothing carried out; the vendor's error body with this status (default 422) repeating the Client-Key it was sent
   * — in the title, the detail (past its 180th character) and a field error's message — and in the response header
   * `x-echo-client-key`, as a careless vendor or a proxy might.
   */
  | { kind: 'echoKey'; status?: number }
  /** Nothing carried out; this status with `{ error: body }` as written (any JSON), for field errors a test chooses. */
  | { kind: 'errorBody'; status: number; error: unknown }
  /**
   * The call is carried out, and its `{ item }` answer is about another record: `id` + 1, and a customer_payment_id
   * (when present) with "-other" appended. Answers that are not `{ item }` pass unchanged.
   */
  | { kind: 'otherItem' };

export interface JumpFaultRule {
  fault: JumpEmulatorFault;
  /** How many matching calls this rule affects; absent = until clearFaults(). */
  times?: number;
  /** Only these operations (e.g. ['payments.create']); absent = every operation. */
  ops?: string[];
}

export interface JumpEmulator {
  /** Base URL, e.g. http://127.0.0.1:53211/services/openapi */
  url: string;
  calls: JumpEmulatorCall[];
  callsTo(op: string): JumpEmulatorCall[];
  resetCalls(): void;
  setLatency(ms: number): void;
  /** Moves the emulator's clock forward (payouts settle, sync windows pass). */
  advanceTime(ms: number): void;
  now(): number;
  setProcessingMs(ms: number): void;
  /** Adds a contractor without an API call (test set-up); answers its id. */
  addContractor(seed: ContractorSeed): number;
  /** Adds a payout without an API call (test set-up); answers its id. */
  addPayment(seed: PaymentSeed): number;
  /** Sets a self-employed contractor's stored state and what the tax service answers to a sync. */
  setSelfEmployed(contractorId: number, state: Partial<SelfEmployedState>): void;
  /** Every payout as GET /payments/{id} answers it (with history), oldest first; numbers as their exact text. */
  payments(): Array<Record<string, unknown>>;
  /** Every contractor not deleted, as GET /contractors/{id} answers it. */
  contractors(): Array<Record<string, unknown>>;
  injectFault(rule: JumpFaultRule): void;
  clearFaults(): void;
  readonly activeFaults: number;
  close(): Promise<void>;
}

/** Every operation the emulator answers; each area's file lists its own routes. */
const ROUTES: Route[] = [...CONTRACTOR_ROUTES, ...PAYMENT_ROUTES, ...AREA_ROUTES];

// ─── Faults ───────────────────────────────────────────────────────────────────────────────────

const FAULT_KINDS = [
  'latency',
  'status',
  'rateLimit',
  'hang',
  'reset',
  'dropResponse',
  'malformedJson',
  'echoKey',
  'errorBody',
  'otherItem',
];

function checkFaultRule(input: unknown): JumpFaultRule | string {
  if (typeof input !== 'object' || input === null) return 'A fault rule must be an object';
  const { fault, times, ops } = input as Record<string, unknown>;
  if (typeof fault !== 'object' || fault === null) return 'fault must be an object with a kind';
  const kind = (fault as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !FAULT_KINDS.includes(kind))
    return `Unknown fault kind ${JSON.stringify(kind)}; expected one of ${FAULT_KINDS.join(', ')}`;
  const f = fault as Record<string, unknown>;
  if (kind === 'latency' && !(typeof f.ms === 'number' && f.ms >= 0)) return 'latency.ms must be a non-negative number';
  if (kind === 'status' && !(typeof f.status === 'number' && Number.isInteger(f.status) && f.status >= 400 && f.status <= 599)) {
    return 'status.status must be an integer from 400 to 599';
  }
  if (kind === 'rateLimit' && !(typeof f.retryAfterSeconds === 'number' && f.retryAfterSeconds >= 0))
    return 'rateLimit.retryAfterSeconds must be a non-negative number';
  if (kind === 'echoKey' && f.status !== undefined && !isErrorStatus(f.status)) return 'echoKey.status must be an integer from 400 to 599';
  if (kind === 'errorBody' && !isErrorStatus(f.status)) return 'errorBody.status must be an integer from 400 to 599';
  if (times !== undefined && !(typeof times === 'number' && Number.isInteger(times) && times >= 1))
    return 'times must be a positive integer';
  const known = new Set(ROUTES.map((route) => route.op));
  if (ops !== undefined) {
    if (!Array.isArray(ops) || !ops.every((op) => typeof op === 'string')) return 'ops must be an array of strings';
    const unknown = ops.filter((op) => !known.has(op));
    if (unknown.length > 0) return `Unknown ops ${unknown.join(', ')}; expected some of ${[...known].join(', ')}`;
  }
  return structuredClone({ fault, ...(times !== undefined ? { times } : {}), ...(ops !== undefined ? { ops } : {}) }) as JumpFaultRule;
}

function isErrorStatus(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599;
}

/** The echoKey fault's answer: the key sent, repeated where a client might pass vendor text on. */
function echoKeyReply(status: number, key: string): Reply {
  const padding = 'Ключ доступа не принят сервером, обратитесь в поддержку и сообщите им значение заголовка. '.repeat(3).slice(0, 180);
  return errorReply(
    status,
    `Ошибка ключа ${key}`,
    `${padding}${key} (проверьте ключ)`,
    [{ field: 'client_key', messages: [`Ключ ${key} недействителен.`] }],
    {
      'x-echo-client-key': key,
    },
  );
}

/** The otherItem fault: the same answer, about another record. */
function otherItem(reply: Reply): Reply {
  if (reply.status !== 200 || typeof reply.body !== 'string') return reply;
  const body = parseJson(reply.body) as { item?: Record<string, unknown> };
  const item = body?.item;
  if (typeof item !== 'object' || item === null) return reply;
  const other: Record<string, unknown> = { ...item, id: intField(item.id) === undefined ? item.id : intField(item.id)! + 1 };
  if (typeof item.customer_payment_id === 'string') other.customer_payment_id = `${item.customer_payment_id}-other`;
  return json(200, { item: other });
}

// ─── HTTP plumbing ────────────────────────────────────────────────────────────────────────────

const BASE_PATH = '/services/openapi';
const CALLS_PATH = '/__emulator/calls';
const FAULTS_PATH = '/__emulator/faults';
const CLOCK_PATH = '/__emulator/clock';
const MAX_BODY = 256 * 1024;

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) };
  if (reply.status !== 204 && !reply.headers?.['content-type']) headers['content-type'] = JSON_TYPE;
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}

type Outcome = { kind: 'reply'; reply: Reply; delayMs: number } | { kind: 'hang' } | { kind: 'reset' } | { kind: 'drop' };

export async function startJumpEmulator(options: JumpEmulatorOptions): Promise<JumpEmulator> {
  let offsetMs = 0;
  const baseClock = options.now ?? Date.now;
  const clock = () => baseClock() + offsetMs;
  const state = new JumpState(clock, options.processingMs ?? 30_000);
  if (options.seed !== false) state.seed();
  const calls: JumpEmulatorCall[] = [];
  const faults: JumpFaultRule[] = [];
  let latencyMs = options.latencyMs ?? 0;
  const replies = new DelayedReplies();

  const takeFault = (op: string): JumpEmulatorFault | undefined => {
    const index = faults.findIndex((rule) => rule.ops === undefined || rule.ops.includes(op));
    const rule = faults[index];
    if (!rule) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) faults.splice(index, 1);
    }
    return rule.fault;
  };

  const handleApi = (req: IncomingMessage, url: URL, rawBytes: Buffer): { op: string; outcome: Outcome } => {
    const reply = (value: Reply): Outcome => ({ kind: 'reply', reply: value, delayMs: 0 });
    const method = req.method ?? 'GET';
    let segments: string[];
    try {
      segments = url.pathname
        .slice(BASE_PATH.length)
        .split('/')
        .filter(Boolean)
        .map((segment) => decodeURIComponent(segment));
    } catch {
      return { op: 'unknown', outcome: reply(notFound()) };
    }
    const candidates = ROUTES.map((route) => ({ route, params: match(segments, route.pattern) })).filter((candidate) => candidate.params);
    const found = candidates.find((candidate) => candidate.route.method === method);
    if (!found) {
      if (candidates.length > 0)
        return { op: candidates[0]!.route.op, outcome: reply(errorReply(405, 'Ошибка', 'Метод не поддерживается')) };
      return { op: 'unknown', outcome: reply(notFound()) };
    }
    const { route, params } = found;
    const key = req.headers['client-key'] ?? url.searchParams.get('client_key');
    if (key !== options.apiKey) return { op: route.op, outcome: reply(unauthorized()) };
    let body: Record<string, unknown> = {};
    const contentType = (req.headers['content-type'] ?? '').toLowerCase();
    const rawBody = contentType.startsWith('multipart/') ? '' : rawBytes.toString('utf8');
    if (rawBody.trim() !== '') {
      try {
        const parsed = parseJson(rawBody);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return { op: route.op, outcome: reply(badRequest('Тело запроса должно быть JSON-объектом')) };
        body = parsed as Record<string, unknown>;
      } catch {
        return { op: route.op, outcome: reply(badRequest('Некорректный JSON')) };
      }
    }
    const host = req.headers.host ?? '127.0.0.1';
    const request: ApiRequest = {
      method,
      segments,
      query: url.searchParams,
      body,
      rawBody: rawBytes,
      contentType,
      base: `http://${host}${BASE_PATH}`,
    };
    const run = () => route.handle(request, state, params!);
    const fault = takeFault(route.op);
    if (!fault) return { op: route.op, outcome: reply(run()) };
    switch (fault.kind) {
      case 'latency':
        return { op: route.op, outcome: { kind: 'reply', reply: run(), delayMs: fault.ms } };
      case 'status':
        return {
          op: route.op,
          outcome: reply(fault.status >= 500 ? serverError(fault.status) : errorReply(fault.status, 'Ошибка', 'Ошибка')),
        };
      case 'rateLimit':
        return {
          op: route.op,
          outcome: reply(errorReply(429, 'Ошибка', 'Too Many Attempts.', null, { 'retry-after': String(fault.retryAfterSeconds) })),
        };
      case 'hang':
        return { op: route.op, outcome: { kind: 'hang' } };
      case 'reset':
        return { op: route.op, outcome: { kind: 'reset' } };
      case 'dropResponse':
        run();
        return { op: route.op, outcome: { kind: 'drop' } };
      case 'malformedJson': {
        const normal = run();
        return { op: route.op, outcome: reply({ ...normal, body: normal.body.slice(0, Math.max(1, Math.floor(normal.body.length / 2))) }) };
      }
      case 'echoKey':
        return { op: route.op, outcome: reply(echoKeyReply(fault.status ?? 422, String(key))) };
      case 'errorBody':
        return { op: route.op, outcome: reply({ status: fault.status, body: stringifyJson({ error: fault.error }) }) };
      case 'otherItem':
        return { op: route.op, outcome: reply(otherItem(run())) };
    }
  };

  const later = replies.later.bind(replies);

  const control = async (req: IncomingMessage, url: URL): Promise<Reply> => {
    if (url.pathname === CALLS_PATH) {
      if (req.method === 'GET') return json(200, calls);
      if (req.method === 'DELETE') {
        calls.length = 0;
        return NO_CONTENT;
      }
    }
    if (url.pathname === FAULTS_PATH) {
      if (req.method === 'GET') return json(200, faults);
      if (req.method === 'DELETE') {
        faults.length = 0;
        return NO_CONTENT;
      }
      if (req.method === 'POST') {
        const rule = checkFaultRule(JSON.parse((await readBody(req, MAX_BODY)) ?? 'null'));
        if (typeof rule === 'string') return badRequest(rule);
        faults.push(rule);
        return NO_CONTENT;
      }
    }
    if (url.pathname === CLOCK_PATH && req.method === 'POST') {
      const input = JSON.parse((await readBody(req, MAX_BODY)) ?? '{}') as { advanceMs?: unknown };
      if (typeof input.advanceMs !== 'number' || input.advanceMs < 0) return badRequest('advanceMs must be a non-negative number');
      offsetMs += input.advanceMs;
      return json(200, { now: clock() });
    }
    return errorReply(405, 'Ошибка', 'Метод не поддерживается');
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname.startsWith('/__emulator/')) {
      control(req, url).then(
        (reply) => send(res, reply),
        () => send(res, badRequest('The body must be JSON')),
      );
      return;
    }
    if (url.pathname !== BASE_PATH && !url.pathname.startsWith(`${BASE_PATH}/`)) return send(res, notFound());
    readBodyBytes(req, MAX_BODY).then(
      (rawBody) => {
        const arrival = clock();
        const { op, outcome } =
          rawBody === undefined
            ? {
                op: 'unknown',
                outcome: { kind: 'reply', reply: errorReply(413, 'Ошибка', 'Слишком большой запрос'), delayMs: 0 } as Outcome,
              }
            : handleApi(req, url, rawBody);
        calls.push({
          op,
          method: req.method ?? 'GET',
          path: url.pathname.slice(BASE_PATH.length) || '/',
          query: url.search,
          status: outcome.kind === 'reply' ? outcome.reply.status : 0,
          at: arrival,
        });
        if (outcome.kind === 'hang') return;
        if (outcome.kind === 'reset' || outcome.kind === 'drop') return later(res, latencyMs, () => req.socket.resetAndDestroy());
        later(res, latencyMs + outcome.delayMs, () => send(res, outcome.reply));
      },
      () => res.destroy(),
    );
  });

  const origin = await listenOnLoopback(server, options);

  return {
    url: `${origin}${BASE_PATH}`,
    calls,
    callsTo: (op) => calls.filter((call) => call.op === op),
    resetCalls: () => {
      calls.length = 0;
    },
    setLatency: (ms) => {
      latencyMs = Math.max(0, ms);
    },
    advanceTime: (ms) => {
      offsetMs += Math.max(0, ms);
    },
    now: clock,
    setProcessingMs: (ms) => {
      state.processingMs = Math.max(0, ms);
    },
    addContractor: (seed) => state.createContractor(seed).id,
    addPayment: (seed) => state.createPayment(seed).id,
    setSelfEmployed: (contractorId, selfEmployed) => {
      const contractor = state.contractors.get(contractorId);
      if (!contractor) throw new TypeError(`no contractor ${contractorId}`);
      contractor.selfEmployed = { ...contractor.selfEmployed, ...selfEmployed };
      contractor.taxService = { ...contractor.taxService, ...selfEmployed };
    },
    payments: () =>
      [...state.payments.values()].map(
        (payment) => parseJsonNumbersAsText(stringifyJson(state.renderPayment(payment, new Set(['history'])))) as Record<string, unknown>,
      ),
    contractors: () =>
      state
        .activeContractors()
        .map((contractor) => parseJsonNumbersAsText(stringifyJson(state.renderContractor(contractor))) as Record<string, unknown>),
    injectFault: (rule) => {
      const checked = checkFaultRule(rule);
      if (typeof checked === 'string') throw new TypeError(checked);
      faults.push(checked);
    },
    clearFaults: () => {
      faults.length = 0;
    },
    get activeFaults() {
      return faults.length;
    },
    close: async () => {
      replies.cancelAll();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
