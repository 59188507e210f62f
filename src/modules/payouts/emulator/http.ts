/**
 * The Jump.Finance emulator's HTTP vocabulary, shared by its route files: replies in the vendor's envelopes and error
 * body, the request as a route sees it, route matching, Laravel's paginator, and the field readers (the vendor's PHP
 * accepts numbers and numeric strings alike).
 */
import { isLosslessNumber, stringifyJson } from '../vendor/json.ts';
import { JUMP_PER_PAGE } from '../vendor/schemas.ts';
import type { ContractorState, JumpState } from './state.ts';

// ─── Replies ──────────────────────────────────────────────────────────────────────────────────

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON text, or bytes (a PDF, a DOCX) with their content-type in headers. */
  body: string | Buffer;
}

export const JSON_TYPE = 'application/json';

export const json = (status: number, value: unknown): Reply => ({ status, body: stringifyJson(value) });
export const NO_CONTENT: Reply = { status: 204, body: '' };

export interface FieldError {
  field: string;
  messages: string[];
}

export function errorReply(
  status: number,
  title: string,
  detail: string,
  fields: FieldError[] | null = null,
  headers?: Record<string, string>,
): Reply {
  return { status, ...(headers ? { headers } : {}), body: stringifyJson({ error: { title, detail, fields, code: status } }) };
}

export const unauthorized = () => errorReply(401, 'Ошибка авторизации', 'Требуется авторизация');
export const notFound = () => errorReply(404, 'Ошибка', 'Ресурс не найден');
export const invalid = (fields: FieldError[]) => errorReply(422, 'Ошибка', 'The given data was invalid.', fields);
export const badRequest = (detail = 'Неверный запрос') => errorReply(400, 'Неверный запрос', detail, []);
export const serverError = (status = 500) => errorReply(status, 'Ошибка', 'Внутренняя ошибка сервера');

// ─── Requests ─────────────────────────────────────────────────────────────────────────────────

export interface ApiRequest {
  method: string;
  /** Path segments under the base, URL-decoded. */
  segments: string[];
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The body as it arrived (a multipart upload is not JSON; `body` is then empty). */
  rawBody: Buffer;
  /** The request's content-type header, lower case ('' when absent). */
  contentType: string;
  /** Base URL as the client reached it, for pagination links. */
  base: string;
}

export type Handler = (request: ApiRequest, state: JumpState, params: string[]) => Reply;

export interface Route {
  op: string;
  method: string;
  /** Segments; ':id' matches a positive integer, ':any' any segment. */
  pattern: string[];
  handle: Handler;
}

export function match(segments: string[], pattern: string[]): string[] | undefined {
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

export function includes(request: ApiRequest): Set<string> {
  return new Set(
    request.query
      .getAll('include')
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean),
  );
}

export function withContractor(handle: (request: ApiRequest, state: JumpState, contractor: ContractorState) => Reply): Handler {
  return (request, state, [id]) => {
    const contractor = state.contractor(Number(id));
    return contractor ? handle(request, state, contractor) : notFound();
  };
}

/** Laravel's paginator: page ≥ 1, per_page from the enum, meta and links; from/to null on an empty page. */
export function paginate<T>(request: ApiRequest, all: readonly T[], render: (item: T) => unknown): Reply {
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

export function intField(value: unknown): number | undefined {
  const text = isLosslessNumber(value) ? String(value) : typeof value === 'string' ? value.trim() : undefined;
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

export function textField(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isLosslessNumber(value)) return String(value);
  return undefined;
}

export const PHONE = /^\+7\d{10}$/;
export const CUSTOMER_PAYMENT_ID = /^[A-Za-z0-9 \-_.!:*()[\]@$~`^,;=<>|{}\u2018]*$/;
export const NO_CARD = (label: string) => `Поле ${label} не должно содержать номер банковской карты.`;

export function formatAmount(amount: { kopecks: bigint }): string {
  return `${amount.kopecks / 100n}.${(amount.kopecks % 100n).toString().padStart(2, '0')}`;
}
