import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';
import type { GraphQLContext } from '../../common/context.ts';
import { operationLabel, type Metrics } from '../../observability/metrics.ts';

function outcomeOf(errors: readonly GraphQLFormattedError[] | undefined, data: unknown): 'success' | 'partial' | 'error' {
  if (!errors || errors.length === 0) return 'success';
  return data && Object.values(data as Record<string, unknown>).some((value) => value !== null) ? 'partial' : 'error';
}

/**
 * One structured log line and the metrics per GraphQL operation: name, outcome, duration,
 * vendor calls it caused, cache hits and misses, and the error codes it met.
 * The line is at `info` when the operation cost vendor calls or met an error, else at `debug`: a warm answer from the
 * cache is the common case, and writing a line for each of them was a tenth of the warm path's CPU (LOG_LEVEL=debug
 * logs them all). The metrics count every operation either way.
 */
export function operationTelemetryPlugin(metrics: Metrics): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ response, contextValue, operationName }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = body?.errors;
          const outcome = outcomeOf(errors, body?.data);
          const operation = operationLabel(operationName);
          const seconds = (performance.now() - started) / 1000;
          const codes = (errors ?? []).map((error) =>
            typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR',
          );
          metrics.operations.inc({ operation, outcome });
          metrics.operationDuration.observe({ operation, outcome }, seconds);
          for (const code of codes) metrics.errors.inc({ code });
          const level = outcome === 'success' && contextValue.stats.vendorCalls === 0 ? 'debug' : 'info';
          if (!contextValue.logger.isLevelEnabled(level)) return;
          contextValue.logger[level](
            {
              operation,
              outcome,
              durationMs: Math.round(seconds * 1000),
              ...contextValue.stats,
              ...(codes.length > 0 ? { errorCodes: [...new Set(codes)] } : {}),
            },
            'graphql operation',
          );
        },
      };
    },
  };
}
