import { badUserInput } from '../../errors.ts';
import { encodeCursor, type Connection, type PageWindow } from '../../common/relay.ts';

export const DEFAULT_CONTRACTS_FIRST = 20;
export const MAX_CONTRACTS_FIRST = 100;
/** Cursors past this position are refused: a forged one must not cost a rate-limited call. */
const MAX_POSITION = 1_000_000;

/** A page of a limit/offset list: the vendor's total and the items from the page's offset. */
export interface OffsetPage<T> {
  total: number;
  items: T[];
}

function decodeCursor(list: string, cursor: string): number {
  const [name, index] = Buffer.from(cursor, 'base64url').toString().split(':');
  const position = Number(index);
  if (name !== list || !Number.isInteger(position) || position < 0 || position >= MAX_POSITION) {
    throw badUserInput(`Invalid cursor "${cursor}" for ${list}`, { argument: 'after' });
  }
  return position;
}

/**
 * A Relay connection over a vendor list paged by limit/offset with a known total (T-Bank's contracts), read in aligned
 * pages of `pageSize` (offset 0, 100, 200 …) so that pages can be cached and shared between windows. Only the pages
 * the window [after + 1, after + first] reaches into are fetched: at most two for `first` ≤ 100. A null page means
 * the vendor does not know the list's owner: an empty connection with totalCount 0.
 */
export async function offsetConnection<T>(
  list: string,
  window: PageWindow,
  pageSize: number,
  fetchPage: (offset: number) => Promise<OffsetPage<T> | null>,
): Promise<Connection<T>> {
  const first = window.first ?? DEFAULT_CONTRACTS_FIRST;
  if (!Number.isInteger(first) || first < 0 || first > MAX_CONTRACTS_FIRST) {
    throw badUserInput(`"first" must be between 0 and ${MAX_CONTRACTS_FIRST}`, { argument: 'first' });
  }
  const start = window.after ? decodeCursor(list, window.after) + 1 : 0;
  const end = start + first;
  const edges: Connection<T>['edges'] = [];
  let total = 0;
  for (let offset = Math.floor(start / pageSize) * pageSize; ; offset += pageSize) {
    const page = await fetchPage(offset);
    if (!page) return emptyConnection(0);
    total = page.total;
    page.items.forEach((node, position) => {
      const index = offset + position;
      if (index >= start && index < end) edges.push({ cursor: encodeCursor(list, index), node });
    });
    // The window is covered, the list ends here, or the vendor's page came back short (its own end of the list).
    if (offset + pageSize >= Math.min(end, total) || page.items.length < pageSize) break;
  }
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export function emptyConnection<T>(totalCount: number | null): Connection<T> {
  return { edges: [], totalCount, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
}
