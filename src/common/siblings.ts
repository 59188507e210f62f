import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { fieldsOf } from './ast.ts';

/**
 * The names of the fields selected next to the resolving one (on the same parent object), found by walking the
 * operation along the response path, through aliases and fragments.
 */
export function siblingFieldNames(info: GraphQLResolveInfo): string[] {
  return fieldNamesUnder(info, info.path.prev);
}

/** The names of the fields selected under the resolving one (on the object it answers), through aliases and fragments. */
export function childFieldNames(info: GraphQLResolveInfo): string[] {
  return fieldNamesUnder(info, info.path);
}

function fieldNamesUnder(info: GraphQLResolveInfo, path: GraphQLResolveInfo['path'] | undefined): string[] {
  const keys: string[] = [];
  for (let step = path; step; step = step.prev) if (typeof step.key === 'string') keys.unshift(step.key);
  const fragments = new Map(Object.entries(info.fragments));
  let selection: SelectionSetNode | undefined = info.operation.selectionSet;
  for (const key of keys) {
    const matches: FieldNode[] = fieldsOf(selection, fragments).filter((field) => (field.alias ?? field.name).value === key);
    // Fields merged under one response key: their sub-selections together are what the parent answered.
    selection = matches[0]?.selectionSet && {
      ...matches[0].selectionSet,
      selections: matches.flatMap((field) => field.selectionSet?.selections ?? []),
    };
  }
  return fieldsOf(selection, fragments).map((field) => field.name.value);
}
