import type { ApolloServerPlugin } from '@apollo/server';
import { graphError } from '../../errors.ts';
import type { GraphQLContext } from '../../common/context.ts';
import type { CostRules } from '../../common/cost.ts';
import { estimateVendorCalls } from '../vendor-cost.ts';

/**
 * Rejects, before any vendor call, an operation whose cold cost estimate exceeds MAX_VENDOR_CALLS_PER_OPERATION
 * (HTTP 400, QUERY_TOO_EXPENSIVE). Bad arguments are not judged here: each field refuses its own (BAD_USER_INPUT on
 * that field, siblings answered), before its vendor call.
 */
export function vendorCostLimitPlugin(rules: Required<CostRules>, limit: number): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const estimate = estimateVendorCalls(rules, document, operation, request.variables ?? {});
          if (estimate <= limit) return;
          throw graphError(
            'QUERY_TOO_EXPENSIVE',
            `This operation could cost up to ${estimate} ${rules.vendor || 'vendor'} calls, more than the ${limit} allowed per operation ` +
              '(MAX_VENDOR_CALLS_PER_OPERATION). Ask for fewer companies or fewer field groups per operation.',
            { estimatedVendorCalls: estimate, limit, http: { status: 400 } },
          );
        },
      };
    },
  };
}
