/** The emulator's payouts: list with the [1C] filters, create (customer_payment_id unique), reads, repeat. */
import { looksLikeCardNumber } from '../vendor/card.ts';
import { isLosslessNumber } from '../vendor/json.ts';
import { kopecksOf } from '../../../domain/money.ts';
import {
  badRequest,
  CUSTOMER_PAYMENT_ID,
  formatAmount,
  includes,
  intField,
  invalid,
  json,
  NO_CARD,
  notFound,
  paginate,
  textField,
  type ApiRequest,
  type FieldError,
  type Reply,
  type Route,
} from './http.ts';
import type { JumpState } from './state.ts';

export const PAYMENT_ROUTES: Route[] = [
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
];

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

function repeatPayment(request: ApiRequest, state: JumpState, [id]: string[]): Reply {
  const payment = state.payments.get(Number(id));
  if (!payment) return notFound();
  if (!state.canRepeat(payment)) return badRequest('Выплату нельзя повторить');
  state.repeat(payment);
  return json(200, { item: state.renderPayment(payment, includes(request)) });
}
