import { checkWindow, collectEdges, connectionOf, emptyConnection, type Connection, type PageWindow } from '../../common/relay.ts';

export const DEFAULT_CONTRACTS_FIRST = 20;
export const MAX_CONTRACTS_FIRST = 100;
/** Cursors past this position are refused: a forged one must not cost a rate-limited call. */
const MAX_POSITION = 1_000_000;

/** A page of a limit/offset list: the vendor's total and the items from the page's offset. */
export interface OffsetPage<T> {
  total: number;
  items: T[];
}

/**
 * A Relay connection over a vendor list paged by limit/offset with a known total (T-Bank's contracts), read in aligned
 * pages of `pageSize` (offset 0, 100, 200 …) so that pages can be cached and shared between windows. Only the pages
 * the window [after + 1, after + first] reaches into are fetched: at most two for `first` ≤ 100. A null page means
 * the vendor does not know the list's owner: an empty connection with totalCount 0.
 */
export async function offsetConnection<T>(
  list: string,
  page: PageWindow,
  pageSize: number,
  fetchPage: (offset: number) => Promise<OffsetPage<T> | null>,
): Promise<Connection<T>> {
  const window = checkWindow(list, page, {
    defaultFirst: DEFAULT_CONTRACTS_FIRST,
    maxFirst: MAX_CONTRACTS_FIRST,
    maxPosition: MAX_POSITION,
  });
  const end = window.start + window.first;
  const edges: Connection<T>['edges'] = [];
  let total = 0;
  for (let offset = Math.floor(window.start / pageSize) * pageSize; ; offset += pageSize) {
    const answer = await fetchPage(offset);
    if (!answer) return emptyConnection(0);
    total = answer.total;
    collectEdges(edges, list, window, offset, answer.items);
    // The window is covered, the list ends here, or the vendor's page came back short (its own end of the list).
    if (offset + pageSize >= Math.min(end, total) || answer.items.length < pageSize) break;
  }
  return connectionOf(edges, window, total, end < total);
}

export { emptyConnection };
