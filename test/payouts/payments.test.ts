import { describe, expect, it } from 'vitest';
import { CREATE_PAYMENT, WRITE, addContractor, withPayouts } from '../support/payouts.ts';

const PAYMENT = /* GraphQL */ `
  query ($id: ID!) {
    payment(id: $id) {
      id
      amount
      amountPaid
      status
      statusId
      statusTitle
      isFinal
      actionNeeded
      statusCheckedAt
      canRepeat
      error {
        message
      }
    }
  }
`;

describe('payouts: idempotent createPayment', () => {
  // A short timeout for the hung-POST case; everything else answers at once.
  const env = withPayouts({ env: { JUMP_TIMEOUT: '1s' } });

  const payoutsWithKey = (key: string) => env.jump.payments().filter((payment) => payment.customer_payment_id === key);

  it('a createPayment whose response is lost is answered by looking the key up; the retry leaves exactly one payout', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'dropResponse' }, ops: ['payments.create'], times: 1 });
    const key = 'order-2026-0001';
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '1500.00', customerPaymentId: key } }, WRITE);
    expect(first.errors).toBeUndefined();
    expect(first.data.createPayment).toMatchObject({
      customerPaymentId: key,
      replayed: false,
      payment: { customerPaymentId: key, amount: '1500.00', status: 'PROCESSING', contractor: { id } },
    });
    // The guard read the card; the POST was carried out but its answer lost (status 0), then the key was looked up —
    // never POSTed again.
    expect(jump.calls.map((call) => `${call.op} ${call.status}`)).toEqual([
      'contractors.get 200',
      'payments.create 0',
      'payments.byCustomerId 200',
    ]);

    const retry = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '1500.00', customerPaymentId: key } }, WRITE);
    expect(retry.data.createPayment).toMatchObject({
      customerPaymentId: key,
      replayed: true,
      payment: { id: first.data.createPayment.payment.id },
    });
    expect(jump.callsTo('payments.create')).toHaveLength(1);
    expect(payoutsWithKey(key)).toHaveLength(1);
  });

  it('when the lookup fails too, the error says the outcome is unknown; the retry with the same key pays once', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'dropResponse' }, ops: ['payments.create'], times: 1 });
    // The GET is retried twice by the client (JUMP_RETRIES=2): three failures exhaust it.
    jump.injectFault({ fault: { kind: 'status', status: 503 }, ops: ['payments.byCustomerId'], times: 3 });
    const key = 'order-2026-0002';
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '250.50', customerPaymentId: key } }, WRITE);
    expect(first.data).toEqual({ createPayment: null });
    expect(first.errors![0]!.extensions).toEqual({
      code: 'VENDOR_UNAVAILABLE',
      vendor: 'jump-finance',
      method: 'payments.create',
      customerPaymentId: key,
      outcomeUnknown: true,
    });
    expect(first.errors![0]!.message).toContain('Retry createPayment with the same customerPaymentId');
    expect(payoutsWithKey(key)).toHaveLength(1);

    const retry = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '250.50', customerPaymentId: key } }, WRITE);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.createPayment).toMatchObject({ customerPaymentId: key, replayed: true, payment: { amount: '250.50' } });
    // The retry looked the pending key up first and found the payout: no second POST.
    expect(jump.callsTo('payments.create')).toHaveLength(1);
    expect(payoutsWithKey(key)).toHaveLength(1);
  });

  it("a retry on another replica (no record of the key) meets the vendor's 422 for the used key and answers that payout", async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const key = 'order-2026-0003';
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '99.99', customerPaymentId: key } }, WRITE);
    expect(first.errors).toBeUndefined();
    const replica = await env.startReplica();
    jump.resetCalls();
    const retry = await replica.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '99.99', customerPaymentId: key } }, WRITE);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.createPayment).toMatchObject({ replayed: true, payment: { id: first.data.createPayment.payment.id } });
    expect(jump.calls.filter((call) => call.op.startsWith('payments.')).map((call) => `${call.op} ${call.status}`)).toEqual([
      'payments.create 422',
      'payments.byCustomerId 200',
    ]);
    expect(payoutsWithKey(key)).toHaveLength(1);
  });

  it('a POST that times out without creating anything is looked up (404) and sent once more with the same key', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'hang' }, ops: ['payments.create'], times: 1 });
    const key = 'order-2026-0004';
    const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '10.00', customerPaymentId: key } }, WRITE);
    expect(result.errors).toBeUndefined();
    expect(result.data.createPayment).toMatchObject({ customerPaymentId: key, replayed: false });
    expect(jump.calls.map((call) => `${call.op} ${call.status}`)).toEqual([
      'contractors.get 200',
      'payments.create 0',
      'payments.byCustomerId 404',
      'payments.create 200',
    ]);
    expect(payoutsWithKey(key)).toHaveLength(1);
  });

  it('concurrent requests with one key pay once', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const key = 'order-2026-0005';
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '42.00', customerPaymentId: key } }, WRITE),
      ),
    );
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    expect(new Set(results.map((result) => result.data.createPayment.payment.id)).size).toBe(1);
    expect(results.filter((result) => !result.data.createPayment.replayed)).toHaveLength(1);
    expect(payoutsWithKey(key)).toHaveLength(1);
  });

  it('a key already used for another contractor or amount is refused', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const key = 'order-2026-0006';
    await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '42.00', customerPaymentId: key } }, WRITE);
    const other = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '43.00', customerPaymentId: key } }, WRITE);
    expect(other.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'customerPaymentId', reason: 'KEY_REUSED' });
    expect(payoutsWithKey(key)).toHaveLength(1);
  });

  it('without a customerPaymentId one is derived from the operation (a version-8 UUID), sent and returned', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const result = await subgraph.gql(
      CREATE_PAYMENT,
      { input: { contractorId: id, amount: '5.00', purpose: 'Оплата услуг', serviceName: 'Курьерская доставка' } },
      WRITE,
    );
    const key = result.data.createPayment.customerPaymentId as string;
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(result.data.createPayment.payment.customerPaymentId).toBe(key);
    expect(payoutsWithKey(key)).toHaveLength(1);
    const read = await subgraph.gql(`{ paymentByCustomerId(customerPaymentId: "${key}") { id purpose serviceName } }`);
    expect(read.data.paymentByCustomerId).toEqual({
      id: result.data.createPayment.payment.id,
      purpose: 'Оплата услуг',
      serviceName: 'Курьерская доставка',
    });
  });

  it('the same operation sent twice with the same x-request-id and no key pays once: the second answer is the replay', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const headers = { ...WRITE, 'x-request-id': 'req-2026-03-02-0001' };
    jump.resetCalls();
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '77.00' } }, headers);
    expect(first.errors).toBeUndefined();
    // sha256("req-2026-03-02-0001:createPayment") as a UUID.
    expect(first.data.createPayment).toMatchObject({ customerPaymentId: 'd509307e-914a-84b7-a0c1-0f82356a1885', replayed: false });
    const second = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '77.00' } }, headers);
    expect(second.data.createPayment).toMatchObject({
      customerPaymentId: 'd509307e-914a-84b7-a0c1-0f82356a1885',
      replayed: true,
      payment: { id: first.data.createPayment.payment.id, amount: '77.00' },
    });
    expect(jump.callsTo('payments.create')).toHaveLength(1);
    expect(payoutsWithKey('d509307e-914a-84b7-a0c1-0f82356a1885')).toHaveLength(1);
  });

  it('two aliased createPayments in one operation get two keys (the response path is part of it) and pay twice', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const twice = /* GraphQL */ `
      mutation Twice($input: CreatePaymentInput!) {
        a: createPayment(input: $input) {
          customerPaymentId
          replayed
        }
        b: createPayment(input: $input) {
          customerPaymentId
          replayed
        }
      }
    `;
    const result = await subgraph.gql(
      twice,
      { input: { contractorId: id, amount: '8.00' } },
      { ...WRITE, 'x-request-id': 'req-2026-03-02-0002' },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      a: { customerPaymentId: '8ee4b23e-0632-843d-9129-459abac0ef10', replayed: false },
      b: { customerPaymentId: '9b754495-b0a0-851d-8aa1-c80b1ad42db4', replayed: false },
    });
    expect(payoutsWithKey('8ee4b23e-0632-843d-9129-459abac0ef10')).toHaveLength(1);
    expect(payoutsWithKey('9b754495-b0a0-851d-8aa1-c80b1ad42db4')).toHaveLength(1);
  });

  it('without the key and without the same x-request-id, a resend is a new payout (as the README warns)', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '9.00' } }, WRITE);
    const second = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '9.00' } }, WRITE);
    expect(second.data.createPayment.replayed).toBe(false);
    expect(second.data.createPayment.customerPaymentId).not.toBe(first.data.createPayment.customerPaymentId);
    expect(jump.payments().filter((payment) => (payment.contractor as { id: string }).id === id)).toHaveLength(2);
  });

  it('a vendor refusal (unknown contractor) leaves the key free for a corrected retry', async () => {
    const { jump, subgraph } = env;
    const key = 'order-2026-0007';
    const refused = await subgraph.gql(
      CREATE_PAYMENT,
      { input: { contractorId: '777777', amount: '5.00', customerPaymentId: key } },
      WRITE,
    );
    // The guard (warn) looks the contractor up first: NOT_FOUND, and no POST at all.
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const id = String(addContractor(jump));
    const ok = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '5.00', customerPaymentId: key } }, WRITE);
    expect(ok.data.createPayment).toMatchObject({ replayed: false, customerPaymentId: key });
  });
});

describe('payouts: an answer about another record than asked is VENDOR_BAD_RESPONSE, never an answer', () => {
  // Such answers count against the circuit breaker (the vendor misbehaves); here they are half the calls, so the
  // breaker is kept from opening to see each one's own handling.
  const env = withPayouts({ env: { JUMP_TIMEOUT: '1s', JUMP_BREAKER_MIN_CALLS: '1000' } });
  const BAD = (method: string) => ({ code: 'VENDOR_BAD_RESPONSE', vendor: 'jump-finance', method });

  it('payment(id) answered with another payout: an error, nothing stored, the next read asks again', async () => {
    const { jump, subgraph } = env;
    const paymentId = String(jump.addPayment({ contractorId: addContractor(jump), amount: '15.00' }));
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['payments.get'], times: 1 });
    const wrong = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(wrong.data).toEqual({ payment: null });
    expect(wrong.errors![0]!.message).toBe('Jump.Finance payments.get answered about another record than the one asked for');
    expect(wrong.errors![0]!.extensions).toEqual(BAD('payments.get'));
    const right = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(right.data.payment).toMatchObject({ id: paymentId, amount: '15.00' });
    expect(jump.callsTo('payments.get').map((call) => `${call.path} ${call.status}`)).toEqual([
      `/payments/${paymentId} 200`,
      `/payments/${paymentId} 200`,
    ]);
  });

  it("contractor(id) answered with another contractor's card: an error, nothing cached, the next read asks again", async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump, { last_name: 'Верный' }));
    addContractor(jump, { last_name: 'Чужой' });
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['contractors.get'], times: 1 });
    const wrong = await subgraph.gql(`{ contractor(id: "${id}") { id lastName } }`);
    expect(wrong.data).toEqual({ contractor: null });
    expect(wrong.errors![0]!.extensions).toEqual(BAD('contractors.get'));
    const right = await subgraph.gql(`{ contractor(id: "${id}") { id lastName } }`);
    expect(right.data.contractor).toEqual({ id, lastName: 'Верный' });
    expect(jump.callsTo('contractors.get')).toHaveLength(2);
  });

  it('paymentByCustomerId answered with a payout under another key: an error, not the payout', async () => {
    const { jump, subgraph } = env;
    const paymentId = String(jump.addPayment({ contractorId: addContractor(jump), amount: '16.00', customer_payment_id: 'bad-answer-1' }));
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['payments.byCustomerId'], times: 1 });
    const query = '{ paymentByCustomerId(customerPaymentId: "bad-answer-1") { id customerPaymentId } }';
    const wrong = await subgraph.gql(query);
    expect(wrong.data).toEqual({ paymentByCustomerId: null });
    expect(wrong.errors![0]!.extensions).toEqual(BAD('payments.byCustomerId'));
    expect((await subgraph.gql(query)).data.paymentByCustomerId).toEqual({ id: paymentId, customerPaymentId: 'bad-answer-1' });
    expect(jump.callsTo('payments.byCustomerId')).toHaveLength(2);
  });

  it('inside createPayment, a garbled by-key lookup after a lost answer is "outcome unknown", never "not found": no second POST', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const key = 'bad-answer-2';
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'dropResponse' }, ops: ['payments.create'], times: 1 });
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['payments.byCustomerId'], times: 1 });
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '17.00', customerPaymentId: key } }, WRITE);
    expect(first.data).toEqual({ createPayment: null });
    expect(first.errors![0]!.extensions).toEqual({
      code: 'VENDOR_BAD_RESPONSE',
      vendor: 'jump-finance',
      method: 'payments.create',
      customerPaymentId: key,
      outcomeUnknown: true,
    });
    expect(jump.calls.map((call) => `${call.op} ${call.status}`)).toEqual([
      'contractors.get 200',
      'payments.create 0',
      'payments.byCustomerId 200',
    ]);
    const created = jump.payments().filter((payment) => payment.customer_payment_id === key);
    expect(created).toHaveLength(1);

    // The retry with the same key looks it up first and answers the payout the lost POST created.
    const retry = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '17.00', customerPaymentId: key } }, WRITE);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.createPayment).toMatchObject({
      customerPaymentId: key,
      replayed: true,
      payment: { id: created[0]!.id, amount: '17.00' },
    });
    expect(jump.callsTo('payments.create')).toHaveLength(1);
  });

  it('a POST /payments answered with a payout under another key is looked up by our key, not taken', async () => {
    const { jump, subgraph } = env;
    const id = String(addContractor(jump));
    const key = 'bad-answer-3';
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'otherItem' }, ops: ['payments.create'], times: 1 });
    const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '18.00', customerPaymentId: key } }, WRITE);
    expect(result.errors).toBeUndefined();
    const created = jump.payments().filter((payment) => payment.customer_payment_id === key);
    expect(created).toHaveLength(1);
    expect(result.data.createPayment).toMatchObject({
      customerPaymentId: key,
      replayed: false,
      payment: { id: created[0]!.id, customerPaymentId: key },
    });
    expect(jump.calls.map((call) => `${call.op} ${call.status}`)).toEqual([
      'contractors.get 200',
      'payments.create 200',
      'payments.byCustomerId 200',
    ]);
  });
});

describe('payouts: status polling etiquette, repeatPayment, paymentByCustomerId', () => {
  const env = withPayouts({ jump: { processingMs: 30_000 } });

  it('a payout that is not final is read from the vendor at most once a minute; a final one not again', async () => {
    const { jump, subgraph, clock } = env;
    const id = String(addContractor(jump));
    const created = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '100.10' } }, WRITE);
    const paymentId = created.data.createPayment.payment.id as string;
    const createdAt = new Date(clock.t).toISOString();
    jump.resetCalls();

    // 45 s later the vendor has paid it, but the status read at creation is younger than a minute: no call.
    clock.advance(45_000);
    const early = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(early.data.payment).toMatchObject({
      status: 'PROCESSING',
      statusId: 3,
      statusTitle: 'в обработке',
      isFinal: false,
      statusCheckedAt: createdAt,
    });
    expect(jump.calls).toHaveLength(0);

    // A minute after the last read: one GET, however many ask at once.
    clock.advance(15_000);
    const [a, b, c] = await Promise.all([
      subgraph.gql(PAYMENT, { id: paymentId }),
      subgraph.gql(PAYMENT, { id: paymentId }),
      subgraph.gql(PAYMENT, { id: paymentId }),
    ]);
    expect(jump.callsTo('payments.get')).toHaveLength(1);
    for (const result of [a, b, c]) {
      expect(result.data.payment).toMatchObject({
        amount: '100.10',
        amountPaid: '100.10',
        status: 'PAID',
        statusId: 1,
        statusTitle: 'оплачен',
        isFinal: true,
        actionNeeded: false,
      });
    }
    expect(a.data.payment.statusCheckedAt).toBe(new Date(clock.t).toISOString());

    // Final: kept for long, never read again.
    clock.advance(7 * 86_400_000);
    expect((await subgraph.gql(PAYMENT, { id: paymentId })).data.payment.status).toBe('PAID');
    expect(jump.callsTo('payments.get')).toHaveLength(1);
  });

  it('a payout waiting for confirmation (…,44) is action-needed and read again only every 15 minutes', async () => {
    const { jump, subgraph, clock } = env;
    const paymentId = String(jump.addPayment({ contractorId: addContractor(jump), amount: '500.44' }));
    jump.resetCalls();
    const first = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(first.data.payment).toMatchObject({ status: 'AWAITING_CONFIRMATION', statusId: 4, isFinal: false, actionNeeded: true });
    clock.advance(5 * 60_000);
    await subgraph.gql(PAYMENT, { id: paymentId });
    expect(jump.callsTo('payments.get')).toHaveLength(1);
    clock.advance(10 * 60_000);
    await subgraph.gql(PAYMENT, { id: paymentId });
    expect(jump.callsTo('payments.get')).toHaveLength(2);
  });

  it('a list read counts as a status read: payment(id) right after it costs nothing', async () => {
    const { jump, subgraph } = env;
    const paymentId = String(jump.addPayment({ contractorId: addContractor(jump), amount: '12.00' }));
    const list = await subgraph.gql('{ payments(first: 1) { edges { node { id status } } } }');
    expect(list.data.payments.edges[0].node.id).toBe(paymentId);
    jump.resetCalls();
    expect((await subgraph.gql(PAYMENT, { id: paymentId })).data.payment.status).toBe('PROCESSING');
    expect(jump.calls).toHaveLength(0);
  });

  it('repeatPayment repeats a failed payout (…,13) and refuses one that cannot be repeated', async () => {
    const { jump, subgraph, clock } = env;
    const id = String(addContractor(jump));
    const created = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: id, amount: '300.13' } }, WRITE);
    const paymentId = created.data.createPayment.payment.id as string;

    // Repeating a payout that is still processing is refused by the subgraph (abilities.can_repeat), no POST.
    jump.resetCalls();
    const tooEarly = await subgraph.gql(`mutation { repeatPayment(id: "${paymentId}") { id } }`, {}, WRITE);
    expect(tooEarly.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', paymentId, statusId: 3 });
    expect(jump.callsTo('payments.repeat')).toHaveLength(0);

    clock.advance(60_000);
    const failed = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(failed.data.payment).toMatchObject({
      status: 'FAILED',
      statusId: 5,
      isFinal: false,
      actionNeeded: true,
      canRepeat: true,
      error: { message: 'Банк-эмитент отклонил операцию' },
    });

    const repeated = await subgraph.gql(
      `mutation { repeatPayment(id: "${paymentId}") { id status isFinal history { message } } }`,
      {},
      WRITE,
    );
    expect(repeated.errors).toBeUndefined();
    expect(repeated.data.repeatPayment).toMatchObject({ id: paymentId, status: 'PROCESSING', isFinal: false });
    expect(repeated.data.repeatPayment.history[0]).toEqual({ message: 'Повтор выплаты' });
    expect(jump.callsTo('payments.repeat')).toHaveLength(1);

    clock.advance(60_000);
    const paid = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(paid.data.payment).toMatchObject({ status: 'PAID', isFinal: true, canRepeat: false, error: null });
    const again = await subgraph.gql(`mutation { repeatPayment(id: "${paymentId}") { id } }`, {}, WRITE);
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', statusId: 1 });
    expect(jump.callsTo('payments.repeat')).toHaveLength(1);

    const missing = await subgraph.gql('mutation { repeatPayment(id: "1") { id } }', {}, WRITE);
    expect(missing.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('a rejected payout (…,66) is final with its error', async () => {
    const { jump, subgraph, clock } = env;
    const paymentId = String(jump.addPayment({ contractorId: addContractor(jump), amount: '1.66' }));
    clock.advance(31_000);
    const result = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(result.data.payment).toMatchObject({
      status: 'REJECTED',
      statusId: 2,
      statusTitle: 'отклонён',
      isFinal: true,
      error: { message: 'Выплата отклонена банком получателя' },
    });
  });

  it('paymentByCustomerId finds a payout by our key (URL-encoded in the path), null for an unknown one', async () => {
    const { jump, subgraph, clock } = env;
    const contractorId = addContractor(jump, {
      legal_form_id: 2,
      inn: '001234567887',
      company_agrees_pay_taxes: true,
      selfEmployed: { is_verified: true, is_can_pay_taxes: true },
    });
    const key = 'inv 2026:03 [a]@b~{c}';
    const paymentId = String(jump.addPayment({ contractorId, amount: '1000.00', customer_payment_id: key }));
    clock.advance(31_000);
    jump.resetCalls();
    const query =
      'query ($key: String!) { paymentByCustomerId(customerPaymentId: $key) { id customerPaymentId amount amountPaid taxAmount status receipt { status canCancel link } } }';
    const found = await subgraph.gql(query, { key });
    expect(found.errors).toBeUndefined();
    expect(found.data.paymentByCustomerId).toMatchObject({
      id: paymentId,
      customerPaymentId: key,
      amount: '1000.00',
      amountPaid: '940.00',
      taxAmount: '60.00',
      status: 'PAID',
      receipt: { status: 'active', canCancel: true },
    });
    expect(found.data.paymentByCustomerId.receipt.link).toMatch(/^https:\/\/lknpd\.nalog\.ru\//);
    expect(jump.calls[0]!.path).toBe(`/payments/customer-payment/${encodeURIComponent(key)}`);
    // Known now: the next read goes through the stored id (final → no call at all).
    jump.resetCalls();
    expect((await subgraph.gql(query, { key })).data.paymentByCustomerId.id).toBe(paymentId);
    expect(jump.calls).toHaveLength(0);
    expect((await subgraph.gql(query, { key: 'no-such-key' })).data.paymentByCustomerId).toBeNull();
    expect((await subgraph.gql(query, { key: 'a/b' })).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});

describe('payouts: a failed status refresh', () => {
  const env = withPayouts({ env: { JUMP_RETRIES: '0' }, jump: { processingMs: 30_000 } });

  it("answers the stored status, and counts as this minute's read: the vendor is asked again a minute after the attempt", async () => {
    const { jump, subgraph, clock } = env;
    const paymentId = String(jump.addPayment({ contractorId: addContractor(jump), amount: '70.00' }));
    const first = await subgraph.gql(PAYMENT, { id: paymentId });
    const readAt = new Date(clock.t).toISOString();
    expect(first.data.payment).toMatchObject({ status: 'PROCESSING', statusCheckedAt: readAt });

    clock.advance(60_000);
    jump.resetCalls();
    jump.injectFault({ fault: { kind: 'status', status: 503 }, ops: ['payments.get'] });
    const stale = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(stale.errors).toBeUndefined();
    expect(stale.data.payment).toMatchObject({ status: 'PROCESSING', isFinal: false, statusCheckedAt: readAt });
    expect(jump.callsTo('payments.get')).toHaveLength(1);

    jump.clearFaults();
    clock.advance(59_000);
    expect((await subgraph.gql(PAYMENT, { id: paymentId })).data.payment).toMatchObject({ status: 'PROCESSING', statusCheckedAt: readAt });
    expect(jump.callsTo('payments.get')).toHaveLength(1);

    clock.advance(1_000);
    const fresh = await subgraph.gql(PAYMENT, { id: paymentId });
    expect(fresh.data.payment).toMatchObject({ status: 'PAID', isFinal: true, statusCheckedAt: new Date(clock.t).toISOString() });
    expect(jump.callsTo('payments.get')).toHaveLength(2);
  });
});
