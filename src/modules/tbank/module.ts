import { createHash, randomBytes } from 'node:crypto';
import { requisitesLoaders, type RequisitesLoaders } from '../../loaders/requisites.ts';
import { defineModule } from '../contract.ts';
import { tbankConfig, tbankEnv, type TbankConfig } from './config.ts';
import { startTbankEmulator } from './emulator/server.ts';
import { createTbankLoaders, tbankRequisitesSource, type TbankLoaders } from './loaders.ts';
import { resolvers } from './resolvers.ts';
import { DEFAULT_CONTRACTS_FIRST, MAX_CONTRACTS_FIRST } from './connection.ts';
import { TBANK_PAGE_SIZE, TbankService } from './service.ts';
import { riskSignals, type TbankRiskSignals } from './signals.ts';
import { TbankClient } from './vendor/client.ts';

/** T-Bank's part of a request: its loaders, its risk signals, and its registrations as a requisites source. */
export interface TbankRequest extends TbankLoaders {
  /** T-Bank's risk signals for an INN (null: T-Bank has no data). */
  signals(inn: string): Promise<TbankRiskSignals | null>;
  /** Registrations from T-Bank's excerpt (used when Kontur.Focus is not configured). */
  requisites: RequisitesLoaders;
}

declare module '../../errors.ts' {
  interface VendorNames {
    tbank: true;
  }
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    tbank: TbankConfig;
  }
  interface ModuleServices {
    /** undefined when TBANK_TOKEN is unset (and no sandbox). */
    tbank: TbankService | undefined;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    /** T-Bank's loaders of this request; undefined when T-Bank is not configured. */
    tbank: TbankRequest | undefined;
  }
}

export const tbankModule = defineModule({
  name: 'tbank',
  env: tbankEnv,
  config: (env) => tbankConfig(env),
  vendor: {
    name: 'tbank',
    displayName: 'T-Bank',
    live: (slice) => slice.token !== undefined,
    sandbox: {
      // In sandbox mode (no Kontur.Focus key either), with the vendor's own limit of 10 calls a minute.
      wanted: (slice, { production, live }) => slice.token === undefined && !production && !live.has('kontur-focus'),
      async start(slice, core, logger) {
        const token = randomBytes(24).toString('base64url');
        const emulator = await startTbankEmulator({ token, host: '127.0.0.1', port: 0, latencyMs: core.sandboxLatencyMs });
        logger.info({ emulator: emulator.url }, 'sandbox mode: T-Bank emulator started');
        return { slice: { ...slice, token, baseUrl: emulator.url }, close: () => emulator.close() };
      },
    },
    banner: ['The bundled T-Bank emulator answers Company.tbankCheck and stateContracts for the same companies.'],
  },
  services({ config, logger, metrics, cache, now }) {
    const slice = config.tbank;
    if (!slice.token) return undefined;
    const { ttl, listsTtlMs } = config.cache;
    return new TbankService(
      // One TBANK_RATE_LIMIT budget for every replica on this token (through Redis when CACHE_URL is set).
      new TbankClient(
        { ...slice, token: slice.token, limiter: cache.rateLimiter(`tbank:${tokenId(slice.token)}`, slice.rateLimit, now) },
        logger,
        metrics,
      ),
      { cache, metrics, now },
      { foundMs: ttl.requisitesMs, notFoundMs: ttl.notFoundMs, listsMs: listsTtlMs },
    );
  },
  context(service, { context, config }) {
    if (!service) return { tbank: undefined };
    const loaders = createTbankLoaders(service, context.stats);
    return {
      tbank: {
        ...loaders,
        signals: async (inn) => {
          const excerpt = await loaders.tbankExcerpt.load(inn);
          return excerpt ? riskSignals(excerpt) : null;
        },
        requisites: requisitesLoaders(tbankRequisitesSource(service, loaders, context.now), config.cache.ttl, context.now, context.stats),
      },
    };
  },
  schema: ['tbank.graphql'],
  resolvers,
  costs: {
    vendor: 'T-Bank',
    // The excerpt takes one INN a call (no batches): each company whose tbankCheck is asked costs one call.
    methods: { 'excerpt/by-inn': { identifiersPerCall: 1 } },
    companyFields: { tbankCheck: ['excerpt/by-inn'] },
    nestedFields: { excerpt: { tbank: ['excerpt/by-inn'] } },
    // Contracts by OGRN in pages of 100: one call per company and page the window reaches into.
    pagedFields: { stateContracts: { pageSize: TBANK_PAGE_SIZE, defaultFirst: DEFAULT_CONTRACTS_FIRST, maxFirst: MAX_CONTRACTS_FIRST } },
  },
  close: (service) => service?.close() ?? Promise.resolve(),
});

/** Names a token's budget in Redis without the token: a digest no one can turn back into it. */
function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 16);
}
