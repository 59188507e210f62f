import type { z } from 'zod';
import { GraphError } from '../../../errors.ts';
import type { Logger } from '../../../observability/logger.ts';
import { vendorDetail } from '../../../observability/redaction.ts';
import type { Metrics } from '../../../observability/metrics.ts';
import type { PayoutsConfig } from '../config.ts';
import { VendorHttpClient, type CallSpec, type VendorAnswer } from '../../../vendors/http-core.ts';
import { jsonInteger, jsonMoney, parseJson, stringifyJson } from './json.ts';
import { operationPath, type JumpOperation } from './operations.ts';
import {
  JumpBalanceSchema,
  JumpContractorSchema,
  JumpErrorBodySchema,
  JumpGroupSchema,
  JumpIdentificationSchema,
  JumpPaymentSchema,
  JumpRefSchema,
  JumpRequisiteSchema,
  JumpSelfEmployedSchema,
  itemEnvelope,
  pageEnvelope,
  type JumpBalance,
  type JumpContractor,
  type JumpContractorInput,
  type JumpErrorBody,
  type JumpFieldError,
  type JumpGroup,
  type JumpIdentification,
  type JumpPage,
  type JumpPayment,
  type JumpPaymentInput,
  type JumpPaymentQuery,
  type JumpRequisite,
  type JumpSelfEmployed,
} from './schemas.ts';

/**
 * The client's part of the JUMP_* slice — the key (sent only as the `Client-Key` header; undefined: not configured),
 * base URL, call budget (JUMP_TIMEOUT, retries included), retries of a failed GET (POST, PUT and DELETE never), breaker
 * — and its open sockets (keep-alive pool).
 */
export type JumpClientOptions = Pick<PayoutsConfig, 'baseUrl' | 'apiKey' | 'timeoutMs' | 'retries' | 'breaker'> & { connections: number };

export type { JumpOperation } from './operations.ts';

/** Blocks of a payout asked for with include= (single reads and lists alike). */
export const PAYMENT_INCLUDE = 'abilities,requisite,history';

const VENDOR = 'jump-finance';

/** At most this many field errors, and messages per field, are passed on: the vendor's body is not ours to relay whole. */
const MAX_FIELD_ERRORS = 20;
const MAX_FIELD_MESSAGES = 5;
/** What a field name looks like (`amount`, `requisite.account_number`, `job_types[0].price`); anything else is dropped. */
const FIELD_NAME = /^[a-z][a-z0-9_.[\]]{0,63}$/i;

/**
 * Jump.Finance refused a request (400, 404, 422): the request, not the vendor, is at fault. The vendor's field errors
 * go into `extensions.fieldErrors` ({ field, messages }), never into the message. Not a circuit-breaker failure.
 */
export class JumpRequestError extends GraphError {
  readonly status: number;
  readonly fieldErrors: JumpFieldError[];

  constructor(operation: JumpOperation, status: number, message: string, fieldErrors: JumpFieldError[]) {
    super(status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT', message, {
      vendor: VENDOR,
      method: operation,
      status,
      ...(fieldErrors.length > 0 ? { fieldErrors } : {}),
    });
    this.status = status;
    this.fieldErrors = fieldErrors;
  }

  /** Whether the vendor refused because a field (e.g. customer_payment_id) failed validation. */
  concerns(field: string): boolean {
    return this.fieldErrors.some((error) => error.field === field);
  }
}

/** One call: its method and path (from operationPath), query and JSON body. */
export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** The vendor takes an idempotency key for this call (a certificate's payout): retried like a GET. */
  idempotent?: boolean;
}

/**
 * The Jump.Finance OpenAPI (contractors and payouts) on the shared HTTP core (src/vendors/http-core.ts):
 * - one deadline per call (JUMP_TIMEOUT, retries included); GETs retried on 429/5xx/connection errors (Retry-After
 *   honoured); POST, PUT and DELETE never — a payout's safe retry goes through its customer_payment_id, looked up
 *   before anything is sent again (src/modules/payouts/payout-post.ts);
 * - the circuit breaker: refusals (4xx, JumpRequestError), a rejected key and 429s do not count against it;
 * - JSON both ways without binary floats (lossless-json), `Accept`/`Content-Type: application/json` on every call
 *   as the vendor asks, and the key only in the `Client-Key` header — redacted from every log line and error;
 * - bodies validated with zod: `{ item }`, `{ items, meta, links }` and the error body `{ error { title detail fields code } }`;
 *   an item about another record than the one asked is VENDOR_BAD_RESPONSE.
 */
export class JumpClient {
  private readonly http: VendorHttpClient;

  constructor(
    private readonly options: JumpClientOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    const apiKey = options.apiKey;
    this.http = new VendorHttpClient(
      {
        vendor: VENDOR,
        displayName: 'Jump.Finance',
        configured: Boolean(apiKey),
        credential: { variable: 'JUMP_API_KEY', rejected: 'refused the call', check: ' and its rights', withDetail: true },
        baseUrl: options.baseUrl,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        connections: options.connections,
        breaker: options.breaker,
        retryStatuses: [429, 500, 502, 503, 504],
        honourRetryAfter: true,
        // Whatever text leaves the process — an error, a log line — is cleared of the key, even where the vendor echoed it.
        secrets: [apiKey],
        parseJson,
      },
      {
        // The vendor asks for both headers on every request, GET and DELETE included; the key only as Client-Key.
        authorize: (_url, headers) => {
          headers['client-key'] = apiKey ?? '';
        },
        describe: (answer, body) => ({ detail: errorDetail(errorOf(body), answer) }),
        // A 4xx is the request's fault: JumpRequestError, its field errors through an allow-list.
        refusal: (answer, body, spec, { detail }) => {
          const operation = spec.operation as JumpOperation;
          const fieldErrors = passedFieldErrors(errorOf(body)?.fields ?? []);
          const message =
            answer.status === 404
              ? `Jump.Finance has no such resource (${operation}, HTTP 404)`
              : `Jump.Finance refused ${operation} (HTTP ${answer.status}: ${detail})`;
          return new JumpRequestError(operation, answer.status, message, fieldErrors);
        },
        // A refused request is the request's fault, not the vendor's.
        isNotAFailure: (error) => error instanceof JumpRequestError,
      },
      logger,
      metrics,
    );
  }

  get configured(): boolean {
    return Boolean(this.options.apiKey);
  }

  // ─── Contractors ─────────────────────────────────────────────────────────────────────────────

  listContractors(page: number, perPage: number): Promise<JumpPage<JumpContractor>> {
    return this.page('contractors.list', { ...operationPath('contractors.list'), query: paging(page, perPage) }, JumpContractorSchema);
  }

  /** A contractor card; null when the vendor has none with this id (404). Another contractor's card is VENDOR_BAD_RESPONSE. */
  getContractor(id: number): Promise<JumpContractor | null> {
    return this.item('contractors.get', operationPath('contractors.get', id), JumpContractorSchema, {
      notFoundAsNull: true,
      answers: (card) => card.id === id,
    });
  }

  /** Creates the contractor, or updates the one with this phone (the vendor's upsert key). Never retried. */
  upsertContractor(input: JumpContractorInput): Promise<JumpContractor> {
    return this.item(
      'contractors.upsert',
      { ...operationPath('contractors.upsert'), body: contractorBody(input) },
      JumpContractorSchema,
    ) as Promise<JumpContractor>;
  }

  /** Full replace. [OAS] answers a bare contractor, [1C] `{ item }`: both are read. Never retried. */
  updateContractor(id: number, input: JumpContractorInput): Promise<JumpContractor> {
    return this.run('contractors.update', { ...operationPath('contractors.update', id), body: contractorBody(input) }, (body, spec) => {
      const unwrapped = typeof body === 'object' && body !== null && 'item' in body ? body.item : body;
      const card = this.http.parse(JumpContractorSchema, unwrapped, spec);
      this.assertAnswers(spec, card.id === id);
      return card;
    });
  }

  /** 204 → true; 404 → false (nothing to delete). Never retried. */
  deleteContractor(id: number): Promise<boolean> {
    return this.run('contractors.delete', operationPath('contractors.delete', id), (_body, _spec, status) => status !== 404, [404]);
  }

  listRequisites(contractorId: number, page: number, perPage: number): Promise<JumpPage<JumpRequisite>> {
    return this.page(
      'contractors.requisites',
      { ...operationPath('contractors.requisites', contractorId), query: paging(page, perPage) },
      JumpRequisiteSchema,
    );
  }

  listBalances(contractorId: number, page: number, perPage: number): Promise<JumpPage<JumpBalance>> {
    return this.page(
      'contractors.balances',
      { ...operationPath('contractors.balances', contractorId), query: { include: 'agent', ...paging(page, perPage) } },
      JumpBalanceSchema,
    );
  }

  /** The stored self-employed state (does not ask the tax service); null on 404. */
  getSelfEmployed(contractorId: number): Promise<JumpSelfEmployed | null> {
    return this.item('selfemployer.get', operationPath('selfemployer.get', contractorId), JumpSelfEmployedSchema, {
      notFoundAsNull: true,
    });
  }

  /** Asks the tax service again; the vendor allows one per 30 s per contractor (429 otherwise). Never retried. */
  syncSelfEmployed(contractorId: number): Promise<JumpSelfEmployed> {
    return this.item(
      'selfemployer.sync',
      operationPath('selfemployer.sync', contractorId),
      JumpSelfEmployedSchema,
    ) as Promise<JumpSelfEmployed>;
  }

  /** The last approved identification, simple view (no passport data); null when there is none (404). */
  getLastApprovedIdentification(contractorId: number): Promise<JumpIdentification | null> {
    return this.item(
      'identification.lastApproved',
      { ...operationPath('identification.lastApproved', contractorId), query: { view: 'simple' } },
      JumpIdentificationSchema,
      { notFoundAsNull: true },
    );
  }

  listGroups(): Promise<JumpPage<{ id: number; name: string | null; is_default: boolean }>> {
    return this.page<JumpGroup>('groups.list', { ...operationPath('groups.list'), query: paging(1, 200) }, JumpGroupSchema);
  }

  /** Our legal entities (agent_id). */
  listAgents(): Promise<JumpPage<{ id: number; name: string | null }>> {
    return this.page('agents.list', { ...operationPath('agents.list'), query: paging(1, 200) }, JumpRefSchema);
  }

  // ─── Payouts ─────────────────────────────────────────────────────────────────────────────────

  listPayments(query: JumpPaymentQuery, page: number, perPage: number): Promise<JumpPage<JumpPayment>> {
    return this.page(
      'payments.list',
      {
        ...operationPath('payments.list'),
        query: {
          include: PAYMENT_INCLUDE,
          ...(query.status !== undefined ? { status: String(query.status) } : {}),
          ...(query.contractorIds?.length ? { contractor_ids: query.contractorIds.join(',') } : {}),
          ...(query.createdFrom ? { created_at_from: query.createdFrom } : {}),
          ...(query.createdTo ? { created_at_to: query.createdTo } : {}),
          ...paging(page, perPage),
        },
      },
      JumpPaymentSchema,
    );
  }

  /**
   * A payout; null on 404; another payout is VENDOR_BAD_RESPONSE. The vendor asks for at most one status read per
   * payout per minute: see PaymentStore.
   */
  getPayment(id: number): Promise<JumpPayment | null> {
    return this.item('payments.get', { ...operationPath('payments.get', id), query: { include: PAYMENT_INCLUDE } }, JumpPaymentSchema, {
      notFoundAsNull: true,
      answers: (payment) => payment.id === id,
    });
  }

  /**
   * A payout by our idempotency key (URL-encoded into the path); null when no payout has it (404). A payout under
   * another key is VENDOR_BAD_RESPONSE — never "found", never "not found": createPayment reads it as outcome unknown.
   */
  getPaymentByCustomerId(customerPaymentId: string): Promise<JumpPayment | null> {
    return this.item(
      'payments.byCustomerId',
      { ...operationPath('payments.byCustomerId', customerPaymentId), query: { include: PAYMENT_INCLUDE } },
      JumpPaymentSchema,
      { notFoundAsNull: true, answers: (payment) => payment.customer_payment_id === customerPaymentId },
    );
  }

  /** Creates a payout. Never retried here: after a timeout or a lost answer the caller looks the key up first. */
  createPayment(input: JumpPaymentInput): Promise<JumpPayment> {
    const body = {
      contractor_id: jsonInteger(input.contractor_id),
      amount: jsonMoney(input.amount),
      customer_payment_id: input.customer_payment_id,
      ...(input.requisite_id !== undefined ? { requisite_id: jsonInteger(input.requisite_id) } : {}),
      ...(input.payment_purpose !== undefined ? { payment_purpose: input.payment_purpose } : {}),
      ...(input.service_name !== undefined ? { service_name: input.service_name } : {}),
    };
    // Another key in the answer is VENDOR_BAD_RESPONSE, which the caller treats as outcome unknown (looks the key up).
    return this.item(
      'payments.create',
      { ...operationPath('payments.create'), query: { include: PAYMENT_INCLUDE }, body },
      JumpPaymentSchema,
      {
        answers: (payment) => payment.customer_payment_id === input.customer_payment_id,
      },
    ) as Promise<JumpPayment>;
  }

  /** Repeats a failed payout (check abilities.can_repeat first). Never retried. */
  repeatPayment(id: number): Promise<JumpPayment> {
    return this.item(
      'payments.repeat',
      { ...operationPath('payments.repeat', id), query: { include: PAYMENT_INCLUDE } },
      JumpPaymentSchema,
      {
        answers: (payment) => payment.id === id,
      },
    ) as Promise<JumpPayment>;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  // ─── Plumbing: the area clients in vendor/ (certificates, branches, …) call through these too ───

  /**
   * One `{ item }` call. `answers` says whether the item is the record asked for (its id, its key): an answer about
   * another record is not the vendor's answer to this call, so it is VENDOR_BAD_RESPONSE — never used, never cached.
   */
  item<T>(
    operation: JumpOperation,
    call: Call,
    schema: z.ZodType<T>,
    options: { notFoundAsNull?: boolean; answers?: (item: T) => boolean } = {},
  ): Promise<T | null> {
    return this.run(
      operation,
      call,
      (body, spec, status) => {
        if (status === 404) return null;
        const item = this.http.parse(itemEnvelope(schema), body, spec).item;
        if (options.answers) this.assertAnswers(spec, options.answers(item));
        return item;
      },
      options.notFoundAsNull ? [404] : [],
    );
  }

  page<T>(operation: JumpOperation, call: Call, schema: z.ZodType<T>): Promise<JumpPage<T>> {
    return this.run(operation, call, (body, spec) => {
      const { items, meta } = this.http.parse(pageEnvelope(schema), body, spec);
      return { items: items, meta };
    });
  }

  /** One call through the HTTP core: JSON both ways without binary floats; 204 or an empty body reads as undefined. */
  run<T>(
    operation: JumpOperation,
    call: Call,
    read: (body: unknown, spec: CallSpec, status: number) => T,
    answerStatuses: readonly number[] = [],
  ): Promise<T> {
    const spec: CallSpec = {
      operation,
      method: call.method,
      path: call.path,
      query: call.query ?? {},
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      ...(call.body !== undefined ? { body: stringifyJson(call.body) } : {}),
      ...(call.idempotent ? { idempotent: true } : {}),
      answerStatuses,
    };
    return this.http.call(spec, (answer) => {
      const empty = answer.status === 204 || answer.text().trim() === '';
      const body = empty || answerStatuses.includes(answer.status) ? undefined : this.http.json(answer, spec);
      return read(body, spec, answer.status);
    });
  }

  private assertAnswers(spec: CallSpec, answersTheCall: boolean): void {
    if (answersTheCall) return;
    this.logger.warn({ vendor: VENDOR, method: spec.operation }, 'Jump.Finance answered about another record than the one asked for');
    throw this.http.badResponse(spec, 'answered about another record than the one asked for');
  }
}

/** Jump.Finance's error body `{ error { title detail fields code } }`, when the body is one. */
function errorOf(body: unknown): JumpErrorBody['error'] | undefined {
  const parsed = JumpErrorBodySchema.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
}

/** What a failed answer says: the error body's title and detail, else the body's text; "no detail" when nothing is left. */
function errorDetail(error: JumpErrorBody['error'] | undefined, answer: VendorAnswer): string {
  return vendorDetail([error?.title, error?.detail].filter(Boolean).join(': ') || answer.text()) ?? 'no detail';
}

/**
 * The vendor's field errors through an allow-list: a field name only when it looks like one (else the entry is
 * dropped), its messages as vendorDetail passes them, at most MAX_FIELD_ERRORS entries of MAX_FIELD_MESSAGES.
 */
function passedFieldErrors(fields: readonly JumpFieldError[]): JumpFieldError[] {
  const passed: JumpFieldError[] = [];
  for (const { field, messages } of fields) {
    if (passed.length >= MAX_FIELD_ERRORS) break;
    if (!FIELD_NAME.test(field)) continue;
    const texts = messages.map((message) => vendorDetail(message)).filter((text): text is string => text !== undefined);
    passed.push({ field, messages: texts.slice(0, MAX_FIELD_MESSAGES) });
  }
  return passed;
}

/** page/per_page query parameters. */
function paging(page: number, perPage: number): Record<string, string> {
  return { page: String(page), per_page: String(perPage) };
}

function contractorBody(input: JumpContractorInput): Record<string, unknown> {
  return {
    phone: input.phone,
    ...(input.email !== undefined ? { email: input.email } : {}),
    last_name: input.last_name,
    first_name: input.first_name,
    ...(input.middle_name !== undefined ? { middle_name: input.middle_name } : {}),
    legal_form_id: jsonInteger(input.legal_form_id),
    agent_id: jsonInteger(input.agent_id),
    group_id: jsonInteger(input.group_id),
    ...(input.inn !== undefined ? { inn: input.inn } : {}),
    ...(input.company_agrees_pay_taxes !== undefined ? { company_agrees_pay_taxes: input.company_agrees_pay_taxes } : {}),
  };
}
