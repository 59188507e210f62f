import type { ApolloServerPlugin } from '@apollo/server';
import { graphError } from '../../errors.ts';
import type { GraphQLContext } from '../../common/context.ts';
import type { MergedCostRules } from '../../common/cost.ts';
import { estimateVendorCallsByVendor, type VendorCallEstimate } from '../vendor-cost.ts';

/**
 * Rejects, before any vendor call, an operation whose cold cost estimate exceeds MAX_VENDOR_CALLS_PER_OPERATION
 * (HTTP 400, QUERY_TOO_EXPENSIVE). Bad arguments are not judged here: each field refuses its own (BAD_USER_INPUT on
 * that field, siblings answered), before its vendor call.
 */
export function vendorCostLimitPlugin(rules: MergedCostRules, limit: number): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const estimate = estimateVendorCallsByVendor(rules, document, operation, request.variables ?? {});
          if (estimate.total <= limit) return;
          throw graphError(
            'QUERY_TOO_EXPENSIVE',
            `This operation could cost up to ${callsOf(estimate)}, more than the ${limit} allowed per operation ` +
              '(MAX_VENDOR_CALLS_PER_OPERATION). Ask for fewer companies or fewer field groups per operation.',
            { estimatedVendorCalls: estimate.total, estimatedVendorCallsByVendor: estimate.byVendor, limit, http: { status: 400 } },
          );
        },
      };
    },
  };
}

/** "200 Kontur.Focus calls" when one vendor is asked; "53 vendor calls (Kontur.Focus 50, T-Bank 3)" when several. */
function callsOf({ total, byVendor }: VendorCallEstimate): string {
  const vendors = Object.entries(byVendor).filter(([, calls]) => calls > 0);
  if (vendors.length === 1) return `${total} ${vendors[0]![0]} calls`;
  return `${total} vendor calls (${vendors.map(([vendor, calls]) => `${vendor} ${calls}`).join(', ')})`;
}
