/** The emulator's contractors: upsert by phone, cards, requisites, balances, self-employed state, identification; groups and agents. */
import {
  errorReply,
  includes,
  intField,
  invalid,
  json,
  NO_CONTENT,
  notFound,
  paginate,
  PHONE,
  textField,
  withContractor,
  type ApiRequest,
  type FieldError,
  type Reply,
  type Route,
} from './http.ts';
import type { ContractorSeed, ContractorState, JumpState, LegalFormId } from './state.ts';

export const CONTRACTOR_ROUTES: Route[] = [
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
