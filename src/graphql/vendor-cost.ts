import {
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { ALL_COMPANY_METHODS, COMPANY_FIELD_METHODS } from '../modules/company/vendor-methods.ts';
import { FOCUS_MAX_IDS_PER_CALL } from '../vendors/kontur-focus/client.ts';

/**
 * An upper estimate of the vendor calls an operation can cost when nothing is cached, made before execution:
 * for each root field that looks companies up, ⌈identifiers / 100⌉ × the vendor methods its selection needs.
 * Aliases count separately (each alias is its own lookup).
 */
export function estimateVendorCalls(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  let calls = 0;
  for (const field of fieldsOf(operation.selectionSet, fragments)) {
    const lookup = companyLookup(field, variables);
    if (!lookup) continue;
    const methods = lookup.allMethods ? new Set(ALL_COMPANY_METHODS) : methodsFor(field.selectionSet, fragments);
    calls += Math.ceil(lookup.identifiers / FOCUS_MAX_IDS_PER_CALL) * (methods.size + lookup.extraCalls);
  }
  return calls;
}

interface Lookup {
  identifiers: number;
  /** Calls beyond the per-method ones (resolving an OGRN to its INN). */
  extraCalls: number;
  allMethods?: boolean;
}

function companyLookup(field: FieldNode, variables: Record<string, unknown>): Lookup | undefined {
  const argument = (name: string) => field.arguments?.find((arg) => arg.name.value === name)?.value;
  switch (field.name.value) {
    case 'company':
      return { identifiers: 1, extraCalls: argument('ogrn') ? 1 : 0 };
    case 'companies':
      return { identifiers: listLength(argument('inns'), variables), extraCalls: 0 };
    case '_entities':
      return { identifiers: listLength(argument('representations'), variables), extraCalls: 0 };
    case 'refreshCompany':
      return { identifiers: 1, extraCalls: 0, allMethods: true };
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

/** The vendor methods a Company selection needs: req always (the lookup itself), plus each field's own. */
function methodsFor(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>): Set<string> {
  const methods = new Set<string>(['req']);
  for (const field of fieldsOf(selectionSet, fragments)) {
    for (const method of COMPANY_FIELD_METHODS[field.name.value] ?? []) methods.add(method);
  }
  return methods;
}

/** The fields of a selection set, looking through inline fragments and fragment spreads. */
function fieldsOf(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
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
