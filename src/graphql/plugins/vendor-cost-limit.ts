import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, valueFromASTUntyped, visit, type ArgumentNode } from 'graphql';
import { checkWindowShape } from '../../modules/collections/connection.ts';
import type { GraphQLContext } from '../../context.ts';
import { estimateVendorCalls } from '../vendor-cost.ts';

/** Rejects, before any vendor call, an operation whose cold cost estimate exceeds MAX_VENDOR_CALLS_PER_OPERATION. */
export function vendorCostLimitPlugin(limit: number): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          checkPagingArguments(operation, request.variables ?? {});
          const estimate = estimateVendorCalls(document, operation, request.variables ?? {});
          if (estimate <= limit) return;
          throw new GraphQLError(
            `This operation could cost up to ${estimate} Kontur.Focus calls, more than the ${limit} allowed per operation ` +
              '(MAX_VENDOR_CALLS_PER_OPERATION). Ask for fewer companies or fewer field groups per operation.',
            { extensions: { code: 'QUERY_TOO_EXPENSIVE', estimatedVendorCalls: estimate, limit, http: { status: 400 } } },
          );
        },
      };
    },
  };
}

const FOCUS_PAGED_FIELDS = new Set(['fsspProceedings', 'purchases']);

/** Paging arguments anywhere in the operation are checked before execution: a bad cursor must not follow a paid lookup. */
function checkPagingArguments(operation: Parameters<typeof visit>[0], variables: Record<string, unknown>): void {
  const valueOf = (argument: ArgumentNode | undefined) =>
    argument === undefined
      ? undefined
      : argument.value.kind === Kind.VARIABLE
        ? variables[argument.value.name.value]
        : valueFromASTUntyped(argument.value);
  visit(operation, {
    Field(field) {
      if (!FOCUS_PAGED_FIELDS.has(field.name.value)) return;
      const first = field.arguments?.find((argument) => argument.name.value === 'first');
      const after = field.arguments?.find((argument) => argument.name.value === 'after');
      if (first || after) checkWindowShape(valueOf(first), valueOf(after));
    },
  });
}
