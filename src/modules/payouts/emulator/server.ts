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
import { DelayedReplies, listenOnLoopback, readBody } from '../../../vendors/emulator-support.ts';
import { looksLikeCardNumber } from '../vendor/card.ts';
import { isLosslessNumber, parseJson, parseJsonNumbersAsText, stringifyJson } from '../vendor/json.ts';
import { kopecksOf } from '../../../domain/money.ts';
import { JUMP_PER_PAGE } from '../vendor/schemas.ts';
import {
  JumpState,
  type ContractorSeed,
  type ContractorState,
  type LegalFormId,
  type PaymentSeed,
  type SelfEmployedState,
} from './state.ts';

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

// ─── Replies ──────────────────────────────────────────────────────────────────────────────────

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const JSON_TYPE = 'application/json';

const json = (status: number, value: unknown): Reply => ({ status, body: stringifyJson(value) });
const NO_CONTENT: Reply = { status: 204, body: '' };

interface FieldError {
  field: string;
  messages: string[];
}

function errorReply(
  status: number,
  title: string,
  detail: string,
  fields: FieldError[] | null = null,
  headers?: Record<string, string>,
): Reply {
  return { status, ...(headers ? { headers } : {}), body: stringifyJson({ error: { title, detail, fields, code: status } }) };
}

const unauthorized = () => errorReply(401, 'Ошибка авторизации', 'Требуется авторизация');
const notFound = () => errorReply(404, 'Ошибка', 'Ресурс не найден');
const invalid = (fields: FieldError[]) => errorReply(422, 'Ошибка', 'The given data was invalid.', fields);
const badRequest = (detail = 'Неверный запрос') => errorReply(400, 'Неверный запрос', detail, []);
const serverError = (status = 500) => errorReply(status, 'Ошибка', 'Внутренняя ошибка сервера');

// ─── Requests ─────────────────────────────────────────────────────────────────────────────────

interface ApiRequest {
  method: string;
  /** Path segments under the base, URL-decoded. */
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** Base URL as the client reached it, for pagination links. */
  base: string;
}

type Handler = (request: ApiRequest, state: JumpState, params: string[]) => Reply;

interface Route {
  op: string;
  method: string;
  /** Segments; ':id' matches a positive integer, ':any' any segment. */
  pattern: string[];
  handle: Handler;
}

const ROUTES: Route[] = [
  { op: 'contractors.list', method: 'GET', pattern: ['contractors'], handle: listContractors },
  { op: 'contractors.upsert', method: 'POST', pattern: ['contractors'], handle: upsertContractor },
  {
    op: 'contractors.get',
    method: 'GET',
    pattern: ['contractors', ':id'],
    handle: withContractor((_r, state, c) => json(200, { item: state.renderContractor(c) })),
  },
  { op: 'contractors.update', method: 'PUT', pattern: ['contractors', ':id'], handle: withContractor(updateContractor) },
  {
    op: 'contractors.delete',
    method: 'DELETE',
    pattern: ['contractors', ':id'],
    handle: withContractor((_r, _state, contractor) => {
      contractor.deleted = true;
      return NO_CONTENT;
    }),
  },
  {
    op: 'contractors.requisites',
    method: 'GET',
    pattern: ['contractors', ':id', 'requisites'],
    handle: withContractor((request, state, contractor) => paginate(request, [contractor], (c) => state.renderRequisite(c))),
  },
  {
    op: 'contractors.balances',
    method: 'GET',
    pattern: ['contractors', ':id', 'balances'],
    handle: withContractor((request, state, contractor) =>
      paginate(request, [contractor], (c) => state.renderBalance(c, includes(request).has('agent'))),
    ),
  },
  {
    op: 'selfemployer.get',
    method: 'GET',
    pattern: ['contractors', ':id', 'selfemployer'],
    handle: withContractor((_r, state, contractor) =>
      contractor.legal_form_id === 2 ? json(200, { item: state.renderSelfEmployed(contractor) }) : notFound(),
    ),
  },
  {
    op: 'selfemployer.sync',
    method: 'POST',
    pattern: ['contractors', ':id', 'selfemployer', 'sync'],
    handle: withContractor(syncSelfEmployed),
  },
  {
    op: 'identification.lastApproved',
    method: 'GET',
    pattern: ['contractors', ':id', 'identification-requests', 'last-approved'],
    handle: withContractor((_r, state, contractor) =>
      contractor.identified ? json(200, { item: state.renderIdentification(contractor) }) : notFound(),
    ),
  },
  { op: 'payments.list', method: 'GET', pattern: ['payments'], handle: listPayments },
  { op: 'payments.create', method: 'POST', pattern: ['payments'], handle: createPayment },
  {
    op: 'payments.byCustomerId',
    method: 'GET',
    pattern: ['payments', 'customer-payment', ':any'],
    handle: (request, state, [customerPaymentId]) => {
      const payment = [...state.payments.values()].find((candidate) => candidate.customer_payment_id === customerPaymentId);
      return payment ? json(200, { item: state.renderPayment(payment, includes(request)) }) : notFound();
    },
  },
  {
    op: 'payments.get',
    method: 'GET',
    pattern: ['payments', ':id'],
    handle: (request, state, [id]) => {
      const payment = state.payments.get(Number(id));
      return payment ? json(200, { item: state.renderPayment(payment, includes(request)) }) : notFound();
    },
  },
  { op: 'payments.repeat', method: 'POST', pattern: ['payments', ':id', 'repeat'], handle: repeatPayment },
  {
    op: 'groups.list',
    method: 'GET',
    pattern: ['groups'],
    handle: (request, state) => paginate(request, state.groups, (group) => ({ ...group })),
  },
  {
    op: 'agents.list',
    method: 'GET',
    pattern: ['agents'],
    handle: (request, state) => paginate(request, state.agents, (agent) => ({ ...agent, updated_at: '2024-01-10T12:00:00+03:00' })),
  },
];

function match(segments: string[], pattern: string[]): string[] | undefined {
  if (segments.length !== pattern.length) return undefined;
  const params: string[] = [];
  for (let index = 0; index < pattern.length; index++) {
    const expected = pattern[index]!;
    const actual = segments[index]!;
    if (expected === ':id') {
      if (!/^[1-9]\d{0,14}$/.test(actual)) return undefined;
      params.push(actual);
    } else if (expected === ':any') {
      params.push(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function includes(request: ApiRequest): Set<string> {
  return new Set(
    request.query
      .getAll('include')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean),
  );
}

function withContractor(handle: (request: ApiRequest, state: JumpState, contractor: ContractorState) => Reply): Handler {
  return (request, state, [id]) => {
    const contractor = state.contractor(Number(id));
    return contractor ? handle(request, state, contractor) : notFound();
  };
}

/** Laravel's paginator: page ≥ 1, per_page from the enum, meta and links; from/to null on an empty page. */
function paginate<T>(request: ApiRequest, all: readonly T[], render: (item: T) => unknown): Reply {
  const pageText = request.query.get('page') ?? '1';
  const perPageText = request.query.get('per_page') ?? '20';
  const page = Number(pageText);
  const perPage = Number(perPageText);
  const fields: FieldError[] = [];
  if (!/^\d+$/.test(pageText) || page < 1) fields.push({ field: 'page', messages: ['Значение поля page должно быть не меньше 1.'] });
  if (!/^\d+$/.test(perPageText) || !(JUMP_PER_PAGE as readonly number[]).includes(perPage)) {
    fields.push({ field: 'per_page', messages: ['Выбранное значение для per page ошибочно.'] });
  }
  if (fields.length > 0) return invalid(fields);
  const total = all.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const slice = all.slice((page - 1) * perPage, page * perPage);
  const from = slice.length > 0 ? (page - 1) * perPage + 1 : null;
  const path = `${request.base}/${request.segments.map(encodeURIComponent).join('/')}`;
  const pageUrl = (n: number) => `${path}?page=${n}`;
  return json(200, {
    items: slice.map(render),
    meta: { total, from, to: from === null ? null : from + slice.length - 1, per_page: perPage, current_page: page, last_page: lastPage },
    links: {
      path,
      first_page_url: pageUrl(1),
      last_page_url: pageUrl(lastPage),
      next_page_url: page < lastPage ? pageUrl(page + 1) : null,
      prev_page_url: page > 1 ? pageUrl(page - 1) : null,
    },
  });
}

// ─── Field readers (the vendor's PHP accepts numbers and numeric strings alike) ───────────────

function intField(value: unknown): number | undefined {
  const text = isLosslessNumber(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return String(value);
  return undefined;
}

const PHONE = /^\+7\d{10}$/;
const CUSTOMER_PAYMENT_ID = /^[A-Za-z0-9 \-_.!:*()[\]@$~`^,;=<>|{}\u2018]*$/;
const NO_CARD = (label: string) => `Поле ${label} не должно содержать номер банковской карты.`;

// ─── Contractors ──────────────────────────────────────────────────────────────────────────────

function listContractors(request: ApiRequest, state: JumpState): Reply {
  return paginate(request, state.activeContractors(), (contractor) => state.renderContractor(contractor));
}

/** Validates a contractor body; answers the seed or the 422 fields. */
function readContractor(body: Record<string, unknown>, state: JumpState): ContractorSeed | FieldError[] {
  const fields: FieldError[] = [];
  const phone = textField(body.phone);
  if (!phone) fields.push({ field: 'phone', messages: ['Поле телефон обязательно для заполнения.'] });
  else if (!PHONE.test(phone)) fields.push({ field: 'phone', messages: ['Поле телефон имеет ошибочный формат.'] });
  const lastName = textField(body.last_name);
  if (!lastName?.trim()) fields.push({ field: 'last_name', messages: ['Поле фамилия обязательно для заполнения.'] });
  const firstName = textField(body.first_name);
  if (!firstName?.trim()) fields.push({ field: 'first_name', messages: ['Поле имя обязательно для заполнения.'] });
  const legalForm = intField(body.legal_form_id);
  if (legalForm === undefined) fields.push({ field: 'legal_form_id', messages: ['Поле правовая форма обязательно для заполнения.'] });
  else if (![1, 2, 3].includes(legalForm))
    fields.push({ field: 'legal_form_id', messages: ['Выбранное значение для правовая форма ошибочно.'] });
  const agentId = intField(body.agent_id);
  if (agentId === undefined) fields.push({ field: 'agent_id', messages: ['Поле юрлицо обязательно для заполнения.'] });
  else if (!state.agents.some((agent) => agent.id === agentId))
    fields.push({ field: 'agent_id', messages: ['Выбранное значение для юрлицо ошибочно.'] });
  const groupId = intField(body.group_id);
  if (groupId === undefined) fields.push({ field: 'group_id', messages: ['Поле группа обязательно для заполнения.'] });
  else if (!state.groups.some((group) => group.id === groupId))
    fields.push({ field: 'group_id', messages: ['Выбранное значение для группа ошибочно.'] });
  const inn = body.inn === null || body.inn === undefined || body.inn === '' ? undefined : textField(body.inn);
  if (inn !== undefined && !/^(\d{10}|\d{12})$/.test(inn)) fields.push({ field: 'inn', messages: ['Поле ИНН имеет ошибочный формат.'] });
  if ((legalForm === 2 || legalForm === 3) && inn === undefined)
    fields.push({ field: 'inn', messages: ['Поле ИНН обязательно для заполнения.'] });
  const email = body.email === null || body.email === undefined || body.email === '' ? undefined : textField(body.email);
  if (email !== undefined && !/^[^@\s]+@[^@\s]+$/.test(email))
    fields.push({ field: 'email', messages: ['Поле email должно быть действительным электронным адресом.'] });
  if (fields.length > 0) return fields;
  return {
    phone: phone!,
    last_name: lastName!,
    first_name: firstName!,
    middle_name: textField(body.middle_name) ?? null,
    email: email ?? null,
    legal_form_id: legalForm as LegalFormId,
    agent_id: agentId!,
    group_id: groupId!,
    inn: inn ?? null,
    ...(typeof body.company_agrees_pay_taxes === 'boolean' ? { company_agrees_pay_taxes: body.company_agrees_pay_taxes } : {}),
  };
}

/** POST /contractors: upsert by phone. */
function upsertContractor(request: ApiRequest, state: JumpState): Reply {
  const seed = readContractor(request.body, state);
  if (Array.isArray(seed)) return invalid(seed);
  const existing = state.byPhone(seed.phone);
  if (existing) state.updateContractor(existing, seed);
  const contractor = existing ?? state.createContractor(seed);
  return json(200, { item: state.renderContractor(contractor) });
}

/** PUT /contractors/{id}: full replace; [OAS] documents a bare contractor as the answer. */
function updateContractor(request: ApiRequest, state: JumpState, contractor: ContractorState): Reply {
  const seed = readContractor(request.body, state);
  if (Array.isArray(seed)) return invalid(seed);
  const other = state.byPhone(seed.phone);
  if (other && other.id !== contractor.id) return invalid([{ field: 'phone', messages: ['Такое значение поля телефон уже существует.'] }]);
  state.updateContractor(contractor, seed);
  return json(200, state.renderContractor(contractor));
}

function syncSelfEmployed(_request: ApiRequest, state: JumpState, contractor: ContractorState): Reply {
  if (contractor.legal_form_id !== 2) return notFound();
  const waitMs = state.syncWaitMs(contractor);
  if (waitMs > 0) {
    // The 429's body is not documented; this is Laravel's throttle answer in the vendor's error shape.
    return errorReply(429, 'Ошибка', 'Too Many Attempts.', null, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
  }
  state.startSync(contractor);
  return json(200, { item: state.renderSelfEmployed(contractor) });
}

// ─── Payouts ──────────────────────────────────────────────────────────────────────────────────

function listPayments(request: ApiRequest, state: JumpState): Reply {
  const { query } = request;
  const fields: FieldError[] = [];
  const status = query.get('status');
  if (status !== null && !['1', '2', '3', '4', '5', '6', '8'].includes(status))
    fields.push({ field: 'status', messages: ['Выбранное значение для status ошибочно.'] });
  const idList = (name: string) => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const ids = raw.split(',').map((id) => id.trim());
    if (!ids.every((id) => /^\d+$/.test(id))) fields.push({ field: name, messages: [`Поле ${name} должно содержать целые числа.`] });
    return ids.map(Number);
  };
  const ids = idList('ids');
  const contractorIds = idList('contractor_ids');
  const bound = (name: string) => {
    const raw = query.get(name);
    if (raw === null) return undefined;
    const at = Date.parse(raw);
    if (Number.isNaN(at)) fields.push({ field: name, messages: [`Поле ${name} не является датой.`] });
    return at;
  };
  const from = bound('created_at_from');
  const to = bound('created_at_to');
  if (fields.length > 0) return invalid(fields);
  const include = includes(request);
  // Newest first; bounds inclusive (compared at whole seconds, as the vendor's timestamps carry no milliseconds).
  const matching = [...state.payments.values()]
    .map((payment) => state.settle(payment))
    .filter((payment) => status === null || payment.statusId === Number(status))
    .filter((payment) => !ids || ids.includes(payment.id))
    .filter((payment) => !contractorIds || contractorIds.includes(payment.contractorId))
    .filter((payment) => from === undefined || Math.floor(payment.created_at / 1000) * 1000 >= from)
    .filter((payment) => to === undefined || Math.floor(payment.created_at / 1000) * 1000 <= to)
    .sort((a, b) => b.id - a.id);
  return paginate(request, matching, (payment) => state.renderPayment(payment, include));
}

function createPayment(request: ApiRequest, state: JumpState): Reply {
  const { body } = request;
  const fields: FieldError[] = [];
  const contractorId = intField(body.contractor_id);
  const contractor = contractorId === undefined ? undefined : state.contractor(contractorId);
  if (contractorId === undefined) fields.push({ field: 'contractor_id', messages: ['Поле contractor id обязательно для заполнения.'] });
  else if (!contractor) fields.push({ field: 'contractor_id', messages: ['Выбранное значение для contractor id некорректно.'] });
  const amountText = isLosslessNumber(body.amount) ? String(body.amount) : typeof body.amount === 'string' ? body.amount : undefined;
  const amount = amountText === undefined ? undefined : kopecksOf(amountText, 'exact');
  if (body.amount === undefined || body.amount === null)
    fields.push({ field: 'amount', messages: ['Поле amount обязательно для заполнения.'] });
  else if (!amount?.ok)
    fields.push({ field: 'amount', messages: ['Поле amount должно быть числом с не более чем двумя знаками после запятой.'] });
  else if (amount.kopecks <= 0n) fields.push({ field: 'amount', messages: ['Значение поля amount должно быть больше 0.'] });
  const customerPaymentId =
    body.customer_payment_id === undefined || body.customer_payment_id === null ? null : textField(body.customer_payment_id);
  if (customerPaymentId !== null) {
    const messages: string[] = [];
    if (customerPaymentId === undefined) messages.push('Поле customer payment id должно быть строкой.');
    else {
      if (customerPaymentId.length > 36) messages.push('Количество символов в поле customer payment id не может превышать 36.');
      if (!CUSTOMER_PAYMENT_ID.test(customerPaymentId)) messages.push('Поле customer payment id содержит недопустимые символы.');
      if (looksLikeCardNumber(customerPaymentId)) messages.push(NO_CARD('customer payment id'));
      if ([...state.payments.values()].some((payment) => payment.customer_payment_id === customerPaymentId)) {
        messages.push('Такое значение поля customer payment id уже существует.');
      }
    }
    if (messages.length > 0) fields.push({ field: 'customer_payment_id', messages });
  }
  for (const [field, label] of [
    ['payment_purpose', 'payment purpose'],
    ['service_name', 'service name'],
  ] as const) {
    const value = body[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') fields.push({ field, messages: [`Поле ${label} должно быть строкой.`] });
    else if (looksLikeCardNumber(value)) fields.push({ field, messages: [NO_CARD(label)] });
  }
  const requisiteId = body.requisite_id === undefined || body.requisite_id === null ? undefined : intField(body.requisite_id);
  if (
    body.requisite_id !== undefined &&
    body.requisite_id !== null &&
    (requisiteId === undefined || (contractor && contractor.requisite.id !== requisiteId))
  ) {
    fields.push({ field: 'requisite_id', messages: ['Выбранное значение для requisite id некорректно.'] });
  }
  if (fields.length > 0) return invalid(fields);
  const payment = state.createPayment({
    contractorId: contractor!.id,
    amount: formatAmount(amount as { ok: true; kopecks: bigint }),
    customer_payment_id: customerPaymentId,
    payment_purpose: (body.payment_purpose as string | undefined) ?? null,
    service_name: (body.service_name as string | undefined) ?? null,
    ...(requisiteId !== undefined ? { requisiteId } : {}),
  });
  return json(200, { item: state.renderPayment(payment, includes(request)) });
}

function formatAmount(amount: { kopecks: bigint }): string {
  return `${amount.kopecks / 100n}.${(amount.kopecks % 100n).toString().padStart(2, '0')}`;
}

function repeatPayment(request: ApiRequest, state: JumpState, [id]: string[]): Reply {
  const payment = state.payments.get(Number(id));
  if (!payment) return notFound();
  if (!state.canRepeat(payment)) return badRequest('Выплату нельзя повторить');
  state.repeat(payment);
  return json(200, { item: state.renderPayment(payment, includes(request)) });
}

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
  if (reply.status !== 200) return reply;
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
  if (reply.status !== 204) headers['content-type'] = JSON_TYPE;
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

  const handleApi = (req: IncomingMessage, url: URL, rawBody: string): { op: string; outcome: Outcome } => {
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
    const request: ApiRequest = { method, segments, query: url.searchParams, body, base: `http://${host}${BASE_PATH}` };
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
    readBody(req, MAX_BODY).then(
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
