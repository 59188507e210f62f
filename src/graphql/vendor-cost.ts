import {
  Kind,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { fieldsOf } from '../common/ast.ts';
import type { MergedCostRules, PagedCost, RootCost } from '../common/cost.ts';

/** An operation's cold cost: the vendor calls in all, and per vendor (as its cost rules name it). */
export interface VendorCallEstimate {
  total: number;
  byVendor: Record<string, number>;
}

/** The cold cost of an operation in vendor calls, all vendors together (see estimateVendorCallsByVendor). */
export function estimateVendorCalls(
  rules: MergedCostRules,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  return estimateVendorCallsByVendor(rules, document, operation, variables).total;
}

/**
 * An upper estimate of the vendor calls an operation can cost when nothing is cached, made before execution from the
 * modules' cost rules. Identifiers are tallied per method across all lookups of the operation (aliases included, since
 * the batchers coalesce them into shared calls), paged fields count per company and page, and the estimate is
 * Σ ⌈identifiers / identifiers per call⌉ per method (100 for Kontur.Focus's batches, 1 for T-Bank's per-INN calls)
 * plus the paged calls, per vendor. Variables missing from the request count with their declared default.
 */
export function estimateVendorCallsByVendor(
  rules: MergedCostRules,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): VendorCallEstimate {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const estimate = new Estimate(rules, fragments, withDefaults(operation, variables));
  for (const field of fieldsOf(operation.selectionSet, fragments)) {
    const root = rules.roots[field.name.value];
    if (root) estimate.root(field, root);
  }
  return estimate.total();
}

class Estimate {
  private readonly identifiers = new Map<string, number>();
  /** Calls counted whole (paged fields, serial roots), by vendor. */
  private readonly calls = new Map<string, number>();
  /** Values of serial fields already counted, by field: aliases of one value share its calls. */
  private readonly serialSeen = new Map<string, Set<string>>();

  constructor(
    private readonly rules: MergedCostRules,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
  ) {}

  root(field: FieldNode, rule: RootCost): void {
    const companies = this.companiesOf(field, rule);
    const given = (name: string) => field.arguments?.some((argument) => argument.name.value === name) ?? false;
    if (rule.byOgrn && given(rule.byOgrn.argument)) this.add(rule.byOgrn.method, companies);
    if (rule.serial) this.addSerial(field, rule);
    else for (const method of rule.methods ?? []) this.add(method, companies);
    const selection =
      rule.selection && rule.selection !== 'self'
        ? fieldsOf(field.selectionSet, this.fragments).find((child) => child.name.value === (rule.selection as { child: string }).child)
            ?.selectionSet
        : field.selectionSet;
    this.company(selection, companies);
  }

  total(): VendorCallEstimate {
    const byVendor: Record<string, number> = Object.fromEntries(this.calls);
    for (const [method, count] of this.identifiers) {
      const { vendor, identifiersPerCall } = this.method(method);
      byVendor[vendor] = (byVendor[vendor] ?? 0) + Math.ceil(count / identifiersPerCall);
    }
    return { total: Object.values(byVendor).reduce((sum, calls) => sum + calls, 0), byVendor };
  }

  private method(name: string): MergedCostRules['methods'][string] {
    const method = this.rules.methods[name];
    if (!method) throw new Error(`The method ${name} is costed but no vendor declares it`);
    return method;
  }

  private addCalls(vendor: string, calls: number): void {
    this.calls.set(vendor, (this.calls.get(vendor) ?? 0) + calls);
  }

  private addSerial(field: FieldNode, rule: RootCost): void {
    const value = field.arguments?.find((argument) => argument.name.value === rule.serial!.argument)?.value;
    const key =
      value === undefined ? '' : value.kind === Kind.VARIABLE ? `$${value.name.value}` : JSON.stringify(valueFromASTUntyped(value));
    const seen = this.serialSeen.get(field.name.value) ?? new Set<string>();
    this.serialSeen.set(field.name.value, seen);
    if (seen.has(key)) return;
    seen.add(key);
    for (const method of rule.methods ?? []) this.addCalls(this.method(method).vendor, 1);
  }

  private add(method: string, identifiers: number): void {
    this.identifiers.set(method, (this.identifiers.get(method) ?? 0) + identifiers);
  }

  private companiesOf(field: FieldNode, rule: RootCost): number {
    if ('fixed' in rule.companies) return rule.companies.fixed;
    if ('one' in rule.companies) return 1;
    const name = rule.companies.listArgument;
    return listLength(field.arguments?.find((argument) => argument.name.value === name)?.value, this.variables);
  }

  /** What a Company selection costs for n companies: its batched methods, and paged fields per company. */
  private company(selectionSet: SelectionSetNode | undefined, companies: number): void {
    const methods = new Set<string>(this.rules.lookupMethods);
    for (const field of fieldsOf(selectionSet, this.fragments)) {
      const name = field.name.value;
      for (const method of this.rules.companyFields[name] ?? []) methods.add(method);
      const nested = this.rules.nestedFields[name];
      if (nested) {
        for (const child of fieldsOf(field.selectionSet, this.fragments))
          for (const method of nested[child.name.value] ?? []) methods.add(method);
      }
      const paged = this.rules.pagedFields[name];
      if (paged) this.paged(field, paged, companies);
    }
    for (const method of methods) this.add(method, companies);
  }

  private paged(field: FieldNode, rule: PagedCost & { vendor: string }, companies: number): void {
    // A `first` out of range is refused by the field itself (BAD_USER_INPUT) before any page is read: not counted here.
    const given = numberArgument(field, 'first', this.variables);
    const first = given !== undefined && Number.isInteger(given) && given >= 0 && given <= rule.maxFirst ? given : rule.defaultFirst;
    const pages =
      Math.max(1, Math.ceil(first / rule.pageSize)) + (field.arguments?.some((argument) => argument.name.value === 'after') ? 1 : 0);
    if (companies > 0) this.addCalls(rule.vendor, companies * pages);
    if (!rule.parties) return;
    for (const selection of this.partySelections(field.selectionSet, rule.parties.fields))
      this.company(selection, companies * first * rule.parties.perItem);
  }

  /** The `company { … }` selections under edges.node.<party field> of a connection. */
  private partySelections(selectionSet: SelectionSetNode | undefined, partyFields: readonly string[]): SelectionSetNode[] {
    const named = (set: SelectionSetNode | undefined, names: readonly string[]) =>
      fieldsOf(set, this.fragments).filter((field) => names.includes(field.name.value));
    return named(selectionSet, ['edges'])
      .flatMap((edges) => named(edges.selectionSet, ['node']))
      .flatMap((node) => named(node.selectionSet, partyFields))
      .flatMap((party) => named(party.selectionSet, ['company']))
      .flatMap((company) => (company.selectionSet ? [company.selectionSet] : []));
  }
}

function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const bound = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (bound[name] === undefined && definition.defaultValue) bound[name] = valueFromASTUntyped(definition.defaultValue);
  }
  return bound;
}

function listLength(value: ValueNode | undefined, variables: Record<string, unknown>): number {
  if (!value) return 0;
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return Array.isArray(bound) ? bound.length : bound === undefined || bound === null ? 0 : 1;
  }
  return 1;
}

function numberArgument(field: FieldNode, name: string, variables: Record<string, unknown>): number | undefined {
  const value = field.arguments?.find((argument) => argument.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return typeof bound === 'number' ? bound : undefined;
  }
  return undefined;
}
