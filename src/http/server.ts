import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLContext } from '../context.ts';
import { buildSchema } from '../graphql/schema.ts';
import { redactUrl } from '../observability/logger.ts';
import type { Services } from '../services.ts';
import { graphiqlAssets, graphiqlPage } from './graphiql.ts';

export interface HttpApp {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<GraphQLContext>;
}

/** Error texts pass URL redaction, and stack traces never leave the process. */
function formatError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const { stacktrace: _stacktrace, ...extensions } = (formatted.extensions ?? {}) as Record<string, unknown>;
  return { ...formatted, message: redactUrl(formatted.message), extensions };
}

function wantsGraphiQL(req: express.Request): boolean {
  return req.method === 'GET' && req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html';
}

export async function createHttpApp(services: Services): Promise<HttpApp> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<GraphQLContext>({
    schema: buildSchema(),
    logger: services.logger.child({ component: 'apollo' }),
    introspection: true,
    formatError,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT: it stops Apollo once, then closes the vendor pool and the cache.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer }), ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  app.use('/graphiql', graphiqlAssets());
  app.get('/graphql', (req, res, next) => {
    if (!wantsGraphiQL(req)) return next();
    res.type('html').send(graphiqlPage('/graphql'));
  });
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<GraphQLContext> => {
        const requestId = String(req.headers['x-request-id'] ?? randomUUID());
        return {
          requestId,
          logger: services.logger.child({ requestId }),
          loaders: services.createLoaders(),
          companies: services.companies,
        };
      },
    }),
  );
  app.get('/', (_req, res) => res.redirect('/graphql'));
  return { app, httpServer, apollo };
}
