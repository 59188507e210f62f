/**
 * What fields cost in vendor calls, declared by the modules that resolve them and merged by the cost estimate
 * (src/graphql/vendor-cost.ts) that refuses an operation before any call. Identifiers are tallied per method across
 * the whole operation, then cost ⌈identifiers / 100⌉ calls per method.
 */

/** A root field (Query/Mutation) that looks companies up. */
export interface RootCost {
  /** How many companies: the length of a list argument, one, or a fixed estimate (a change list's unknown length). */
  companies: { listArgument: string } | { one: true } | { fixed: number };
  /** When this argument is given, an OGRN is first resolved to its INN: one call of `method` per 100 more. */
  byOgrn?: { argument: string; method: string };
  /** Methods the lookup itself calls for every company, whatever the selection. */
  methods?: readonly string[];
  /** Where the Company selection is: the field's own (default), a child field's, or none counts. */
  selection?: { child: string } | 'self';
  /**
   * Mutation fields run one after another, so aliases of it never share a call: each distinct value of this argument
   * costs one call per method of its own instead of joining the operation's tally (aliases of one value share one).
   */
  serial?: { argument: string };
}

/** A Company field backed by a paged vendor list: one call per company and page its window spans. */
export interface PagedCost {
  pageSize: number;
  defaultFirst: number;
  maxFirst: number;
  /** Companies each item names (purchase customers and participants), looked up in batches again, and where. */
  parties?: { perItem: number; fields: readonly string[] };
}

export interface CostRules {
  /** The vendor whose calls these are, as the refusal names them ("Kontur.Focus calls"). */
  vendor?: string;
  /** Methods every company lookup calls (Kontur.Focus's req). */
  lookupMethods?: readonly string[];
  roots?: Readonly<Record<string, RootCost>>;
  /** Company field → the methods it calls per company. */
  companyFields?: Readonly<Record<string, readonly string[]>>;
  /** Company field → a field below it → the methods that one calls. */
  nestedFields?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  pagedFields?: Readonly<Record<string, PagedCost>>;
}

/** The rules of every module as one set; a field declared twice is a bug. */
export function mergeCostRules(all: readonly CostRules[]): Required<CostRules> {
  const merged: {
    vendor: string;
    lookupMethods: string[];
    roots: Record<string, RootCost>;
    companyFields: Record<string, string[]>;
    nestedFields: Record<string, Readonly<Record<string, readonly string[]>>>;
    pagedFields: Record<string, PagedCost>;
  } = { vendor: '', lookupMethods: [], roots: {}, companyFields: {}, nestedFields: {}, pagedFields: {} };
  for (const rules of all) {
    if (rules.vendor) merged.vendor = merged.vendor ? `${merged.vendor}/${rules.vendor}` : rules.vendor;
    merged.lookupMethods.push(...(rules.lookupMethods ?? []).filter((method) => !merged.lookupMethods.includes(method)));
    for (const [field, methods] of Object.entries(rules.companyFields ?? {})) {
      merged.companyFields[field] = [...new Set([...(merged.companyFields[field] ?? []), ...methods])];
    }
    for (const [name, table] of [
      ['roots', rules.roots],
      ['nestedFields', rules.nestedFields],
      ['pagedFields', rules.pagedFields],
    ] as const) {
      for (const [field, rule] of Object.entries(table ?? {})) {
        const target = merged[name] as Record<string, unknown>;
        if (field in target) throw new Error(`The cost of ${field} (${name}) is declared by two modules`);
        target[field] = rule;
      }
    }
  }
  return merged;
}
