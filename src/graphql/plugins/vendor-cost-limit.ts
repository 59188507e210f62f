import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
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
  const estimates = new EstimateCache();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request }) {
          if (!operation) return;
          const estimate = estimates.of(document, operation, request.variables ?? {}, () =>
            estimateVendorCallsByVendor(rules, document, operation, request.variables ?? {}),
          );
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

/** Estimates kept per document (Apollo hands the same parsed document for the same query text), by variable shape. */
const SHAPES_PER_DOCUMENT = 64;

/**
 * The estimate is a function of the document, the operation and, of the variables, only list lengths, numbers
 * (`first`) and which are absent (vendor-cost.ts: identifiers are counted, never read): so it is computed once per
 * document and variable shape, not once per request — a CRM asking the same query for another INN reuses it.
 */
class EstimateCache {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, VendorCallEstimate>>();

  of(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>, estimate: () => VendorCallEstimate) {
    let shapes = this.byDocument.get(document);
    if (!shapes) this.byDocument.set(document, (shapes = new Map<string, VendorCallEstimate>()));
    const key = `${operation.name?.value ?? ''}|${shapeOf(operation, variables)}`;
    let known = shapes.get(key);
    if (!known) {
      known = estimate();
      if (shapes.size < SHAPES_PER_DOCUMENT) shapes.set(key, known);
    }
    return known;
  }
}

/**
 * `[250],20,s,-`: for each variable the operation declares (in its order; names come from the document, never from
 * the request, so a client cannot grow this cache with variables nobody reads), its list length, its number, absent, null, or anything else.
 */
function shapeOf(operation: OperationDefinitionNode, variables: Record<string, unknown>): string {
  let shape = '';
  for (const definition of operation.variableDefinitions ?? []) {
    const value = variables[definition.variable.name.value];
    // Absent and null differ: an absent variable takes its declared default.
    shape += Array.isArray(value)
      ? `[${value.length}],`
      : typeof value === 'number'
        ? `${value},`
        : value === undefined
          ? 'u,'
          : value === null
            ? '-,'
            : 's,';
  }
  return shape;
}
