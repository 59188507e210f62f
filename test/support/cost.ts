import { parse, Kind, type OperationDefinitionNode } from 'graphql';
import { MODULES } from '../../src/app/registry.ts';
import { mergeCostRules } from '../../src/common/cost.ts';
import { estimateVendorCallsByVendor, type VendorCallEstimate } from '../../src/graphql/vendor-cost.ts';

/** Every module's cost rules, merged as the server merges them. */
export const COST_RULES = mergeCostRules(MODULES.flatMap((module) => (module.costs ? [module.costs] : [])));

/** The cold-cost estimate of an operation, as the server makes it before execution. */
export function estimate(query: string, variables: Record<string, unknown> = {}): number {
  return estimateByVendor(query, variables).total;
}

/** The same, per vendor. */
export function estimateByVendor(query: string, variables: Record<string, unknown> = {}): VendorCallEstimate {
  const document = parse(query);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return estimateVendorCallsByVendor(COST_RULES, document, operation, variables);
}
