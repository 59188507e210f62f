import { afterAll, beforeAll } from 'vitest';
import { CacheStore } from '../../src/cache/store.ts';
import { JumpCalls } from '../../src/modules/payouts/jump-calls.ts';
import type { JumpClient } from '../../src/modules/payouts/vendor/client.ts';
import type { JumpPayment } from '../../src/modules/payouts/vendor/schemas.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startJumpEmulator, type JumpEmulator, type JumpEmulatorOptions } from '../../src/modules/payouts/emulator/server.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { TEST_ROUTER_SECRET, startEmulator, startSubgraph, type TestSubgraph } from './subgraph.ts';

export const TEST_JUMP_KEY = 'test-jump-key-5f0c2b8e9a7d4c3b';

/** The header the router sets for a user allowed to pay (AUTH_SCOPES_HEADER's default name). */
export const WRITE = { 'x-user-scopes': 'openid profile payouts:write' };

/** The scope payouts reads need (payouts:write includes it). */
export const READ = { 'x-user-scopes': 'openid payouts:read' };

/** One controllable clock for the subgraph and the Jump.Finance emulator. */
export class TestClock {
  constructor(public t = Date.parse('2026-03-02T09:00:00Z')) {}
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface PayoutsEnv {
  focus: FocusEmulator;
  jump: JumpEmulator;
  subgraph: TestSubgraph;
  clock: TestClock;
  /** Another subgraph (a second replica with its own in-memory cache) on the same emulators. */
  startReplica(env?: Record<string, string>): Promise<TestSubgraph>;
}

/**
 * A Kontur.Focus emulator, a Jump.Finance emulator (no sandbox seed unless asked) and a subgraph pointed at both,
 * sharing one controllable clock, for the enclosing describe block. A real JUMP_API_KEY requires ROUTER_SECRET, so
 * every subgraph here has TEST_ROUTER_SECRET, and `gql` sends it as the router would.
 */
export function withPayouts(options: { env?: Record<string, string>; jump?: Partial<JumpEmulatorOptions> } = {}): PayoutsEnv {
  const context = { clock: new TestClock() } as PayoutsEnv;
  const replicas: TestSubgraph[] = [];
  const subgraphEnv = (extra: Record<string, string> = {}) => ({
    JUMP_BASE_URL: context.jump.url,
    JUMP_API_KEY: TEST_JUMP_KEY,
    ROUTER_SECRET: TEST_ROUTER_SECRET,
    ...options.env,
    ...extra,
  });
  context.startReplica = async (env) => {
    const replica = await startSubgraph({ emulator: context.focus, env: subgraphEnv(env), now: context.clock.now });
    replicas.push(replica);
    return replica;
  };
  beforeAll(async () => {
    context.focus = await startEmulator();
    context.jump = await startJumpEmulator({ apiKey: TEST_JUMP_KEY, now: context.clock.now, seed: false, ...options.jump });
    context.subgraph = await startSubgraph({ emulator: context.focus, env: subgraphEnv(), now: context.clock.now });
  });
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await context.subgraph?.close();
    await context.jump?.close();
    await context.focus?.close();
  });
  return context;
}

/** Adds a contractor to the emulator (no API call) and answers its id. */
export function addContractor(
  jump: JumpEmulator,
  overrides: Partial<Parameters<JumpEmulator['addContractor']>[0]> & { legal_form_id?: 1 | 2 | 3 } = {},
): number {
  const n = jump.contractors().length + 1;
  return jump.addContractor({
    phone: `+7999${String(1_000_000 + n).slice(-7)}`,
    last_name: 'Тестов',
    first_name: `Исполнитель${n}`,
    legal_form_id: 1,
    ...overrides,
  });
}

export const CREATE_PAYMENT = /* GraphQL */ `
  mutation Pay($input: CreatePaymentInput!) {
    createPayment(input: $input) {
      customerPaymentId
      replayed
      warnings {
        code
        message
        source
      }
      payment {
        id
        customerPaymentId
        amount
        status
        isFinal
        contractor {
          id
        }
      }
    }
  }
`;

// ─── Unit tests of the payouts units (test/unit/payouts-*.test.ts) ────────────────────────────────────────────────

/** A fresh in-memory cache store, as a subgraph without CACHE_URL has. */
export function memoryStore(): CacheStore {
  return new CacheStore({ url: undefined, namespace: 'payouts-unit', maxEntries: 1_000, operationTimeoutMs: 500 }, createLogger('silent'));
}

/** The units' way to the vendor, over a fake client that has only the methods a test needs. */
export function fakeCalls(client: Partial<JumpClient>, maxConcurrency = 4): JumpCalls {
  return new JumpCalls(client as JumpClient, maxConcurrency);
}

/** A payout as Jump.Finance answers it, with only what the units look at filled in. */
export function jumpPayment(fields: {
  id: number;
  statusId?: number;
  isFinal?: boolean;
  amount?: string;
  contractorId?: number;
  key?: string;
}): JumpPayment {
  return {
    id: fields.id,
    customer_payment_id: fields.key ?? null,
    amount: fields.amount ?? '100.00',
    status: { id: fields.statusId ?? 3, title: null, theme: null },
    is_final: fields.isFinal ?? false,
    contractor: fields.contractorId === undefined ? null : { id: fields.contractorId, phone: null, full_name: null, short_name: null },
  } as JumpPayment;
}
