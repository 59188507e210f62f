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
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../common/relay.ts';
import { ALL_COMPANY_METHODS, COMPANY_FIELD_METHODS, COMPANY_NESTED_FIELD_METHODS, COMPANY_PAGED_FIELDS } from '../modules/kontur-focus/methods.ts';
import { FOCUS_MAX_IDS_PER_CALL, FOCUS_PAGE_SIZE } from '../modules/kontur-focus/vendor/client.ts';

/** Parties per purchase assumed by the estimate (customers plus participants; joint purchases have more). */
const PARTIES_PER_PURCHASE = 2;
/** Companies assumed on one day's change list. */
const CHANGED_COMPANIES_ESTIMATE = 1000;

/**
 * An upper estimate of the vendor calls an operation can cost when nothing is cached, made before execution.
 * Identifiers are tallied per vendor method across all lookups of the operation (aliases included, since the
 * batchers coalesce them into shared calls of up to 100), paged fields count per company and page, and the
 * estimate is Σ ⌈identifiers / 100⌉ per method plus the paged calls. Variables missing from the request
 * count with their declared default.
 */
export function estimateVendorCalls(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const bound = withDefaults(operation, variables);
  const tally = new CostTally();
  for (const field of fieldsOf(operation.selectionSet, fragments)) {
    const lookup = companyLookup(field, bound);
    if (!lookup) continue;
    if (lookup.allMethods) {
      for (const method of ALL_COMPANY_METHODS) tally.add(method, lookup.identifiers);
      continue;
    }
    if (lookup.byOgrn) tally.add('req:ogrn', lookup.identifiers);
    if (lookup.screening) {
      // Screening reads req and analytics for every INN, plus whatever its `company` selection asks.
      tally.add('analytics', lookup.identifiers);
      const company = fieldsOf(field.selectionSet, fragments).find((child) => child.name.value === 'company');
      addCompanySelection(tally, company?.selectionSet, lookup.identifiers, fragments, bound);
      continue;
    }
    addCompanySelection(tally, field.selectionSet, lookup.identifiers, fragments, bound);
  }
  return tally.total();
}

class CostTally {
  private readonly identifiers = new Map<string, number>();
  private pagedCalls = 0;

  add(method: string, identifiers: number): void {
    this.identifiers.set(method, (this.identifiers.get(method) ?? 0) + identifiers);
  }

  addPaged(calls: number): void {
    this.pagedCalls += calls;
  }

  total(): number {
    let calls = this.pagedCalls;
    for (const count of this.identifiers.values()) calls += Math.ceil(count / FOCUS_MAX_IDS_PER_CALL);
    return calls;
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

interface Lookup {
  identifiers: number;
  /** An OGRN is first resolved to its INN (one more req call per 100). */
  byOgrn?: boolean;
  allMethods?: boolean;
  screening?: boolean;
}

function companyLookup(field: FieldNode, variables: Record<string, unknown>): Lookup | undefined {
  const argument = (name: string) => field.arguments?.find((arg) => arg.name.value === name)?.value;
  switch (field.name.value) {
    case 'company':
      return { identifiers: 1, byOgrn: argument('ogrn') !== undefined };
    case 'companies':
      return { identifiers: listLength(argument('inns'), variables) };
    case '_entities':
      return { identifiers: listLength(argument('representations'), variables) };
    case 'changedCompanies':
      // The change list's length is unknown before the call: counted as the most a query may ask for.
      return { identifiers: CHANGED_COMPANIES_ESTIMATE };
    case 'screenCounterparties':
      return { identifiers: listLength(argument('inns'), variables), screening: true };
    case 'refreshCompany':
      return { identifiers: 1, allMethods: true };
    default:
      return undefined;
  }
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

/** Tallies what a Company selection costs for n companies: its batched methods, and paged fields per company. */
function addCompanySelection(
  tally: CostTally,
  selectionSet: SelectionSetNode | undefined,
  companies: number,
  fragments: Map<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): void {
  const methods = new Set<string>(['req']);
  for (const field of fieldsOf(selectionSet, fragments)) {
    for (const method of COMPANY_FIELD_METHODS[field.name.value] ?? []) methods.add(method);
    const nestedMethods = COMPANY_NESTED_FIELD_METHODS[field.name.value];
    if (nestedMethods) {
      for (const nested of fieldsOf(field.selectionSet, fragments)) for (const method of nestedMethods[nested.name.value] ?? []) methods.add(method);
    }
    if (!COMPANY_PAGED_FIELDS.has(field.name.value)) continue;
    // A `first` out of range is refused by the field itself (BAD_USER_INPUT) before any page is read: not counted here.
    const given = numberArgument(field, 'first', variables);
    const first = given !== undefined && Number.isInteger(given) && given >= 0 && given <= MAX_PAGE_SIZE ? given : DEFAULT_PAGE_SIZE;
    const pages = Math.max(1, Math.ceil(first / FOCUS_PAGE_SIZE)) + (field.arguments?.some((arg) => arg.name.value === 'after') ? 1 : 0);
    tally.addPaged(companies * pages);
    for (const selection of partyCompanySelections(field.selectionSet, fragments)) {
      addCompanySelection(tally, selection, companies * first * PARTIES_PER_PURCHASE, fragments, variables);
    }
  }
  for (const method of methods) tally.add(method, companies);
}

/** The `company { … }` selections under edges.node.customers / participants of a purchases connection. */
function partyCompanySelections(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>): SelectionSetNode[] {
  const result: SelectionSetNode[] = [];
  for (const edges of fieldsOf(selectionSet, fragments).filter((field) => field.name.value === 'edges')) {
    for (const node of fieldsOf(edges.selectionSet, fragments).filter((field) => field.name.value === 'node')) {
      for (const party of fieldsOf(node.selectionSet, fragments).filter((field) => ['customers', 'participants'].includes(field.name.value))) {
        for (const company of fieldsOf(party.selectionSet, fragments).filter((field) => field.name.value === 'company')) {
          if (company.selectionSet) result.push(company.selectionSet);
        }
      }
    }
  }
  return result;
}

function numberArgument(field: FieldNode, name: string, variables: Record<string, unknown>): number | undefined {
  const value = field.arguments?.find((arg) => arg.name.value === name)?.value;
  if (!value) return undefined;
  if (value.kind === Kind.INT) return Number(value.value);
  if (value.kind === Kind.VARIABLE) {
    const bound = variables[value.name.value];
    return typeof bound === 'number' ? bound : undefined;
  }
  return undefined;
}

/** The fields of a selection set, looking through inline fragments and fragment spreads. */
export function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  if (!selectionSet) return [];
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name)) return [];
    seen.add(name);
    return fieldsOf(fragments.get(name)?.selectionSet, fragments, seen);
  });
}
