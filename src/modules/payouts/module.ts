import { randomBytes } from 'node:crypto';
import { defineModule } from '../contract.ts';
import { payoutsConfig, payoutsEnv, type PayoutsConfig } from './config.ts';
import { startJumpEmulator } from './emulator/server.ts';
import { payoutsRequest, type PayoutsRequest } from './request-context.ts';
import { payoutResolvers } from './resolvers/index.ts';
import { createPayoutsServices, type PayoutsServices } from './services.ts';

declare module '../../errors.ts' {
  interface VendorNames {
    'jump-finance': true;
  }
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    payouts: PayoutsConfig;
  }
  interface ModuleServices {
    payouts: PayoutsServices;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    /** Jump.Finance contractors and payouts: the caller's scopes, the per-request contractor loader and the units resolvers use. */
    payouts: PayoutsRequest;
  }
}

/** Payouts to contractors over Jump.Finance, with the counterparty guard. */
export const payoutsModule = defineModule({
  name: 'payouts',
  needs: ['company'],
  env: payoutsEnv,
  config: (env) => payoutsConfig(env),
  // Payout mutations trust the scope header the router sets: with a real key — in every mode, development included —
  // only the router may reach the subgraph. The sandbox (no key: the emulator with a random key) is the exception.
  check: (slice, config) =>
    slice.apiKey && !config.access.routerSecret
      ? ["ROUTER_SECRET: required when JUMP_API_KEY is set, whatever NODE_ENV is (payout mutations trust the router's scope header)"]
      : [],
  vendor: {
    name: 'jump-finance',
    displayName: 'Jump.Finance',
    live: (slice) => slice.apiKey !== undefined,
    movesMoney: true,
    sandbox: {
      wanted: (slice, { production }) => slice.apiKey === undefined && !production,
      async start(slice, core, logger) {
        const apiKey = randomBytes(16).toString('hex');
        const emulator = await startJumpEmulator({ apiKey, host: '127.0.0.1', port: 0, latencyMs: core.sandboxLatencyMs });
        logger.info({ emulator: emulator.url }, 'sandbox mode: Jump.Finance emulator started');
        return { slice: { ...slice, apiKey, baseUrl: emulator.url }, close: () => emulator.close() };
      },
    },
    banner: ['PAYOUTS SANDBOX: contractors and payouts live in the bundled Jump.Finance emulator; no money moves.'],
  },
  services: (core) => createPayoutsServices(core.config.payouts, core),
  context: (services, { context }) => ({ payouts: payoutsRequest(services, (name) => context.header(name), context.stats) }),
  schema: ['payouts.graphql'],
  resolvers: payoutResolvers,
  close: (services) => services.calls.close(),
});
