/**
 * PHP-style bracket forms, the way Bitrix24 reads and writes them (shared/vendors/bitrix24.md §2.1, §3.2, §7):
 * `fields[TITLE]=…`, `filter[>DATE_MODIFY]=…`, `select[]=ID&select[]=TITLE`, `cmd[a]=crm.company.get?id=1`.
 * Parsed into nested objects; an object whose keys are exactly 0…n-1 becomes an array (as PHP lists are).
 */

type Node = Record<string, unknown>;

/** A scalar as text (null and undefined as ''); objects never reach here. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** `a[b][]` → ['a', 'b', '']; a key that is not bracket-shaped stays whole. */
function splitKey(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return [key];
  return [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((segment) => segment[1]!)];
}

function nextIndex(node: Node): string {
  let index = 0;
  while (Object.hasOwn(node, String(index))) index += 1;
  return String(index);
}

function assign(target: Node, path: string[], value: string): void {
  let node = target;
  for (let i = 0; i < path.length; i += 1) {
    const key = path[i] === '' ? nextIndex(node) : path[i]!;
    if (FORBIDDEN.has(key)) return;
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const child = node[key];
    if (child === null || typeof child !== 'object') node[key] = {};
    node = node[key] as Node;
  }
}

/** Objects keyed exactly 0…n-1 become arrays, everywhere below. */
function listify(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Node).map(([key, item]) => [key, listify(item)] as const);
  if (entries.length > 0 && entries.every(([key], index) => key === String(index))) return entries.map(([, item]) => item);
  return Object.fromEntries(entries);
}

export function parseForm(text: string | URLSearchParams): Record<string, unknown> {
  const out: Node = {};
  const params = typeof text === 'string' ? new URLSearchParams(text) : text;
  for (const [key, value] of params) assign(out, splitKey(key), value);
  return listify(out) as Record<string, unknown>;
}

/** The inverse: nested objects and arrays flattened to bracket keys, every leaf a string (null → ''). */
export function encodeForm(value: Record<string, unknown>): URLSearchParams {
  const params = new URLSearchParams();
  const walk = (prefix: string, item: unknown): void => {
    if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item as Node)) walk(`${prefix}[${key}]`, child);
      return;
    }
    params.append(prefix, scalarText(item));
  };
  for (const [key, item] of Object.entries(value)) walk(key, item);
  return params;
}
