import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A second, independent Bitrix24 REST emulator, written from shared/vendors/bitrix24.md alone (not from the module's
 * own emulator), to cross-check the module's acceptance tests: the incoming-webhook REST of §2.1 (envelope, paging
 * by 50), the outgoing-webhook events of §3 (form-encoded, bracket keys, no retry), the CRM model of §4 (companies,
 * requisites with presets, addresses owned by the requisite), tasks and timeline comments of §5, and §7 (the leaky
 * bucket, batch with `$result[...]`, the error statuses).
 */

export type Row = Record<string, unknown>;

export interface SecondBitrix24Call {
  method: string;
  params: Row;
  encoding: 'json' | 'batch';
  status: number;
  at: number;
}

export interface SecondBitrix24Delivery {
  event: string;
  id: string;
  status?: number;
  form: Record<string, string>;
}

export interface SecondBitrix24Emulator {
  url: string;
  memberId: string;
  applicationToken: string;
  calls: SecondBitrix24Call[];
  callsTo(method: string): SecondBitrix24Call[];
  resetCalls(): void;
  deliveries: SecondBitrix24Delivery[];
  settled(): Promise<void>;
  setEventHandlers(url: string | null): void;
  addCompany(fields: Row): number;
  addRequisite(fields: Row): number;
  addDeal(fields: Row): number;
  moveDeal(id: number, stageId: string): void;
  company(id: number): Row | undefined;
  requisite(id: number): Row | undefined;
  addresses(requisiteId: number): Row[];
  deal(id: number): Row | undefined;
  tasks(): Row[];
  comments(entityType: 'company' | 'deal', id: number): Row[];
  close(): Promise<void>;
}

class B24Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

const PAGE = 50;
const BATCH_MAX = 50;
const LEAK_PER_SECOND = 2;
const BUCKET = 50;
const DOMAIN = 'emulated-2.bitrix24.ru';
const REQUISITE_OWNER = '8';
const IMMUTABLE_REQUISITE = ['ENTITY_TYPE_ID', 'ENTITY_ID', 'PRESET_ID'] as const;
const COMPANY_FIELDS = new Set(['TITLE', 'COMPANY_TYPE', 'ASSIGNED_BY_ID', 'INDUSTRY', 'COMMENTS', 'OPENED', 'PHONE', 'EMAIL', 'WEB']);
const DEAL_FIELDS = new Set([
  'TITLE',
  'STAGE_ID',
  'CATEGORY_ID',
  'COMPANY_ID',
  'CONTACT_ID',
  'ASSIGNED_BY_ID',
  'OPPORTUNITY',
  'CURRENCY_ID',
  'COMMENTS',
]);
const ADDRESS_FIELDS = ['ADDRESS_1', 'ADDRESS_2', 'CITY', 'POSTAL_CODE', 'REGION', 'PROVINCE', 'COUNTRY', 'COUNTRY_CODE', 'LOC_ADDR_ID'];

const PRESETS: Row[] = [
  {
    ID: '1',
    ENTITY_TYPE_ID: '8',
    COUNTRY_ID: '1',
    NAME: 'Организация',
    XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#',
    ACTIVE: 'Y',
    SORT: '500',
  },
  {
    ID: '2',
    ENTITY_TYPE_ID: '8',
    COUNTRY_ID: '1',
    NAME: 'ИП',
    XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#',
    ACTIVE: 'Y',
    SORT: '500',
  },
  {
    ID: '3',
    ENTITY_TYPE_ID: '8',
    COUNTRY_ID: '1',
    NAME: 'Физ. лицо',
    XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_PERSON#',
    ACTIVE: 'Y',
    SORT: '500',
  },
  { ID: '4', ENTITY_TYPE_ID: '8', COUNTRY_ID: '1', NAME: 'Организация (доп.)', XML_ID: '', ACTIVE: 'Y', SORT: '500' },
];

/** A scalar as text (null and undefined empty); an object or array as its JSON. */
function text(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
      return '';
    default:
      return value === null ? '' : JSON.stringify(value);
  }
}

/** Bitrix24 answers scalars as strings; arrays (UF_CRM_TASK, multi-fields) keep their shape with string items. */
function stored(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stored);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value as Row).map(([key, item]) => [key, stored(item)]));
  if (typeof value === 'boolean') return value ? 'Y' : 'N';
  return text(value);
}

/** ISO 8601 with the portal's offset (Moscow, +03:00), to the second, as Bitrix24 writes DATE_MODIFY. */
function portalDate(ms = Date.now()): string {
  const shifted = new Date(Math.floor(ms / 1000) * 1000 + 3 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+03:00`;
}

function isRecord(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PHP's parse_str for `a[b][0]=c` keys; an object whose keys are 0…n-1 becomes an array. */
export function parsePhpQuery(query: string): Row {
  const root: Row = {};
  for (const [rawKey, value] of new URLSearchParams(query)) {
    const match = /^([^[]+)((?:\[[^\]]*\])*)$/.exec(rawKey);
    const path = match ? [match[1]!, ...[...match[2]!.matchAll(/\[([^\]]*)\]/g)].map((part) => part[1]!)] : [rawKey];
    let node = root;
    path.forEach((segment, index) => {
      const key = segment === '' ? String(Object.keys(node).length) : segment;
      if (index === path.length - 1) node[key] = value;
      else {
        if (!isRecord(node[key])) node[key] = {};
        node = node[key] as Row;
      }
    });
  }
  const arrays = (value: unknown): unknown => {
    if (!isRecord(value)) return value;
    const keys = Object.keys(value);
    const entries = Object.entries(value).map(([key, item]) => [key, arrays(item)] as const);
    if (keys.length > 0 && keys.every((key, index) => key === String(index))) return entries.map(([, item]) => item);
    return Object.fromEntries(entries);
  };
  return arrays(root) as Row;
}

function compare(left: unknown, right: unknown, field: string): number {
  const a = text(left);
  const b = text(right);
  if (field.startsWith('DATE_')) {
    const x = Date.parse(a);
    const y = Date.parse(b);
    if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  }
  if (/^-?\d+(\.\d+)?$/.test(a) && /^-?\d+(\.\d+)?$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The list filter of §4.2: plain keys and `=`, `!`, `>`, `>=`, `<`, `<=`, `%` prefixes; an array value means "any of". */
function matches(row: Row, filter: Row): boolean {
  return Object.entries(filter).every(([rawKey, wanted]) => {
    const [, prefix = '', field = rawKey] = /^(>=|<=|!=|=|!|>|<|%)?(.+)$/.exec(rawKey) ?? [];
    const values = Array.isArray(wanted) ? wanted : [wanted];
    const actual = row[field];
    switch (prefix) {
      case '>':
        return compare(actual, wanted, field) > 0;
      case '>=':
        return compare(actual, wanted, field) >= 0;
      case '<':
        return compare(actual, wanted, field) < 0;
      case '<=':
        return compare(actual, wanted, field) <= 0;
      case '!':
      case '!=':
        return values.every((value) => compare(actual, value, field) !== 0);
      case '%':
        return text(actual).toLowerCase().includes(text(wanted).toLowerCase());
      default:
        return values.some((value) => compare(actual, value, field) === 0);
    }
  });
}

interface Answer {
  result: unknown;
  total?: number;
  next?: number;
}

function list(rows: Row[], params: Row): Answer {
  const filter = isRecord(params.filter) ? params.filter : {};
  const order = isRecord(params.order) && Object.keys(params.order).length > 0 ? params.order : { ID: 'ASC' };
  const select = Array.isArray(params.select) ? params.select.map(String) : [];
  const start = Math.max(0, Number(params.start ?? 0) || 0);
  const found = rows.filter((row) => matches(row, filter));
  found.sort((a, b) => {
    for (const [field, direction] of Object.entries(order)) {
      const sign = String(direction).toUpperCase() === 'DESC' ? -1 : 1;
      const difference = compare(a[field], b[field], field);
      if (difference !== 0) return sign * difference;
    }
    return 0;
  });
  const page = found.slice(start, start + PAGE).map((row) => {
    const copy = structuredClone(row);
    if (select.length === 0 || select.includes('*')) return copy;
    return Object.fromEntries(
      Object.entries(copy).filter(([key]) => select.includes(key) || (select.includes('UF_*') && key.startsWith('UF_'))),
    );
  });
  return { result: page, total: found.length, ...(start + PAGE < found.length ? { next: start + PAGE } : {}) };
}

function need(value: unknown, what: string): string {
  const given = text(value);
  if (given === '') throw new B24Error(400, 'ERROR_ARGUMENT', `Parameter '${what}' is required`);
  return given;
}

function idOf(params: Row): string {
  const id = need(params.id ?? params.ID, 'id');
  if (!/^\d+$/.test(id) || id === '0') throw new B24Error(400, 'ERROR_ARGUMENT', 'ID is not defined or invalid.');
  return id;
}

function fieldsOf(params: Row): Row {
  const fields = params.fields ?? params.FIELDS;
  if (!isRecord(fields)) throw new B24Error(400, 'ERROR_ARGUMENT', "Parameter 'fields' must be array.");
  return fields;
}

function timeOf(startMs: number): Row {
  const finishMs = Date.now();
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: (finishMs - startMs) / 1000,
    date_start: portalDate(startMs),
    date_finish: portalDate(finishMs),
    operating: 0,
    operating_reset_at: Math.floor(startMs / 1000) + 600,
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startSecondBitrix24Emulator(options: { secret: string; applicationToken: string }): Promise<SecondBitrix24Emulator> {
  const memberId = randomBytes(16).toString('hex');
  const handlerId = String(100 + Math.floor(Math.random() * 900));
  const companies = new Map<string, Row>();
  const requisites = new Map<string, Row>();
  const deals = new Map<string, Row>();
  const addresses: Row[] = [];
  const tasks: Row[] = [];
  const comments: Row[] = [];
  const sequences = { company: 0, requisite: 0, deal: 0, task: 0, comment: 0 };
  const calls: SecondBitrix24Call[] = [];
  const deliveries: SecondBitrix24Delivery[] = [];
  const pending = new Set<Promise<void>>();
  let eventHandler: string | null = null;
  let bucket = 0;
  let drainedAt = Date.now();
  let baseUrl = '';

  // ─── Outgoing events (§3): form-encoded, fire-and-forget, no retry ─────────────────────────────────────────

  function fire(event: string, id: string): void {
    if (!eventHandler) return;
    const form: Record<string, string> = {
      event,
      event_handler_id: handlerId,
      'data[FIELDS][ID]': id,
      ts: String(Math.floor(Date.now() / 1000)),
      'auth[domain]': DOMAIN,
      'auth[client_endpoint]': `https://${DOMAIN}/rest/`,
      'auth[server_endpoint]': 'https://oauth.bitrix24.tech/rest/',
      'auth[member_id]': memberId,
      'auth[application_token]': options.applicationToken,
    };
    const delivery: SecondBitrix24Delivery = { event, id, form };
    deliveries.push(delivery);
    const target = eventHandler;
    const sent = (async () => {
      try {
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
          signal: AbortSignal.timeout(10_000),
        });
        delivery.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch {
        // Lost: Bitrix24 logs the failure and never retries (§3.4).
      }
    })();
    pending.add(sent);
    void sent.finally(() => pending.delete(sent));
  }

  // ─── The CRM model (§4) ──────────────────────────────────────────────────────────────────────────────────

  function addCompany(fields: Row): string {
    const id = String(++sequences.company);
    const now = portalDate();
    companies.set(id, {
      TITLE: '',
      COMPANY_TYPE: 'CUSTOMER',
      ASSIGNED_BY_ID: '1',
      ...(stored(fields) as Row),
      ID: id,
      DATE_CREATE: now,
      DATE_MODIFY: now,
    });
    fire('ONCRMCOMPANYADD', id);
    return id;
  }

  function addRequisite(fields: Row): string {
    const entityTypeId = need(fields.ENTITY_TYPE_ID, 'fields[ENTITY_TYPE_ID]');
    const entityId = need(fields.ENTITY_ID, 'fields[ENTITY_ID]');
    const presetId = need(fields.PRESET_ID, 'fields[PRESET_ID]');
    need(fields.NAME, 'fields[NAME]');
    if (entityTypeId === '4' && !companies.has(entityId))
      throw new B24Error(400, 'ERROR_CORE', `Company with ID ${entityId} is not found.`);
    if (!PRESETS.some((preset) => preset.ID === presetId))
      throw new B24Error(400, 'ERROR_CORE', `Preset with ID ${presetId} is not found.`);
    const id = String(++sequences.requisite);
    const now = portalDate();
    requisites.set(id, { ACTIVE: 'Y', SORT: '500', XML_ID: '', ...(stored(fields) as Row), ID: id, DATE_CREATE: now, DATE_MODIFY: now });
    fire('ONCRMREQUISITEADD', id);
    return id;
  }

  function addDeal(fields: Row): string {
    const id = String(++sequences.deal);
    const now = portalDate();
    deals.set(id, {
      TITLE: '',
      STAGE_ID: 'NEW',
      CATEGORY_ID: '0',
      ASSIGNED_BY_ID: '1',
      ...(stored(fields) as Row),
      ID: id,
      DATE_CREATE: now,
      DATE_MODIFY: now,
    });
    fire('ONCRMDEALADD', id);
    return id;
  }

  function updateFlat(store: Map<string, Row>, known: Set<string>, id: string, fields: Row, event: string, what: string): true {
    const row = store.get(id);
    if (!row) throw new B24Error(400, 'NOT_FOUND', `${what} is not found`);
    for (const [key, value] of Object.entries(fields)) {
      if (known.has(key) || key.startsWith('UF_CRM_')) row[key] = stored(value);
      // Unknown keys are ignored silently (§4.1).
    }
    row.DATE_MODIFY = portalDate();
    fire(event, id);
    return true;
  }

  function getFrom(store: Map<string, Row>, params: Row, what: string): Row {
    const row = store.get(idOf(params));
    if (!row) throw new B24Error(400, 'NOT_FOUND', `${what} is not found`);
    return structuredClone(row);
  }

  const methods: Record<string, (params: Row) => Answer> = {
    'crm.company.get': (params) => ({ result: getFrom(companies, params, 'Company') }),
    'crm.company.add': (params) => ({ result: Number(addCompany(fieldsOf(params))) }),
    'crm.company.update': (params) => ({
      result: updateFlat(companies, COMPANY_FIELDS, idOf(params), fieldsOf(params), 'ONCRMCOMPANYUPDATE', 'Company'),
    }),
    'crm.company.list': (params) => list([...companies.values()], params),
    'crm.deal.get': (params) => ({ result: getFrom(deals, params, 'Deal') }),
    'crm.deal.add': (params) => ({ result: Number(addDeal(fieldsOf(params))) }),
    'crm.deal.update': (params) => ({ result: updateFlat(deals, DEAL_FIELDS, idOf(params), fieldsOf(params), 'ONCRMDEALUPDATE', 'Deal') }),
    'crm.deal.list': (params) => list([...deals.values()], params),
    'crm.requisite.get': (params) => ({ result: getFrom(requisites, params, 'Requisite') }),
    'crm.requisite.list': (params) => list([...requisites.values()], params),
    'crm.requisite.add': (params) => ({ result: Number(addRequisite(fieldsOf(params))) }),
    'crm.requisite.update': (params) => {
      const id = idOf(params);
      const fields = fieldsOf(params);
      const row = requisites.get(id);
      if (!row) throw new B24Error(400, 'NOT_FOUND', 'Requisite is not found');
      for (const key of IMMUTABLE_REQUISITE) {
        if (key in fields && String(fields[key]) !== row[key]) {
          throw new B24Error(400, 'ERROR_CORE', `The field ${key} cannot be changed on an existing requisite.`);
        }
      }
      for (const [key, value] of Object.entries(fields)) {
        if (key === 'ID' || key === 'DATE_CREATE' || key === 'DATE_MODIFY') continue;
        row[key] = stored(value);
      }
      row.DATE_MODIFY = portalDate();
      fire('ONCRMREQUISITEUPDATE', id);
      return { result: true };
    },
    'crm.requisite.preset.list': (params) => list(PRESETS, params),
    'crm.address.list': (params) => list(addresses, params),
    'crm.address.add': (params) => {
      const fields = fieldsOf(params);
      const typeId = need(fields.TYPE_ID, 'fields[TYPE_ID]');
      const entityTypeId = need(fields.ENTITY_TYPE_ID, 'fields[ENTITY_TYPE_ID]');
      const entityId = need(fields.ENTITY_ID, 'fields[ENTITY_ID]');
      if (entityTypeId === REQUISITE_OWNER && !requisites.has(entityId)) {
        throw new B24Error(400, 'ERROR_CORE', `Requisite with ID ${entityId} is not found.`);
      }
      if (addresses.some((row) => row.TYPE_ID === typeId && row.ENTITY_TYPE_ID === entityTypeId && row.ENTITY_ID === entityId)) {
        throw new B24Error(400, 'ERROR_CORE', 'TypeAddress exists');
      }
      const address: Row = { TYPE_ID: typeId, ENTITY_TYPE_ID: entityTypeId, ENTITY_ID: entityId };
      for (const key of ADDRESS_FIELDS) address[key] = stored(fields[key]);
      addresses.push(address);
      return { result: true };
    },
    'crm.address.update': (params) => {
      const fields = fieldsOf(params);
      const typeId = need(fields.TYPE_ID, 'fields[TYPE_ID]');
      const entityTypeId = need(fields.ENTITY_TYPE_ID, 'fields[ENTITY_TYPE_ID]');
      const entityId = need(fields.ENTITY_ID, 'fields[ENTITY_ID]');
      const address = addresses.find((row) => row.TYPE_ID === typeId && row.ENTITY_TYPE_ID === entityTypeId && row.ENTITY_ID === entityId);
      if (!address) throw new B24Error(400, 'ERROR_CORE', 'Address is not found');
      // The whole set is replaced: a field left out becomes empty (the reference warns partial updates misbehave).
      for (const key of ADDRESS_FIELDS) address[key] = stored(fields[key]);
      return { result: true };
    },
    'crm.timeline.comment.add': (params) => {
      const fields = fieldsOf(params);
      const entityId = need(fields.ENTITY_ID, 'fields[ENTITY_ID]');
      const entityType = need(fields.ENTITY_TYPE, 'fields[ENTITY_TYPE]').toLowerCase();
      need(fields.COMMENT, 'fields[COMMENT]');
      const owner = entityType === 'company' ? companies : entityType === 'deal' ? deals : undefined;
      if (owner && !owner.has(entityId)) throw new B24Error(400, 'ERROR_CORE', `The ${entityType} with ID ${entityId} is not found.`);
      const id = String(++sequences.comment);
      comments.push({ ...(stored(fields) as Row), ENTITY_TYPE: entityType, ID: id, CREATED: portalDate(), AUTHOR_ID: '1' });
      return { result: Number(id) };
    },
    'tasks.task.add': (params) => {
      const fields = fieldsOf(params);
      const title = need(fields.TITLE, 'fields[TITLE]');
      const responsibleId = need(fields.RESPONSIBLE_ID, 'fields[RESPONSIBLE_ID]');
      const raw = fields.UF_CRM_TASK;
      const links = Array.isArray(raw) ? raw.map(text) : isRecord(raw) ? Object.values(raw).map(text) : raw ? [text(raw)] : [];
      const id = String(++sequences.task);
      const task: Row = {
        id,
        title,
        description: stored(fields.DESCRIPTION),
        responsibleId,
        createdBy: text(fields.CREATED_BY ?? '1'),
        status: '2',
        deadline: fields.DEADLINE === undefined ? null : text(fields.DEADLINE),
        createdDate: portalDate(),
        ufCrmTask: links,
      };
      tasks.push(task);
      return { result: { task: structuredClone(task) } };
    },
  };

  // ─── REST (§2.1) and batch (§7) ───────────────────────────────────────────────────────────────────────────

  function run(method: string, params: Row): Answer {
    const handler = methods[method];
    if (!handler) throw new B24Error(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    return handler(params);
  }

  function lookup(results: Row, path: string[]): unknown {
    let value: unknown = results;
    for (const segment of path) {
      if (Array.isArray(value)) value = value[Number(segment)];
      else if (isRecord(value)) value = value[segment];
      else return undefined;
    }
    return value;
  }

  /** `$result[key][FIELD]` (or `$result[key]`) in a parameter's value: an earlier command's answer. */
  function substitute(value: unknown, results: Row): unknown {
    if (Array.isArray(value)) return value.map((item) => substitute(item, results));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, results)]));
    if (typeof value !== 'string' || !value.includes('$result[')) return value;
    const reference = /\$result((?:\[[^\]]*\])+)/g;
    const pathOf = (brackets: string) => [...brackets.matchAll(/\[([^\]]*)\]/g)].map((part) => part[1]!);
    const whole = /^\$result((?:\[[^\]]*\])+)$/.exec(value);
    if (whole) {
      const found = lookup(results, pathOf(whole[1]!));
      return found === undefined || found === null ? '' : isRecord(found) || Array.isArray(found) ? found : text(found);
    }
    return value.replace(reference, (_text, brackets: string) => {
      const found = lookup(results, pathOf(brackets));
      return found === undefined || found === null || typeof found === 'object' ? '' : text(found);
    });
  }

  function batch(params: Row): Answer {
    const cmd = params.cmd;
    const halt = text(params.halt) === '1' || params.halt === true;
    if (!isRecord(cmd) && !Array.isArray(cmd)) throw new B24Error(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'cmd is required');
    const entries = Object.entries(cmd);
    if (entries.length > BATCH_MAX) throw new B24Error(400, 'ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded (${BATCH_MAX})`);
    const result: Row = {};
    const resultError: Row = {};
    const resultTotal: Row = {};
    const resultNext: Row = {};
    const resultTime: Row = {};
    for (const [key, command] of entries) {
      const startMs = Date.now();
      const line = text(command);
      const mark = line.indexOf('?');
      const method = (mark < 0 ? line : line.slice(0, mark)).trim().replace(/\.json$/, '');
      const inner = substitute(parsePhpQuery(mark < 0 ? '' : line.slice(mark + 1)), result) as Row;
      let status = 200;
      try {
        if (method === 'batch') throw new B24Error(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
        const answer = run(method, inner);
        result[key] = answer.result;
        if (answer.total !== undefined) resultTotal[key] = answer.total;
        if (answer.next !== undefined) resultNext[key] = answer.next;
      } catch (error) {
        const failure = error instanceof B24Error ? error : new B24Error(500, 'INTERNAL_SERVER_ERROR', String(error));
        status = failure.status;
        resultError[key] = { error: failure.code, error_description: failure.description };
      }
      resultTime[key] = timeOf(startMs);
      calls.push({ method, params: inner, encoding: 'batch', status, at: startMs });
      if (halt && status !== 200) break;
    }
    return {
      result: { result, result_error: resultError, result_total: resultTotal, result_next: resultNext, result_time: resultTime },
    };
  }

  /** The leaky bucket of §7: 2 requests/s drain, 50 deep, per portal; a batch is one request. */
  function admit(): boolean {
    const now = Date.now();
    bucket = Math.max(0, bucket - ((now - drainedAt) / 1000) * LEAK_PER_SECOND);
    drainedAt = now;
    if (bucket + 1 > BUCKET) return false;
    bucket += 1;
    return true;
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startMs = Date.now();
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const route = /^\/rest\/(\d+)\/([^/]+)\/([A-Za-z0-9_.]+?)(?:\.json)?\/?$/.exec(url.pathname);
    if (!route) {
      send(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
      return;
    }
    const [, , secret, method] = route as unknown as [string, string, string, string];
    const raw = await readBody(request);
    let params: Row = parsePhpQuery(url.search.slice(1));
    const type = String(request.headers['content-type'] ?? '');
    try {
      if (raw.trim() !== '') {
        if (type.includes('json') || raw.trim().startsWith('{')) {
          const parsed: unknown = JSON.parse(raw);
          if (!isRecord(parsed)) throw new SyntaxError('not an object');
          params = { ...params, ...parsed };
        } else params = { ...params, ...parsePhpQuery(raw) };
      }
    } catch {
      calls.push({ method, params, encoding: 'json', status: 400, at: startMs });
      send(400, { error: 'INVALID_REQUEST', error_description: 'The request body is not valid JSON' });
      return;
    }
    const record = (status: number) => calls.push({ method, params, encoding: 'json', status, at: startMs });
    if (secret !== options.secret) {
      record(401);
      send(401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' });
      return;
    }
    if (!admit()) {
      record(503);
      send(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
      return;
    }
    try {
      const answer = method === 'batch' ? batch(params) : run(method, params);
      record(200);
      send(200, {
        result: answer.result,
        ...(answer.total !== undefined ? { total: answer.total } : {}),
        ...(answer.next !== undefined ? { next: answer.next } : {}),
        time: timeOf(startMs),
      });
    } catch (error) {
      const failure = error instanceof B24Error ? error : new B24Error(500, 'INTERNAL_SERVER_ERROR', String(error));
      record(failure.status);
      send(failure.status, { error: failure.code, error_description: failure.description });
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'INTERNAL_SERVER_ERROR', error_description: String(error) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/1/${options.secret}/`;

  const byOwner = (requisiteId: number) =>
    addresses
      .filter((row) => row.ENTITY_TYPE_ID === REQUISITE_OWNER && row.ENTITY_ID === String(requisiteId))
      .map((row) => structuredClone(row));

  return {
    url: baseUrl,
    memberId,
    applicationToken: options.applicationToken,
    calls,
    callsTo: (method) => calls.filter((call) => call.method === method),
    resetCalls: () => {
      calls.length = 0;
    },
    deliveries,
    settled: async () => {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
    setEventHandlers: (url) => {
      eventHandler = url;
    },
    addCompany: (fields) => Number(addCompany(fields)),
    addRequisite: (fields) => Number(addRequisite(fields)),
    addDeal: (fields) => Number(addDeal(fields)),
    moveDeal: (id, stageId) => {
      const deal = deals.get(String(id));
      if (!deal) throw new Error(`no deal ${id}`);
      deal.STAGE_ID = stageId;
      deal.DATE_MODIFY = portalDate();
      fire('ONCRMDEALUPDATE', String(id));
    },
    company: (id) => (companies.has(String(id)) ? structuredClone(companies.get(String(id))) : undefined),
    requisite: (id) => (requisites.has(String(id)) ? structuredClone(requisites.get(String(id))) : undefined),
    addresses: byOwner,
    deal: (id) => (deals.has(String(id)) ? structuredClone(deals.get(String(id))) : undefined),
    tasks: () => tasks.map((task) => ({ ...structuredClone(task), UF_CRM_TASK: structuredClone(task.ufCrmTask) })),
    comments: (entityType, id) =>
      comments
        .filter((comment) => comment.ENTITY_TYPE === entityType && comment.ENTITY_ID === String(id))
        .map((comment) => structuredClone(comment)),
    close: async () => {
      await Promise.allSettled([...pending]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
