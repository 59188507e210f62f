import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJsonNumbersAsText } from '../../src/modules/payouts/vendor/json.ts';
import { startJumpEmulator, type JumpEmulator } from '../../src/modules/payouts/emulator/server.ts';
import { TestClock } from '../support/payouts.ts';

const KEY = 'emulator-key-0123456789';

describe("the Jump.Finance emulator speaks the vendor's conventions", () => {
  let jump: JumpEmulator;
  const clock = new TestClock();

  beforeAll(async () => {
    jump = await startJumpEmulator({ apiKey: KEY, now: clock.now });
  });
  afterAll(async () => jump?.close());

  /** Raw exchange; numbers come back as their exact text. */
  async function call(method: string, path: string, body?: unknown, key: string | null = KEY) {
    const response = await fetch(`${jump.url}${path}`, {
      method,
      headers: { accept: 'application/json', 'content-type': 'application/json', ...(key ? { 'client-key': key } : {}) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (parseJsonNumbersAsText(text) as any) : undefined };
  }

  it('refuses a missing or wrong Client-Key with the standard 401 body; accepts client_key in the query', async () => {
    for (const key of [null, 'nope']) {
      const response = await call('GET', '/contractors', undefined, key);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: { title: 'Ошибка авторизации', detail: 'Требуется авторизация', fields: null, code: '401' } });
    }
    const viaQuery = await fetch(`${jump.url}/groups?client_key=${KEY}`);
    expect(viaQuery.status).toBe(200);
  });

  it("pages: {items, meta, links} with Laravel's meta and links; an empty page has from/to null", async () => {
    const page = await call('GET', '/contractors?page=2&per_page=3');
    expect(page.status).toBe(200);
    expect(page.body.meta).toEqual({ total: '4', from: '4', to: '4', per_page: '3', current_page: '2', last_page: '2' });
    expect(page.body.links).toEqual({
      path: `${jump.url}/contractors`,
      first_page_url: `${jump.url}/contractors?page=1`,
      last_page_url: `${jump.url}/contractors?page=2`,
      next_page_url: null,
      prev_page_url: `${jump.url}/contractors?page=1`,
    });
    expect(page.body.items.map((item: { id: string }) => item.id)).toEqual(['4']);
    const beyond = await call('GET', '/contractors?page=5&per_page=3');
    expect(beyond.body.items).toEqual([]);
    expect(beyond.body.meta).toEqual({ total: '4', from: null, to: null, per_page: '3', current_page: '5', last_page: '2' });
  });

  it('per_page outside its enum and page < 1 are 422 with field errors', async () => {
    const response = await call('GET', '/payments?per_page=40&page=0');
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        title: 'Ошибка',
        detail: 'The given data was invalid.',
        fields: [
          { field: 'page', messages: ['Значение поля page должно быть не меньше 1.'] },
          { field: 'per_page', messages: ['Выбранное значение для per page ошибочно.'] },
        ],
        code: '422',
      },
    });
  });

  it('single reads are {item}; unknown ids 404 with the standard body', async () => {
    const contractor = await call('GET', '/contractors/1');
    expect(contractor.body.item).toMatchObject({
      id: '1',
      phone: '+79031112233',
      legal_form_id: '2',
      balance: { value: '0', currency: { code: 'RUB' } },
      legal_form: { id: '2', title: 'Самозанятый', is_self_employed: true },
      is_editable: true,
    });
    expect(contractor.body.item.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    const missing = await call('GET', '/contractors/999');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: { title: 'Ошибка', detail: 'Ресурс не найден', fields: null, code: '404' } });
  });

  it('POST /contractors upserts by phone; PUT answers a bare contractor; DELETE answers 204', async () => {
    const body = { phone: '+79995550000', last_name: 'Новый', first_name: 'Исполнитель', legal_form_id: 1, agent_id: 1, group_id: 1 };
    const created = await call('POST', '/contractors', body);
    expect(created.status).toBe(200);
    const again = await call('POST', '/contractors', { ...body, first_name: 'Обновлённый' });
    expect(again.body.item.id).toBe(created.body.item.id);
    expect(again.body.item.first_name).toBe('Обновлённый');
    const bad = await call('POST', '/contractors', { ...body, phone: '89995550000', legal_form_id: 2 });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual([
      { field: 'phone', messages: ['Поле телефон имеет ошибочный формат.'] },
      { field: 'inn', messages: ['Поле ИНН обязательно для заполнения.'] },
    ]);
    const put = await call('PUT', `/contractors/${created.body.item.id}`, { ...body, last_name: 'Заменённый' });
    expect(put.status).toBe(200);
    expect(put.body.item).toBeUndefined();
    expect(put.body).toMatchObject({ id: created.body.item.id, last_name: 'Заменённый' });
    const deleted = await call('DELETE', `/contractors/${created.body.item.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expect((await call('GET', `/contractors/${created.body.item.id}`)).status).toBe(404);
  });

  it('a payout is created as "в обработке" with money as exact JSON numbers, and paid after processing', async () => {
    const created = await call('POST', '/payments?include=abilities,history', {
      contractor_id: 2,
      amount: 100.1,
      customer_payment_id: 'emu-1',
      payment_purpose: 'Оплата',
    });
    expect(created.status).toBe(200);
    expect(created.body.item).toMatchObject({
      amount: '100.1',
      amount_paid: '0',
      is_final: false,
      status: { id: '3', title: 'в обработке', theme: 'warning' },
      customer_payment_id: 'emu-1',
      payment_purpose: 'Оплата',
      contractor: { id: '2', phone: '+79161234567', full_name: 'Введенский Михаил Сергеевич', short_name: 'Введенский М.С.' },
      abilities: { can_repeat: false },
      error: null,
      paid_at: null,
    });
    expect(created.body.item.history.map((entry: { message: string }) => entry.message)).toEqual([
      'Поставлен в очередь',
      'Создан. OpenAPI (id:1)',
    ]);
    // No include → no optional blocks.
    const plain = await call('GET', `/payments/${created.body.item.id}`);
    expect(plain.body.item.history).toBeUndefined();
    expect(plain.body.item.abilities).toBeUndefined();
    clock.advance(30_000);
    const paid = await call('GET', `/payments/${created.body.item.id}`);
    expect(paid.body.item).toMatchObject({ is_final: true, status: { id: '1', title: 'оплачен', theme: 'success' }, amount_paid: '100.1' });
  });

  it('a used customer_payment_id is the 422 with the customer_payment_id field', async () => {
    const response = await call('POST', '/payments', { contractor_id: 2, amount: 5, customer_payment_id: 'emu-1' });
    expect(response.status).toBe(422);
    expect(response.body).toEqual({
      error: {
        title: 'Ошибка',
        detail: 'The given data was invalid.',
        fields: [{ field: 'customer_payment_id', messages: ['Такое значение поля customer payment id уже существует.'] }],
        code: '422',
      },
    });
  });

  it('payout validation: amount, card numbers in text, requisite', async () => {
    const response = await call('POST', '/payments', {
      contractor_id: 2,
      amount: 1.005,
      payment_purpose: 'карта 4111 1111 1111 1111',
      customer_payment_id: 'a/b',
      requisite_id: 1,
    });
    expect(response.status).toBe(422);
    expect(response.body.error.fields).toEqual([
      { field: 'amount', messages: ['Поле amount должно быть числом с не более чем двумя знаками после запятой.'] },
      { field: 'customer_payment_id', messages: ['Поле customer payment id содержит недопустимые символы.'] },
      { field: 'payment_purpose', messages: ['Поле payment purpose не должно содержать номер банковской карты.'] },
      { field: 'requisite_id', messages: ['Выбранное значение для requisite id некорректно.'] },
    ]);
  });

  it('GET /payments/customer-payment/{id} reads the URL-encoded key', async () => {
    await call('POST', '/payments', { contractor_id: 2, amount: 7, customer_payment_id: 'a b:[c]' });
    const found = await call('GET', `/payments/customer-payment/${encodeURIComponent('a b:[c]')}`);
    expect(found.status).toBe(200);
    expect(found.body.item.customer_payment_id).toBe('a b:[c]');
    expect((await call('GET', '/payments/customer-payment/nope')).status).toBe(404);
  });

  it('POST …/selfemployer/sync more often than every 30 s is a 429 with Retry-After', async () => {
    const first = await call('POST', '/contractors/1/selfemployer/sync');
    expect(first.status).toBe(200);
    expect(first.body.item.sync).toEqual({ in_process: true });
    clock.advance(12_000);
    const second = await call('POST', '/contractors/1/selfemployer/sync');
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('18');
    expect(second.body).toEqual({ error: { title: 'Ошибка', detail: 'Too Many Attempts.', fields: null, code: '429' } });
    clock.advance(18_000);
    expect((await call('POST', '/contractors/1/selfemployer/sync')).status).toBe(200);
    // Not a self-employed contractor: 404.
    expect((await call('GET', '/contractors/2/selfemployer')).status).toBe(404);
  });

  it('repeat: only a failed payout (…,13) may be repeated; 400 otherwise', async () => {
    const created = await call('POST', '/payments', { contractor_id: 4, amount: '10.13' });
    expect((await call('POST', `/payments/${created.body.item.id}/repeat`)).status).toBe(400);
    clock.advance(30_000);
    const failed = await call('GET', `/payments/${created.body.item.id}?include=abilities`);
    expect(failed.body.item).toMatchObject({
      status: { id: '5', title: 'ошибка выплаты' },
      is_final: false,
      abilities: { can_repeat: true },
      error: 'Банк-эмитент отклонил операцию',
    });
    const repeated = await call('POST', `/payments/${created.body.item.id}/repeat`);
    expect(repeated.body.item.status.id).toBe('3');
    clock.advance(30_000);
    expect((await call('GET', `/payments/${created.body.item.id}`)).body.item.status.id).toBe('1');
  });

  it('faults and the clock can be driven over HTTP; the call log records every call', async () => {
    const base = jump.url.replace('/services/openapi', '');
    const added = await fetch(`${base}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ fault: { kind: 'status', status: 503 }, ops: ['groups.list'], times: 1 }),
    });
    expect(added.status).toBe(204);
    const bad = await fetch(`${base}/__emulator/faults`, { method: 'POST', body: JSON.stringify({ fault: { kind: 'nope' } }) });
    expect(bad.status).toBe(400);
    expect((await call('GET', '/groups')).status).toBe(503);
    expect((await call('GET', '/groups')).status).toBe(200);
    const before = jump.now();
    const advanced = await fetch(`${base}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 60_000 }) });
    expect(((await advanced.json()) as { now: number }).now).toBe(before + 60_000);
    const log = (await (await fetch(`${base}/__emulator/calls`)).json()) as Array<{ op: string; status: number }>;
    expect(log.slice(-2).map((entry) => `${entry.op} ${entry.status}`)).toEqual(['groups.list 503', 'groups.list 200']);
  });

  it('faults about what the client believes: echoKey, errorBody, otherItem', async () => {
    jump.injectFault({ fault: { kind: 'echoKey' }, ops: ['groups.list'], times: 1 });
    const echoed = await call('GET', '/groups');
    expect(echoed.status).toBe(422);
    expect(echoed.headers.get('x-echo-client-key')).toBe(KEY);
    expect(echoed.body.error.title).toBe(`Ошибка ключа ${KEY}`);
    expect(echoed.body.error.detail.indexOf(KEY)).toBe(180);
    expect(echoed.body.error.fields).toEqual([{ field: 'client_key', messages: [`Ключ ${KEY} недействителен.`] }]);
    jump.injectFault({ fault: { kind: 'echoKey', status: 401 }, ops: ['groups.list'], times: 1 });
    expect((await call('GET', '/groups')).status).toBe(401);

    jump.injectFault({
      fault: { kind: 'errorBody', status: 409, error: { title: 'Конфликт', fields: [{ field: 'x', messages: ['y'] }] } },
      ops: ['groups.list'],
      times: 1,
    });
    const written = await call('GET', '/groups');
    expect(written.status).toBe(409);
    expect(written.body).toEqual({ error: { title: 'Конфликт', fields: [{ field: 'x', messages: ['y'] }] } });
    expect(() => jump.injectFault({ fault: { kind: 'errorBody', status: 200, error: {} } })).toThrow(
      'errorBody.status must be an integer from 400 to 599',
    );

    // otherItem: the call is carried out and the answer is about another record.
    const created = await call('POST', '/payments', { contractor_id: 2, amount: 3, customer_payment_id: 'emu-other' });
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['payments.byCustomerId'], times: 1 });
    const other = await call('GET', '/payments/customer-payment/emu-other');
    expect(other.status).toBe(200);
    expect(other.body.item).toMatchObject({
      id: String(Number(created.body.item.id) + 1),
      customer_payment_id: 'emu-other-other',
      amount: '3',
    });
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['contractors.get'], times: 1 });
    expect((await call('GET', '/contractors/2')).body.item.id).toBe('3');
    expect((await call('GET', '/contractors/2')).body.item.id).toBe('2');
  });

  it('the sandbox seed: four contractors (self-employed, active IP, dissolved IP, individual) and three payouts', () => {
    const contractors = jump.contractors();
    expect(contractors.slice(0, 4).map((contractor) => [contractor.id, contractor.legal_form_id, contractor.inn])).toEqual([
      ['1', '2', '001234567887'],
      ['2', '3', '366512608416'],
      ['3', '3', '772800001280'],
      ['4', '1', null],
    ]);
    expect(
      jump
        .payments()
        .slice(0, 3)
        .map((payment) => payment.customer_payment_id),
    ).toEqual(['demo-0001', 'demo-0002', 'demo-0003']);
  });
});
