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
          contextValue.logger.info(
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
