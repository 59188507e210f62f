import { checkWindow, collectEdges, connectionOf, type Connection, type PageWindow } from '../../common/relay.ts';
import { FOCUS_LIST_DEFAULT_FIRST, FOCUS_LIST_MAX_FIRST, FOCUS_PAGE_SIZE } from '../kontur-focus/index.ts';

/** Cursors past this position are refused: no Kontur.Focus list is that long, and a forged one must not cost calls. */
const MAX_POSITION = 50_000;

/**
 * A Relay connection over a Kontur.Focus list served in pages of 1000 (skip = 0, 1000, 2000 …). A vendor page is
 * fetched only when the requested window reaches into it; a page shorter than 1000 is the last one, which is also
 * when the total becomes known.
 */
export async function focusListConnection<T>(
  list: string,
  page: PageWindow,
  fetchPage: (skip: number) => Promise<T[]>,
): Promise<Connection<T>> {
  const window = checkWindow(list, page, {
    defaultFirst: FOCUS_LIST_DEFAULT_FIRST,
    maxFirst: FOCUS_LIST_MAX_FIRST,
    maxPosition: MAX_POSITION,
  });
  const end = window.start + window.first;
  const edges: Connection<T>['edges'] = [];
  let totalCount: number | null = null;
  let hasNextPage = false;
  if (window.first > 0) {
    for (let skip = Math.floor(window.start / FOCUS_PAGE_SIZE) * FOCUS_PAGE_SIZE; ; skip += FOCUS_PAGE_SIZE) {
      const items = await fetchPage(skip);
      collectEdges(edges, list, window, skip, items);
      const lastPage = items.length < FOCUS_PAGE_SIZE;
      // An empty page past the first says nothing about how long the list was when the earlier pages were read.
      if (lastPage && (items.length > 0 || skip === 0)) totalCount = skip + items.length;
      // More items exist past the window, or may: a full vendor page at the boundary means another page can follow.
      if (skip + items.length > end || (!lastPage && skip + items.length === end)) hasNextPage = true;
      if (lastPage || skip + FOCUS_PAGE_SIZE >= end) break;
    }
  }
  return connectionOf(edges, window, totalCount, hasNextPage);
}
