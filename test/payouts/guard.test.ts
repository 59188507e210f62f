import { describe, expect, it } from 'vitest';
import type { TestSubgraph } from '../support/subgraph.ts';
import { CREATE_PAYMENT, WRITE, addContractor, withPayouts } from '../support/payouts.ts';

/** In the Focus emulator's synthetic registry: a sole proprietor dissolved on 2024-02-26 (one registration). */
const DISSOLVED_IP = '772800001280';
const DISSOLVED_TEXT = 'Индивидуальный предприниматель прекратил деятельность в связи с принятием им соответствующего решения';
/** A real captured sole proprietor, active. */
const ACTIVE_IP = '366512608416';

const DISSOLVED_FINDING = {
  code: 'REGISTRY_LIQUIDATED',
  message: `The sole proprietor's registration is dissolved since 2024-02-26: ${DISSOLVED_TEXT}`,
  source: 'KONTUR_FOCUS',
};

describe('the counterparty guard before createPayment', () => {
  // The main subgraph runs with the default PAYOUT_GUARD (warn); replicas with block and off share the emulators.
  const env = withPayouts();
  let block: TestSubgraph;
  let off: TestSubgraph;
  const ids = { dissolved: 0, active: 0, unknown: 0, selfEmployed: 0, verified: 0, individual: 0 };

  it('sets up contractors and guards', async () => {
    const { jump } = env;
    ids.dissolved = addContractor(jump, { legal_form_id: 3, inn: DISSOLVED_IP, last_name: 'Дмитриев', first_name: 'Василий' });
    ids.active = addContractor(jump, { legal_form_id: 3, inn: ACTIVE_IP });
    ids.unknown = addContractor(jump, { legal_form_id: 3, inn: '001234567887' });
    ids.selfEmployed = addContractor(jump, { legal_form_id: 2, inn: '001234567887', company_agrees_pay_taxes: true });
    ids.verified = addContractor(jump, {
      legal_form_id: 2,
      inn: '001234567887',
      company_agrees_pay_taxes: true,
      selfEmployed: { is_verified: true, is_can_pay_taxes: true },
    });
    ids.individual = addContractor(jump);
    block = await env.startReplica({ PAYOUT_GUARD: 'block' });
    off = await env.startReplica({ PAYOUT_GUARD: 'off' });
  });

  it('block refuses a payout to a sole proprietor whose registration is dissolved, with the reason, and pays nothing', async () => {
    const { jump } = env;
    jump.resetCalls();
    const result = await block.gql(
      CREATE_PAYMENT,
      { input: { contractorId: String(ids.dissolved), amount: '5000.00', customerPaymentId: 'guard-1' } },
      WRITE,
    );
    expect(result.data).toEqual({ createPayment: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.extensions).toEqual({
      code: 'COUNTERPARTY_CHECK_FAILED',
      contractorId: String(ids.dissolved),
      reasons: [DISSOLVED_FINDING],
    });
    expect(result.errors![0]!.message).toBe(`Payout refused by the counterparty check (PAYOUT_GUARD=block): ${DISSOLVED_FINDING.message}`);
    expect(jump.callsTo('payments.create')).toHaveLength(0);
    expect(jump.payments()).toHaveLength(0);
  });

  it('warn lets it through with the finding attached', async () => {
    const { jump, subgraph } = env;
    const result = await subgraph.gql(
      CREATE_PAYMENT,
      { input: { contractorId: String(ids.dissolved), amount: '5000.00', customerPaymentId: 'guard-2' } },
      WRITE,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.createPayment).toMatchObject({
      replayed: false,
      warnings: [DISSOLVED_FINDING],
      payment: { amount: '5000.00', status: 'PROCESSING' },
    });
    expect(jump.callsTo('payments.create')).toHaveLength(1);
  });

  it('off checks nothing: no card read, no registry call', async () => {
    const { jump, focus } = env;
    jump.resetCalls();
    focus.resetCalls();
    const result = await off.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.dissolved), amount: '1.00' } }, WRITE);
    expect(result.data.createPayment.warnings).toEqual([]);
    expect(jump.calls.map((call) => call.op)).toEqual(['payments.create']);
    expect(focus.calls).toHaveLength(0);
  });

  it('the check costs nothing extra when the company is cached', async () => {
    const { jump, focus, subgraph } = env;
    // The contractor's company, read through the graph, fills the same cache the guard reads.
    const card = await subgraph.gql(`{ contractor(id: "${ids.active}") { company { inn status { code } } } }`);
    expect(card.data.contractor.company).toEqual({ inn: ACTIVE_IP, status: { code: 'ACTIVE' } });
    focus.resetCalls();
    jump.resetCalls();
    const result = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.active), amount: '10.00' } }, WRITE);
    expect(result.data.createPayment.warnings).toEqual([]);
    expect(focus.calls).toHaveLength(0);
    // The card is cached too: the payout is the only Jump.Finance call.
    expect(jump.calls.map((call) => call.op)).toEqual(['payments.create']);
  });

  it('an INN the registry does not know is a finding', async () => {
    const result = await env.subgraph.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.unknown), amount: '10.00' } }, WRITE);
    expect(result.data.createPayment.warnings).toEqual([
      { code: 'NOT_IN_REGISTRY', message: 'INN 001234567887 is not in the registry of sole proprietors (EGRIP)', source: 'KONTUR_FOCUS' },
    ]);
  });

  it('a self-employed contractor is checked by the stored self-employed status, not by the registry', async () => {
    const { jump, focus, subgraph } = env;
    focus.resetCalls();
    jump.resetCalls();
    const unverified = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.selfEmployed), amount: '10.00' } }, WRITE);
    expect(unverified.data.createPayment.warnings).toEqual([
      {
        code: 'SELF_EMPLOYED_NOT_VERIFIED',
        message:
          'The tax service has not confirmed that the self-employed contractor is bound to the company (syncSelfEmployedStatus checks again)',
        source: 'JUMP_FINANCE',
      },
      {
        code: 'SELF_EMPLOYED_NO_TAX_PERMISSION',
        message: 'The self-employed contractor has not allowed the company to pay their tax',
        source: 'JUMP_FINANCE',
      },
    ]);
    expect(jump.calls.map((call) => call.op)).toEqual(['contractors.get', 'selfemployer.get', 'payments.create']);
    expect(focus.calls).toHaveLength(0);

    const refused = await block.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.selfEmployed), amount: '10.00' } }, WRITE);
    expect(refused.errors![0]!.extensions).toMatchObject({
      code: 'COUNTERPARTY_CHECK_FAILED',
      reasons: [{ code: 'SELF_EMPLOYED_NOT_VERIFIED' }, { code: 'SELF_EMPLOYED_NO_TAX_PERMISSION' }],
    });
    const verified = await block.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.verified), amount: '10.00' } }, WRITE);
    expect(verified.errors).toBeUndefined();
    expect(verified.data.createPayment.warnings).toEqual([]);
  });

  it('an individual has nothing to check', async () => {
    const result = await block.gql(CREATE_PAYMENT, { input: { contractorId: String(ids.individual), amount: '10.00' } }, WRITE);
    expect(result.data.createPayment.warnings).toEqual([]);
  });

  it('block fails closed when the check cannot be made; warn says so and pays', async () => {
    const { focus } = env;
    const id = addContractor(env.jump, { legal_form_id: 3, inn: '772800000085' });
    focus.injectFault({ fault: { kind: 'status', status: 500 }, methods: ['req'] });
    try {
      const refused = await block.gql(CREATE_PAYMENT, { input: { contractorId: String(id), amount: '10.00' } }, WRITE);
      expect(refused.errors![0]!.extensions).toMatchObject({
        code: 'COUNTERPARTY_CHECK_FAILED',
        reasons: [
          {
            code: 'CHECK_UNAVAILABLE',
            message: 'The counterparty check could not be made: Kontur.Focus failed (VENDOR_UNAVAILABLE)',
            source: 'KONTUR_FOCUS',
          },
        ],
      });
      const warned = await env.subgraph.gql(CREATE_PAYMENT, { input: { contractorId: String(id), amount: '10.00' } }, WRITE);
      expect(warned.data.createPayment.warnings).toEqual([
        {
          code: 'CHECK_UNAVAILABLE',
          message: 'The counterparty check could not be made: Kontur.Focus failed (VENDOR_UNAVAILABLE)',
          source: 'KONTUR_FOCUS',
        },
      ]);
    } finally {
      focus.clearFaults();
    }
  });
});
