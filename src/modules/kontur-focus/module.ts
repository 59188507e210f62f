import { randomBytes } from 'node:crypto';
import type { CostRules } from '../../common/cost.ts';
import { VendorGate } from '../../loaders/vendor-gate.ts';
import { defineModule } from '../contract.ts';
import { focusBatcher, type FocusBatcherDeps } from './batcher.ts';
import { focusConfig, focusEnv, type FocusConfig } from './config.ts';
import { startFocusEmulator } from './emulator/server.ts';
import { createFocusLoaders, type FocusBatchers, type FocusLoaders, type FocusUncachedSources } from './loaders.ts';
import { FocusPages, type FocusFetchDeps } from './pages.ts';
import { FOCUS_LIST_DEFAULT_FIRST, FOCUS_LIST_MAX_FIRST, FOCUS_MAX_IDS_PER_CALL, FOCUS_PAGE_SIZE, FocusClient } from './vendor/client.ts';
import { FOCUS_BATCH_METHODS, PER_INN_METHODS, companyFieldMethods, nestedFieldMethods, pagedCompanyFields } from './vendor/methods.ts';

export interface FocusServices {
  /** False when FOCUS_API_KEY is unset outside the sandbox: every call fails at once as not configured. */
  configured: boolean;
  client: FocusClient;
  /** FOCUS_MAX_CONCURRENCY slots and the FOCUS_MAX_QUEUE bound, shared by every Kontur.Focus call of the process. */
  gate: VendorGate;
  batchers: FocusBatchers;
  pages: FocusPages;
  /** What single-key cached fetches over Kontur.Focus (documents, usage) are built on. */
  keyed: FocusFetchDeps;
  uncached: FocusUncachedSources;
}

declare module '../../errors.ts' {
  interface VendorNames {
    'kontur-focus': true;
  }
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    focus: FocusConfig;
  }
  interface ModuleServices {
    focus: FocusServices;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    /** Kontur.Focus loaders of this request. */
    focus: FocusLoaders;
  }
}

/** Company fields and their Kontur.Focus methods, from the method table. */
const costs: CostRules = {
  vendor: 'Kontur.Focus',
  // Every batch method of the table, and req by OGRN (tallied apart from req by INN): up to 100 identifiers a call.
  methods: Object.fromEntries(
    [...Object.keys(FOCUS_BATCH_METHODS), 'req:ogrn'].map((method) => [method, { identifiersPerCall: FOCUS_MAX_IDS_PER_CALL }]),
  ),
  lookupMethods: ['req'],
  companyFields: companyFieldMethods(),
  nestedFields: nestedFieldMethods(),
  pagedFields: Object.fromEntries(
    pagedCompanyFields().map((field) => [
      field,
      {
        pageSize: FOCUS_PAGE_SIZE,
        defaultFirst: FOCUS_LIST_DEFAULT_FIRST,
        maxFirst: FOCUS_LIST_MAX_FIRST,
        // Each purchase names its customers and participants (two, assumed): their companies are looked up too.
        ...(field === 'purchases' ? { parties: { perItem: 2, fields: ['customers', 'participants'] } } : {}),
      },
    ]),
  ),
};

export const focusModule = defineModule({
  name: 'focus',
  env: focusEnv,
  config: (env) => focusConfig(env),
  vendor: {
    name: 'kontur-focus',
    displayName: 'Kontur.Focus',
    live: (slice) => slice.apiKey !== undefined,
    sandbox: {
      // T-Bank alone (a token and no Focus key) answers requisites itself: no emulator then.
      wanted: (slice, { production, live }) => slice.apiKey === undefined && !production && !live.has('tbank'),
      async start(slice, core, logger) {
        const apiKey = randomBytes(16).toString('hex');
        const emulator = await startFocusEmulator({ apiKey, host: '127.0.0.1', port: 0, latencyMs: core.sandboxLatencyMs });
        logger.info({ emulator: emulator.url }, 'sandbox mode: Kontur.Focus emulator started');
        return { slice: { ...slice, apiKey, baseUrl: emulator.url }, close: () => emulator.close() };
      },
    },
    notConfigured: (states) =>
      states.tbank === 'live'
        ? 'Kontur.Focus is not configured: requisites and status come from T-Bank; other Focus fields answer null.'
        : 'Kontur.Focus is not configured: company fields answer VENDOR_UNAVAILABLE (notConfigured).',
    banner: [
      'Kontur.Focus answers come from the bundled emulator, not from the real registry. Real captured companies:',
      '6663003127, 7736050003, 4401006984, 7708503727, 366512608416 (13 more in fixtures/kontur-focus/); any other',
      'checksum-valid INN gets deterministic synthetic data (INNs starting with 00 are unknown).',
    ],
  },
  services({ config, logger, metrics, cache, now }) {
    const slice = config.focus;
    // Without a key (outside the sandbox) every call fails at once as not configured, and nothing is sent.
    const client = new FocusClient({ ...slice, connections: Math.max(slice.maxConcurrency, 4) }, logger, metrics);
    const gate = new VendorGate({
      vendor: 'kontur-focus',
      concurrency: slice.maxConcurrency,
      maxQueue: slice.maxQueue,
      maxQueueVariable: 'FOCUS_MAX_QUEUE',
      metrics,
    });
    const { ttl, staleIfErrorMs, listsTtlMs } = config.cache;
    const deps: FocusBatcherDeps = {
      client,
      cache,
      gate,
      metrics,
      now,
      ttl: { foundMs: ttl.requisitesMs, notFoundMs: ttl.notFoundMs, staleIfErrorMs },
    };
    const batchers = {
      ...Object.fromEntries(PER_INN_METHODS.map((method) => [method, focusBatcher(method, 'inn', deps)])),
      reqByOgrn: focusBatcher('req', 'ogrn', deps),
    } as FocusBatchers;
    const keyed: FocusFetchDeps = { cache, gate, metrics, now };
    const uncached: FocusUncachedSources = {
      briefReport: (inns, stats) => {
        gate.admit(inns.length, 'briefReport');
        const lifetime = stats?.lifetime;
        const call = gate.run(
          () => client.getBatch('briefReport', 'inn', inns),
          () => lifetime?.ended !== undefined,
        );
        return lifetime ? lifetime.race(call, 'Kontur.Focus briefReport', 'kontur-focus') : call;
      },
    };
    return {
      configured: slice.apiKey !== undefined,
      client,
      gate,
      batchers,
      pages: new FocusPages(client, keyed, listsTtlMs),
      keyed,
      uncached,
    };
  },
  context: (focus, { context, config }) => ({
    focus: createFocusLoaders(focus.configured, focus.batchers, focus.pages, focus.uncached, config.cache.ttl, context.now, context.stats),
  }),
  costs,
  close: (focus) => focus.client.close(),
});
