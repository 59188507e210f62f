import { duration, secret, type EnvOf } from '../../config/env.ts';
import { defineModule } from '../contract.ts';
import { resolvers } from './resolvers/index.ts';
import { documentRoutes } from './route.ts';
import { DocumentService } from './service.ts';

const documentsEnv = {
  /** How long downloaded PDFs (excerpt, financial analysis, express report) are cached, bytes included. */
  CACHE_TTL_DOCUMENTS: duration('24h'),
  /** How long a document link the graph hands out stays valid. */
  DOCUMENT_URL_TTL: duration('10m'),
  /** HMAC key of document links; random per process when unset (then links only work on the replica that made them). */
  DOCUMENT_SIGNING_SECRET: secret('DOCUMENT_SIGNING_SECRET', 16),
};

function documentsConfig(e: EnvOf<typeof documentsEnv>) {
  return { cacheTtlMs: e.CACHE_TTL_DOCUMENTS, urlTtlMs: e.DOCUMENT_URL_TTL, signingSecret: e.DOCUMENT_SIGNING_SECRET };
}

declare module '../contract.ts' {
  interface ModuleConfigs {
    documents: ReturnType<typeof documentsConfig>;
  }
  interface ModuleServices {
    documents: DocumentService;
  }
}

declare module '../../common/context.ts' {
  interface GraphQLContext {
    /** Signed document links, and the cache the download route fills. */
    documents: DocumentService;
  }
}

/** Kontur.Focus PDFs (registry extract, financial analysis, express report) behind signed, expiring links. */
export const documentsModule = defineModule({
  name: 'documents',
  needs: ['focus'],
  env: documentsEnv,
  config: (env) => documentsConfig(env),
  // Replicas sharing a Redis serve each other's links: a per-process random key would make a link fail on every
  // replica but the one that signed it.
  check: (slice, config) =>
    config.env === 'production' && config.cache.url && !slice.signingSecret
      ? [
          'DOCUMENT_SIGNING_SECRET: required in production when CACHE_URL is set (replicas sharing the cache must sign document links alike)',
        ]
      : [],
  services: ({ config }, { focus }) => new DocumentService(focus.client, focus.keyed, { ...config.documents, publicUrl: config.publicUrl }),
  context: (documents) => ({ documents }),
  schema: ['documents.graphql'],
  resolvers,
  // Outside the router-secret guard: browsers follow these links directly, and the signed token is the authorisation.
  routes: (documents, { logger }) => documentRoutes(documents, logger),
});
