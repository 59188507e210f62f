import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import cors from 'cors';
import express, { type ErrorRequestHandler } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLContext } from '../common/context.ts';
import { buildSchema } from '../graphql/schema.ts';
import { operationTelemetryPlugin } from '../graphql/plugins/operation-telemetry.ts';
import { vendorCostLimitPlugin } from '../graphql/plugins/vendor-cost-limit.ts';
import { newOperationStats } from '../loaders/operation-stats.ts';
import { OperationLifetime } from '../loaders/operation-lifetime.ts';
import { cutText, redact, redactDeep } from '../observability/redaction.ts';
import type { Services } from '../app/services.ts';
import { errorBody } from '../errors.ts';
import { sliceOf, type ModuleRuntime } from '../modules/contract.ts';
import { graphiqlAssets, graphiqlPage } from './graphiql.ts';
import { operationsRoutes, requireRouterSecret, type Lifecycle } from './operations.ts';

export type { Lifecycle };

export interface HttpApp {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<GraphQLContext>;
  /** Set `draining` on SIGTERM: readiness answers 503 at once while in-flight operations finish. */
  lifecycle: Lifecycle;
  /** GraphiQL and introspection are on. */
  exploring: boolean;
  /** The graph in process, for the modules' background work (services.start). */
  runtime: ModuleRuntime;
}

export interface HttpOptions {
  /** Sandbox mode (bundled emulators): GraphiQL and introspection default to on. */
  sandbox?: boolean;
  /**
   * A vendor that moves money is live: GraphiQL and introspection default to off in every mode. Undefined: decided
   * from the configuration (a money-moving vendor module with credentials of its own).
   */
  liveMoney?: boolean;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** The longest error message an answer carries (after redaction): a huge input is never echoed back whole. */
const MAX_ERROR_MESSAGE = 1_000;

/**
 * Every error leaving the process is redacted — secrets, URL credentials, bearer tokens and card numbers, in the
 * message and every extension — before it is cut; stack traces never leave.
 */
function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  return {
    ...formatted,
    message: cutText(redact(formatted.message), MAX_ERROR_MESSAGE),
    extensions: redactDeep(extensions) as Record<string, unknown>,
  };
}

function wantsGraphiQL(req: express.Request): boolean {
  return req.method === 'GET' && req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html';
}

/** Depth, aliases, tokens and directives limited before execution (GraphQL Armor); our vendor-cost limit is separate. */
function armor(services: Services, exploring: boolean) {
  const { limits } = services.config;
  return new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: 50 },
    // Armor's generic cost model does not know what a query costs us; vendor-cost-limit does.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: !exploring },
  }).protect();
}

/** Whether a vendor module that moves money has credentials of its own (not the sandbox's). */
function moneyIsLive(services: Services): boolean {
  return services.registry.some((module) => module.vendor?.movesMoney === true && module.vendor.live(sliceOf(module, services.config)));
}

export async function createHttpApp(services: Services, options: HttpOptions = {}): Promise<HttpApp> {
  const { config } = services;
  const liveMoney = options.liveMoney ?? moneyIsLive(services);
  // GraphiQL and introspection: on in the sandbox; in development and test too unless a real Jump.Finance key is
  // set (money can move: the schema is then not shown to whoever reaches the port); off in production; GRAPHIQL decides.
  const exploring = config.access.graphiql ?? (options.sandbox === true || (config.env !== 'production' && !liveMoney));
  const lifecycle: Lifecycle = { draining: false };
  const app = express();
  app.disable('x-powered-by');
  // req.ip: the socket's address, or the client a trusted proxy (TRUST_PROXY, never "any") names in X-Forwarded-For.
  app.set('trust proxy', config.access.trustProxy.length > 0 ? config.access.trustProxy : false);
  const httpServer = http.createServer(app);
  httpServer.on('clientError', answerClientError);
  const protection = armor(services, exploring);
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(services.registry),
    logger: services.logger.child({ component: 'apollo' }),
    introspection: exploring,
    formatError,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // CSRF prevention stays on (Apollo's default): browsers can't send simple cross-site requests.
    csrfPrevention: true,
    // main-app.ts owns SIGTERM/SIGINT: it stops Apollo once, then closes the vendor pool and the cache (then flushes traces).
    stopOnTerminationSignals: false,
    validationRules: protection.validationRules,
    plugins: [
      // Armor's declarations point at Apollo's CommonJS build; the hooks are the same.
      ...(protection.plugins as unknown as ApolloServerPlugin<GraphQLContext>[]),
      vendorCostLimitPlugin(services.costs, config.limits.maxVendorCallsPerOperation),
      operationTelemetryPlugin(services.metrics),
      // In-flight operations get SHUTDOWN_GRACE (default OPERATION_TIMEOUT + 5 s, so every deadline can pass) to finish.
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.operation.shutdownGraceMs }),
      ApolloServerPluginLandingPageDisabled(),
      // Apollo's cache-control plugin wraps every field resolver to compute a Cache-Control header from @cacheControl
      // hints; the schema has none and answers are never HTTP-cached (they depend on the caller's scopes), so it only
      // cost a wrapper per field on the warm path. Federated tracing (ftv1, when the router asks for it) stays.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  if (exploring) {
    app.use('/graphiql', graphiqlAssets());
    app.get('/graphql', (req, res, next) => {
      if (!wantsGraphiQL(req)) return next();
      res.type('html').send(graphiqlPage('/graphql'));
    });
  }
  // Without CORS_ORIGINS no cross-origin request is allowed: browsers enforce that without any header from us.
  if (config.access.corsOrigins.length > 0) {
    app.use(
      '/graphql',
      cors({
        origin: config.access.corsOrigins,
        methods: ['GET', 'POST'],
        allowedHeaders: ['content-type', 'apollo-require-preflight', 'x-request-id'],
        maxAge: 600,
      }),
    );
  }
  app.use(
    '/graphql',
    requireRouterSecret(config.access.routerSecret),
    express.json({ limit: config.limits.maxBodySize }),
    expressMiddleware(apollo, {
      context: async ({ req, res }): Promise<GraphQLContext> => {
        // A client's request id is kept only if it looks like one: it goes into every log line of the operation.
        const given = req.get('x-request-id');
        const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', requestId);
        // The operation's deadline starts now; it also ends when the answer is sent or the client hangs up, and then
        // whatever only it was waiting for is dropped unsent.
        const lifetime = new OperationLifetime(config.operation.timeoutMs);
        res.once('close', () => lifetime.end(res.writableFinished ? 'answered' : 'client-gone'));
        return operationContext(services, requestId, lifetime, (name) => req.get(name));
      },
    }),
  );
  // After /graphql: an operation never walks these routers (their matching was a twentieth of a warm request).
  app.use(operationsRoutes(services, lifecycle));
  // The modules' routes (document downloads, webhooks …) sit outside the router-secret guard: each authorises itself.
  const runtime = inProcessRuntime(services, apollo);
  for (const router of services.routes(runtime)) app.use(router);
  app.get('/', (_req, res) => (exploring ? res.redirect('/graphql') : res.json({ service: 'counterparty-subgraph', graphql: '/graphql' })));
  app.use(bodyErrors);
  return { app, httpServer, apollo, lifecycle, exploring, runtime };
}

/** One operation's context: the core part, then each module's part. */
function operationContext(
  services: Services,
  requestId: string,
  lifetime: OperationLifetime,
  header: (name: string) => string | undefined,
  { cacheOnly = false } = {},
): GraphQLContext {
  const stats = newOperationStats(lifetime, { cacheOnly });
  const core = { requestId, logger: services.logger.child({ requestId }), stats, now: services.now, header };
  return services.contextFor(core as GraphQLContext);
}

/**
 * The graph for background work: an operation runs through Apollo (validation, the cost limit, the resolvers) with a
 * context made as for a request — its own deadline (OPERATION_TIMEOUT), no caller headers (so no scopes: reads only).
 */
function inProcessRuntime(services: Services, apollo: ApolloServer<GraphQLContext>): ModuleRuntime {
  return {
    async execute<T>(query: string, variables: Record<string, unknown> = {}) {
      const lifetime = new OperationLifetime(services.config.operation.timeoutMs);
      try {
        const contextValue = operationContext(services, `job-${randomUUID()}`, lifetime, () => undefined);
        const response = await apollo.executeOperation({ query, variables }, { contextValue });
        if (response.body.kind !== 'single') throw new Error('an in-process operation answered incrementally');
        // The data has the shape the caller's query selects (the schema validated the query against it).
        const { data, errors } = response.body.singleResult;
        return { data: data as T | null | undefined, ...(errors ? { errors } : {}) };
      } finally {
        lifetime.end('answered');
      }
    },
    async withContext(work, { cacheOnly = false, signal } = {}) {
      const lifetime = new OperationLifetime(services.config.operation.timeoutMs);
      const gone = () => lifetime.end('client-gone');
      if (signal?.aborted) gone();
      signal?.addEventListener('abort', gone, { once: true });
      try {
        const context = operationContext(services, `route-${randomUUID()}`, lifetime, () => undefined, { cacheOnly });
        return { value: await work(context), stats: context.stats };
      } finally {
        signal?.removeEventListener('abort', gone);
        lifetime.end('answered');
      }
    },
  };
}

/** How much of an oversized request is read (and dropped) after the answer, so the client can read that answer. */
const OVERSIZED_DRAIN_BYTES = 4 * 1024 ** 2;
const OVERSIZED_DRAIN_MS = 5_000;

/** Sockets answered 400 for an oversized request, now being drained: the parser reports each further chunk too. */
const drainingSockets = new WeakSet<Duplex>();

/**
 * A request line or headers over Node's limit (16 KB: e.g. a megabyte-long `?inn=`) never reaches Express. Node's own
 * answer is a bare 431 and a reset while the client is still sending, which it never reads. Instead: 400 with a JSON
 * error (in the REST routes' shape and GraphQL's), then the rest of the request is read and dropped, within bounds,
 * so the client sees the answer. Other client errors get Node's own answers (408 for a timeout, 400 otherwise), and
 * nothing is written into a response already under way.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (drainingSockets.has(socket)) return;
  const responding = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (!socket.writable || responding) {
    socket.destroy();
    return;
  }
  if (error.code !== 'HPE_HEADER_OVERFLOW') {
    const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    return;
  }
  const message = 'The request line or headers are too large (over 16 KB): nothing was read';
  const body = JSON.stringify({ error: { code: 'BAD_USER_INPUT', message }, ...errorBody('BAD_USER_INPUT', message) });
  drainingSockets.add(socket);
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  let drained = 0;
  const stop = setTimeout(() => socket.destroy(), OVERSIZED_DRAIN_MS).unref();
  socket.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > OVERSIZED_DRAIN_BYTES) socket.destroy();
  });
  socket.once('close', () => clearTimeout(stop));
  socket.resume();
}

/** A body over MAX_REQUEST_BODY or unreadable JSON gets a GraphQL-shaped error, not an HTML page. */
const bodyErrors: ErrorRequestHandler = (error, _req, res, next) => {
  const status = (error as { status?: number }).status;
  if (status === 413) {
    res.status(413).json(errorBody('PAYLOAD_TOO_LARGE', 'Request body too large (MAX_REQUEST_BODY)'));
    return;
  }
  if (status === 400) {
    // A body that is not JSON, or another malformed request (an undecodable URL).
    const message = (error as { type?: string }).type === 'entity.parse.failed' ? 'Request body is not valid JSON' : 'Bad request';
    res.status(400).json(errorBody('BAD_REQUEST', message));
    return;
  }
  next(error);
};
