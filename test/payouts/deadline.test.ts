import { describe, expect, it } from 'vitest';
import { CREATE_PAYMENT, WRITE, addContractor, withPayouts } from '../support/payouts.ts';

describe('a payout under the operation deadline', () => {
  const env = withPayouts({ env: { OPERATION_TIMEOUT: '2s', JUMP_TIMEOUT: '3s', PAYOUT_GUARD: 'off' } });

  it('a vendor that never answers: at OPERATION_TIMEOUT the answer is "outcome unknown" with the key, and the retry with it never pays twice', async () => {
    const { jump, subgraph } = env;
    const contractorId = String(addContractor(jump));
    jump.injectFault({ fault: { kind: 'hang' }, ops: ['payments.create'], times: 1 });
    const started = performance.now();
    const first = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId, amount: '250.00', customerPaymentId: 'deadline-1' } }, WRITE);
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(1_900);
    expect(ms).toBeLessThan(3_000);
    expect(first.data.createPayment).toBeNull();
    expect(first.errors!.map((error) => error.extensions)).toEqual([
      { code: 'VENDOR_TIMEOUT', vendor: 'jump-finance', method: 'payments.create', customerPaymentId: 'deadline-1', outcomeUnknown: true },
    ]);
    // Meanwhile the request ran to its end: the POST timed out at JUMP_TIMEOUT (3 s), the key was looked up (not
    // found), and the payout was created once.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const retry = await subgraph.gql(CREATE_PAYMENT, { input: { contractorId, amount: '250.00', customerPaymentId: 'deadline-1' } }, WRITE);
    expect(retry.errors).toBeUndefined();
    expect(retry.data.createPayment).toMatchObject({ customerPaymentId: 'deadline-1', replayed: true });
    expect(jump.payments().filter((payment) => payment.customer_payment_id === 'deadline-1')).toHaveLength(1);
  }, 30_000);
});
