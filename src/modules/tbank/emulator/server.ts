/**
 * A loopback HTTP server that answers like T-Bank's counterparty check (T-API, shared/vendors/tbank-counterparty.md):
 * it powers the sandbox (no keys at all) and the tests, so it keeps the vendor's conventions:
 * - `Authorization: Bearer <token>` on every call; anything else is 401 UNAUTHORIZED with the documented body;
 * - GET /api/v1/counterparty/excerpt/by-inn?inn=, /excerpt?ogrn=, /contracts?ogrn=&limit=&offset= (limit 1…100 and
 *   offset both required) under the base URL …/openapi;
 * - every error is JSON {errorId, errorCode, errorMessage}: 400 INVALID (a malformed or checksum-invalid INN/OGRN, a bad
 *   limit/offset), 401 UNAUTHORIZED, 422 NO_DATA for companies it does not know ("not found" is 422, not 404),
 *   429 TOO_MANY_REQUESTS, 500 INTERNAL_ERROR;
 * - an X-Request-Id header on every answer (the caller's when given, at most 50 characters, else a fresh UUID);
 * - its OWN rate limit per token (default 10 calls per minute, sliding window, counting every authorised call it
 *   accepted): beyond it, 429 — so a test can prove the client's limiter never lets a 429 happen.
 *
 * Answers come from, in order: what a test set (setExcerpt, setContracts), else the company the Kontur.Focus emulator
 * knows for that INN/OGRN (synthetic.ts): the same company on both vendors.
 *
 * Switchable faults (injectFault) make authorised, well-formed calls misbehave: latency, an error status with a T-Bank
 * error body, a hung or reset connection, truncated JSON, an HTML page, the caller's token echoed back, another
 * company's answer, any JSON body. Every call is logged (calls, GET /__emulator/calls).
 */
import { randomUUID } from 'node:crypto';
import { callLogControls, DelayedReplies, listenOnLoopback } from '../../../vendors/emulator-support.ts';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { isValidInn, isValidOgrn } from '../../../domain/identifiers.ts';
import { companyFacts, contractCount, syntheticContract, syntheticExcerpt } from './synthetic.ts';

export type TbankEmulatorMethod = 'excerpt/by-inn' | 'excerpt' | 'contracts';

export interface TbankEmulatorOptions {
  /** The only accepted bearer token. */
  token: string;
  /** Default 0 = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Added delay per answer, default 0. */
  latencyMs?: number;
  /** The vendor's own limit per token; default 10 calls per 60 s; null = unlimited. */
  rateLimit?: { calls: number; windowMs: number } | null;
}

export interface TbankEmulatorCall {
  /** 'excerpt/by-inn', 'excerpt', 'contracts', or the unknown path asked for. */
  method: string;
  /** The inn/ogrn query value as sent. */
  ids: string[];
  limit?: string;
  offset?: string;
  status: number;
  /** errorCode of an error answer. */
  errorCode?: string;
  /** Whether the right bearer token came (the token itself is never logged). */
  authorized: boolean;
  /** The X-Request-Id the caller sent, if any. */
  requestId: string | undefined;
  /** Arrival time, epoch milliseconds. */
  at: number;
}

/** Where echoToken puts the caller's Bearer token. */
export type TbankEchoPlace = 'errorMessage' | 'errorCode' | 'errorId' | 'requestId' | 'contentType';

export type TbankEmulatorFault =
  | { kind: 'latency'; ms: number }
  /**
   * This status with a T-Bank error body (default INTERNAL_ERROR "Непредвиденная ошибка. Попробуйте позже" and a fresh
   * errorId); `requestId` is the X-Request-Id header to answer with instead of the caller's.
   */
  | { kind: 'status'; status: number; errorCode?: string; errorMessage?: string; errorId?: string; requestId?: string }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'malformedJson' }
  | { kind: 'htmlBody' }
  /**
   * A vendor reflecting credentials: the caller's Bearer token echoed back in one place of the answer — the error
   * body's errorMessage (starting at character 190, where a 200-character cut leaves a prefix of it), errorCode or
   * errorId, the X-Request-Id header, or the Content-Type (`text/<token>` over the normal JSON body). The answer has
   * `status` (default 400 INVALID; a 2xx status gives the normal answer, which only requestId and contentType alter).
   */
  | { kind: 'echoToken'; into: TbankEchoPlace; status?: number }
  /**
   * The same call answered about another company: its excerpt, or its page of contracts (default the company of INN
   * 7700000009, or of 7700000016 when 7700000009 is the one asked).
   */
  | { kind: 'wrongCompany'; inn?: string }
  /** 200 with this JSON instead of the answer, e.g. `{}`. */
  | { kind: 'body'; body: unknown };

export interface TbankFaultRule {
  fault: TbankEmulatorFault;
  /** How many matching calls it affects, then it is removed; absent = until clearFaults(). */
  times?: number;
  methods?: TbankEmulatorMethod[];
  /** Only calls whose inn/ogrn is one of these. */
  whenIdsInclude?: string[];
}

export interface TbankEmulator {
  /** Base URL ending in /openapi, e.g. http://127.0.0.1:53211/openapi (TBANK_BASE_URL). */
  url: string;
  calls: TbankEmulatorCall[];
  callsTo(method: TbankEmulatorMethod): TbankEmulatorCall[];
  resetCalls(): void;
  setLatency(ms: number): void;
  /** The vendor's own rate limit per token (null = none); the window's history is kept. */
  setRateLimit(limit: { calls: number; windowMs: number } | null): void;
  /** Answer the excerpt for this INN or OGRN with this raw body; null = 422 NO_DATA. */
  setExcerpt(identifier: string, body: unknown): void;
  /** Make contracts for this OGRN list exactly these raw items (total = items.length unless given). */
  setContracts(ogrn: string, items: unknown[], total?: number): void;
  injectFault(rule: TbankFaultRule): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const PREFIX = '/openapi/api/v1/counterparty/';
const CALLS_PATH = '/__emulator/calls';
const METHODS: readonly TbankEmulatorMethod[] = ['excerpt/by-inn', 'excerpt', 'contracts'];
const JSON_TYPE = 'application/json; charset=utf-8';

interface Reply {
  status: number;
  contentType: string;
  body: string;
  /** The X-Request-Id to answer with instead of the caller's. */
  requestId?: string;
}

type Outcome = { kind: 'reply'; reply: Reply; extraDelayMs: number } | { kind: 'hang' } | { kind: 'reset' };

const json = (status: number, value: unknown): Reply => ({ status, contentType: JSON_TYPE, body: JSON.stringify(value) });
const error = (status: number, errorCode: string, errorMessage: string): Reply =>
  json(status, { errorId: randomUUID().replace(/-/g, '').slice(0, 16), errorCode, errorMessage });

const UNAUTHORIZED = (): Reply => error(401, 'UNAUTHORIZED', 'Токен недействителен');
const TOO_MANY = (): Reply => error(429, 'TOO_MANY_REQUESTS', 'Слишком много запросов. Попробуйте позже');

class State {
  readonly calls: TbankEmulatorCall[] = [];
  readonly faults: TbankFaultRule[] = [];
  /** token → arrival times of the calls it made that were accepted (not 429) */
  private readonly windows = new Map<string, number[]>();
  private readonly excerpts = new Map<string, unknown>();
  private readonly contracts = new Map<string, { items: unknown[]; total: number }>();

  constructor(
    readonly token: string,
    public latencyMs: number,
    public rateLimit: { calls: number; windowMs: number } | null,
  ) {}

  /** Sliding window per token: at most `calls` accepted calls in any `windowMs`. */
  admit(token: string, now: number): boolean {
    if (!this.rateLimit) return true;
    const times = (this.windows.get(token) ?? []).filter((at) => at > now - this.rateLimit!.windowMs);
    const admitted = times.length < this.rateLimit.calls;
    if (admitted) times.push(now);
    this.windows.set(token, times);
    return admitted;
  }

  setExcerpt(identifier: string, body: unknown): void {
    this.excerpts.set(identifier, body);
  }

  setContracts(ogrn: string, items: unknown[], total: number): void {
    this.contracts.set(ogrn, { items: [...items], total });
  }

  /** The raw excerpt for an INN or OGRN; null = unknown. */
  excerpt(identifier: string): unknown {
    if (this.excerpts.has(identifier)) return this.excerpts.get(identifier);
    const facts = companyFacts(identifier);
    return facts ? syntheticExcerpt(facts) : null;
  }

  contractsPage(ogrn: string, limit: number, offset: number): Reply {
    const set = this.contracts.get(ogrn);
    const excerpt = this.excerpt(ogrn) as { companyCard?: unknown } | null;
    if (!set && !excerpt) return error(422, 'NO_DATA', `Данные не найдены: ОГРН ${ogrn}`);
    const card = excerpt?.companyCard ?? { statusType: 'unknown', requisites: { ogrn }, pages: [] };
    if (set) return json(200, { companyCard: card, data: { total: set.total, items: set.items.slice(offset, offset + limit) } });
    const inn = (card as { requisites?: { inn?: string } }).requisites?.inn ?? '';
    const total = contractCount(inn);
    const items = Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => syntheticContract(inn, offset + i));
    return json(200, { companyCard: card, data: { total, items } });
  }

  takeFault(method: TbankEmulatorMethod, ids: string[]): TbankEmulatorFault | undefined {
    const index = this.faults.findIndex(
      (rule) =>
        (rule.methods === undefined || rule.methods.includes(method)) &&
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
}

function bearerOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}

const INN = /^(\d{12}|\d{10})$/;
const OGRN = /^\d{13,15}$/;
const INT32 = /^-?\d{1,10}$/;

/** The method's own checks (400 INVALID), then its answer. */
function answer(method: TbankEmulatorMethod, query: URLSearchParams, state: State): Reply {
  if (method === 'excerpt/by-inn') {
    const inn = query.get('inn') ?? '';
    if (!INN.test(inn) || !isValidInn(inn)) return error(400, 'INVALID', `Некорректный ИНН: ${inn}`);
    const body = state.excerpt(inn);
    return body ? json(200, body) : error(422, 'NO_DATA', `Данные не найдены: ИНН ${inn}`);
  }
  const ogrn = query.get('ogrn') ?? '';
  if (!OGRN.test(ogrn) || !isValidOgrn(ogrn)) return error(400, 'INVALID', `Некорректный ОГРН: ${ogrn}`);
  if (method === 'excerpt') {
    const body = state.excerpt(ogrn);
    return body ? json(200, body) : error(422, 'NO_DATA', `Данные не найдены: ОГРН ${ogrn}`);
  }
  const limit = query.get('limit');
  const offset = query.get('offset');
  if (limit === null || !INT32.test(limit) || Number(limit) < 1 || Number(limit) > 100)
    return error(400, 'INVALID', `Некорректный параметр limit: ${limit ?? ''}`);
  if (offset === null || !INT32.test(offset) || Number(offset) < 0 || Number(offset) > 2_147_483_647) {
    return error(400, 'INVALID', `Некорректный параметр offset: ${offset ?? ''}`);
  }
  return state.contractsPage(ogrn, Number(limit), Number(offset));
}

/** The T-Bank error body a status fault answers: the given fields, else the documented ones for that status. */
function statusReply(fault: Extract<TbankEmulatorFault, { kind: 'status' }>): Reply {
  const errorCode = fault.errorCode ?? (fault.status === 429 ? 'TOO_MANY_REQUESTS' : fault.status >= 500 ? 'INTERNAL_ERROR' : 'INVALID');
  const errorMessage = fault.errorMessage ?? (fault.status >= 500 ? 'Непредвиденная ошибка. Попробуйте позже' : 'Ошибка');
  const reply = error(fault.status, errorCode, errorMessage);
  const body = fault.errorId === undefined ? reply.body : JSON.stringify({ ...(JSON.parse(reply.body) as object), errorId: fault.errorId });
  return { ...reply, body, ...(fault.requestId !== undefined ? { requestId: fault.requestId } : {}) };
}

/** Vendor text of 190 characters before the echoed token, so that a cut at 200 would keep its first 10. */
const ECHO_LEAD = 'Недействительные данные авторизации, получено: '.padEnd(190, '.');

/** The caller's token echoed back in one place of the answer (see the fault's comment). */
function echoToken(into: TbankEchoPlace, status: number, token: string, normal: () => Reply): Reply {
  const base = status < 300 ? normal() : error(status, status >= 500 ? 'INTERNAL_ERROR' : 'INVALID', 'Ошибка');
  const body = status < 300 ? undefined : (JSON.parse(base.body) as Record<string, unknown>);
  switch (into) {
    case 'requestId':
      return { ...base, requestId: token };
    case 'contentType':
      return { ...base, contentType: `text/${token}` };
    case 'errorMessage':
      return body ? json(status, { ...body, errorMessage: `${ECHO_LEAD}${token} (заголовок Authorization)` }) : base;
    case 'errorCode':
    case 'errorId':
      return body ? json(status, { ...body, [into]: token }) : base;
  }
}

/** Another company's answer to the same call: the first candidate that is not the one asked. */
function wrongCompany(method: TbankEmulatorMethod, query: URLSearchParams, state: State, inn?: string): Reply {
  type Excerpt = { companyCard: { requisites: { inn?: string; ogrn: string } } } | null;
  const asked = query.get('inn') ?? query.get('ogrn');
  const excerpts = (inn ? [inn] : ['7700000009', '7700000016']).map((candidate) => state.excerpt(candidate) as Excerpt);
  const other = excerpts.find(
    (excerpt) => excerpt && excerpt.companyCard.requisites.inn !== asked && excerpt.companyCard.requisites.ogrn !== asked,
  );
  if (!other) return error(500, 'INTERNAL_ERROR', 'Непредвиденная ошибка. Попробуйте позже');
  if (method !== 'contracts') return json(200, other);
  return state.contractsPage(other.companyCard.requisites.ogrn, Number(query.get('limit') ?? 100), Number(query.get('offset') ?? 0));
}

function applyFault(fault: TbankEmulatorFault, method: TbankEmulatorMethod, query: URLSearchParams, state: State): Outcome {
  const reply = (value: Reply, extraDelayMs = 0): Outcome => ({ kind: 'reply', reply: value, extraDelayMs });
  const normal = () => answer(method, query, state);
  switch (fault.kind) {
    case 'latency':
      return reply(normal(), fault.ms);
    case 'status':
      return reply(statusReply(fault));
    case 'echoToken':
      // Faults apply to authorised calls only: the caller's token is the emulator's.
      return reply(echoToken(fault.into, fault.status ?? 400, state.token, normal));
    case 'wrongCompany':
      return reply(wrongCompany(method, query, state, fault.inn));
    case 'body':
      return reply(json(200, fault.body));
    case 'hang':
    case 'reset':
      return { kind: fault.kind };
    case 'malformedJson': {
      const body = normal().body;
      return reply({ status: 200, contentType: JSON_TYPE, body: body.slice(0, Math.max(1, Math.floor(body.length / 2))) });
    }
    case 'htmlBody':
      return reply({ status: 200, contentType: 'text/html; charset=utf-8', body: '<html><body>Технические работы</body></html>' });
  }
}

function handle(req: IncomingMessage, url: URL, state: State): { outcome: Outcome; call: TbankEmulatorCall } {
  const path = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length).replace(/\/+$/, '') : url.pathname;
  const method = METHODS.find((name) => name === path);
  const token = bearerOf(req);
  const authorized = token === state.token;
  const given = req.headers['x-request-id'];
  const call: TbankEmulatorCall = {
    method: method ?? path,
    ids: [url.searchParams.get('inn') ?? url.searchParams.get('ogrn')].filter((id): id is string => id !== null),
    ...(method === 'contracts' ? { limit: url.searchParams.get('limit') ?? '', offset: url.searchParams.get('offset') ?? '' } : {}),
    status: 0,
    authorized,
    requestId: typeof given === 'string' ? given : undefined,
    at: Date.now(),
  };
  const reply = (value: Reply): Outcome => ({ kind: 'reply', reply: value, extraDelayMs: 0 });
  let outcome: Outcome;
  if (!method) outcome = reply(error(404, 'NOT_FOUND', 'Метод не найден'));
  else if (req.method !== 'GET') outcome = reply(error(405, 'METHOD_NOT_ALLOWED', 'Метод не поддерживается'));
  else if (!authorized) outcome = reply(UNAUTHORIZED());
  else if (!state.admit(token, call.at)) outcome = reply(TOO_MANY());
  else {
    const fault = state.takeFault(method, call.ids);
    outcome = fault ? applyFault(fault, method, url.searchParams, state) : reply(answer(method, url.searchParams, state));
  }
  if (outcome.kind === 'reply') {
    call.status = outcome.reply.status;
    const errorCode = outcome.reply.status >= 400 ? (JSON.parse(outcome.reply.body) as { errorCode?: string }).errorCode : undefined;
    // The call log never holds the token, not even when a fault echoed it as the errorCode.
    if (errorCode !== undefined) call.errorCode = errorCode === state.token ? 'ECHOED_TOKEN' : errorCode;
  }
  state.calls.push(call);
  return { outcome, call };
}

export async function startTbankEmulator(options: TbankEmulatorOptions): Promise<TbankEmulator> {
  const state = new State(
    options.token,
    options.latencyMs ?? 0,
    options.rateLimit === undefined ? { calls: 10, windowMs: 60_000 } : options.rateLimit,
  );
  const replies = new DelayedReplies();

  const later = replies.later.bind(replies);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    if (url.pathname === CALLS_PATH) {
      if (req.method === 'DELETE') state.calls.length = 0;
      const body = req.method === 'DELETE' ? '' : JSON.stringify(state.calls);
      res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && given.length > 0 && given.length <= 50 ? given : randomUUID();
    const { outcome } = handle(req, url, state);
    if (outcome.kind === 'hang') return;
    if (outcome.kind === 'reset') return later(res, state.latencyMs, () => req.socket.resetAndDestroy());
    later(res, state.latencyMs + outcome.extraDelayMs, () => {
      res.writeHead(outcome.reply.status, {
        'content-type': outcome.reply.contentType,
        'content-length': Buffer.byteLength(outcome.reply.body),
        'x-request-id': outcome.reply.requestId ?? requestId,
      });
      res.end(outcome.reply.body);
    });
  });

  const origin = await listenOnLoopback(server, options);

  return {
    url: `${origin}/openapi`,
    ...callLogControls(state),
    setRateLimit: (limit) => {
      state.rateLimit = limit;
    },
    setExcerpt: (identifier, body) => state.setExcerpt(identifier, body),
    setContracts: (ogrn, items, total) => state.setContracts(ogrn, items, total ?? items.length),
    injectFault: (rule) => {
      state.faults.push(structuredClone(rule));
    },
    clearFaults: () => {
      state.faults.length = 0;
    },
    close: async () => {
      replies.cancelAll();
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
