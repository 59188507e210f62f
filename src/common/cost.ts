/**
 * What fields cost in vendor calls, declared by the modules that resolve them and merged by the cost estimate
 * (src/graphql/vendor-cost.ts) that refuses an operation before any call. Each vendor module declares its methods
 * (identifiers per call) under its vendor's name; identifiers are tallied per method across the whole operation, then
 * cost ⌈identifiers / identifiers per call⌉ calls per method.
 */

/** Identifiers one call of a method carries when its vendor does not say (Kontur.Focus's batches of 100). */
export const DEFAULT_IDENTIFIERS_PER_CALL = 100;

/** A vendor method as the estimate counts it. */
export interface MethodCost {
  /** Identifiers one call carries: 100 for a batch method (the default), 1 for a method called per identifier. */
  identifiersPerCall?: number;
}

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
  /** The vendor whose `methods` and `pagedFields` these are, as the refusal names it ("Kontur.Focus calls"). */
  vendor?: string;
  /** The vendor's methods: every method any module's rules name must be declared by one vendor module. */
  methods?: Readonly<Record<string, MethodCost>>;
  /** Methods every company lookup calls (Kontur.Focus's req). */
  lookupMethods?: readonly string[];
  roots?: Readonly<Record<string, RootCost>>;
  /** Company field → the methods it calls per company. */
  companyFields?: Readonly<Record<string, readonly string[]>>;
  /** Company field → a field below it → the methods that one calls. */
  nestedFields?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Company field → its paged list, one call of this module's vendor per company and page. */
  pagedFields?: Readonly<Record<string, PagedCost>>;
}

/** Every module's rules as one set, each method and paged field with its vendor. */
export interface MergedCostRules {
  /** Method → its vendor's name and the identifiers one call carries. */
  methods: Readonly<Record<string, { vendor: string; identifiersPerCall: number }>>;
  lookupMethods: readonly string[];
  roots: Readonly<Record<string, RootCost>>;
  companyFields: Readonly<Record<string, readonly string[]>>;
  nestedFields: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  pagedFields: Readonly<Record<string, PagedCost & { vendor: string }>>;
}

/**
 * The rules of every module as one set. A field or a method declared twice is a bug, and so is a method no vendor
 * declares or a paged field of a module that names no vendor: the estimate could not say whose calls they are.
 */
export function mergeCostRules(all: readonly CostRules[]): MergedCostRules {
  const methods: Record<string, { vendor: string; identifiersPerCall: number }> = {};
  const lookupMethods: string[] = [];
  const roots: Record<string, RootCost> = {};
  const companyFields: Record<string, string[]> = {};
  const nestedFields: Record<string, Readonly<Record<string, readonly string[]>>> = {};
  const pagedFields: Record<string, PagedCost & { vendor: string }> = {};
  const once = <T>(table: Record<string, T>, name: string, what: string, value: T) => {
    if (name in table) throw new Error(`The cost of ${name} (${what}) is declared by two modules`);
    table[name] = value;
  };
  for (const rules of all) {
    for (const [method, cost] of Object.entries(rules.methods ?? {})) {
      if (!rules.vendor) throw new Error(`Cost rules declaring the method ${method} name no vendor`);
      once(methods, method, 'methods', {
        vendor: rules.vendor,
        identifiersPerCall: cost.identifiersPerCall ?? DEFAULT_IDENTIFIERS_PER_CALL,
      });
    }
    lookupMethods.push(...(rules.lookupMethods ?? []).filter((method) => !lookupMethods.includes(method)));
    for (const [field, fieldMethods] of Object.entries(rules.companyFields ?? {})) {
      companyFields[field] = [...new Set([...(companyFields[field] ?? []), ...fieldMethods])];
    }
    for (const [field, rule] of Object.entries(rules.roots ?? {})) once(roots, field, 'roots', rule);
    for (const [field, rule] of Object.entries(rules.nestedFields ?? {})) once(nestedFields, field, 'nestedFields', rule);
    for (const [field, rule] of Object.entries(rules.pagedFields ?? {})) {
      if (!rules.vendor) throw new Error(`Cost rules declaring the paged field ${field} name no vendor`);
      once(pagedFields, field, 'pagedFields', { ...rule, vendor: rules.vendor });
    }
  }
  const named = [
    ...lookupMethods,
    ...Object.values(roots).flatMap((root) => [...(root.methods ?? []), ...(root.byOgrn ? [root.byOgrn.method] : [])]),
    ...Object.values(companyFields).flat(),
    ...Object.values(nestedFields).flatMap((nested) => Object.values(nested).flat()),
  ];
  for (const method of named) if (!(method in methods)) throw new Error(`The method ${method} is costed but no vendor declares it`);
  return { methods, lookupMethods, roots, companyFields, nestedFields, pagedFields };
}
