import { badUserInput } from '../errors.ts';
import { echoInput } from '../observability/redaction.ts';

/**
 * Relay connections, the one helper every paged field builds on: opaque cursors (an item's position in its list,
 * tagged with the list's name), the `first`/`after` window checked before any vendor call, and the connection built
 * from the items a window covers. Each vendor's paging (Kontur.Focus's pages of 1000, T-Bank's offsets, Jump.Finance's
 * page/per_page) reads its pages and hands the items here.
 */

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

export interface PageWindow {
  first?: number | null;
  after?: string | null;
}

export interface WindowRules {
  defaultFirst: number;
  maxFirst: number;
  /** Cursors past this position are refused: no vendor list is that long, and a forged one must not cost calls. */
  maxPosition: number;
}

/** A checked window: `first` items from position `start`. */
export interface Window {
  first: number;
  start: number;
}

export function encodeCursor(list: string, index: number): string {
  return Buffer.from(`${list}:${index}`).toString('base64url');
}

export function decodeCursor(list: string, cursor: string, maxPosition: number): number {
  const [name, index] = Buffer.from(cursor, 'base64url').toString().split(':');
  const position = Number(index);
  if (name !== list || !Number.isInteger(position) || position < 0 || position >= maxPosition) {
    throw badUserInput(`Invalid cursor "${echoInput(cursor)}" for ${list}`, { argument: 'after' });
  }
  return position;
}

/** `first` and `after` of a paged field, checked before any page is read (BAD_USER_INPUT on the field). */
export function checkWindow(list: string, window: PageWindow, rules: WindowRules): Window {
  const first = window.first ?? rules.defaultFirst;
  if (!Number.isInteger(first) || first < 0 || first > rules.maxFirst) {
    throw badUserInput(`"first" must be between 0 and ${rules.maxFirst}`, { argument: 'first' });
  }
  return { first, start: window.after ? decodeCursor(list, window.after, rules.maxPosition) + 1 : 0 };
}

/** Adds the items of one vendor page that fall in the window, with their cursors. */
export function collectEdges<T, N = T>(
  edges: Connection<N>['edges'],
  list: string,
  window: Window,
  offset: number,
  items: readonly T[],
  toNode: (item: T) => N = (item) => item as unknown as N,
): void {
  const end = window.start + window.first;
  items.forEach((item, position) => {
    const index = offset + position;
    if (index >= window.start && index < end) edges.push({ cursor: encodeCursor(list, index), node: toNode(item) });
  });
}

export function connectionOf<T>(
  edges: Connection<T>['edges'],
  window: Window,
  totalCount: number | null,
  hasNextPage: boolean,
): Connection<T> {
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: window.start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export function emptyConnection<T>(totalCount: number | null): Connection<T> {
  return connectionOf<T>([], { first: 0, start: 0 }, totalCount, false);
}
