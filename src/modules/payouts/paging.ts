import { checkWindow as checkRelayWindow, collectEdges, connectionOf, type Connection, type Window } from '../../common/relay.ts';
import { JUMP_MAX_PER_PAGE, JUMP_PER_PAGE, type JumpPage } from './vendor/schemas.ts';

/**
 * Relay connections over Jump.Finance's page/per_page paging. A cursor is the item's offset in the vendor's list
 * (opaque, tagged with the list's name). A window [start, start + first) is read with the fewest calls the
 * per_page enum allows: the smallest allowed page size whose one page covers the window, else pages of 200 (at
 * most two, since `first` ≤ 200). Offsets shift when items are added meanwhile, as on the vendor's own pages.
 */

export const DEFAULT_FIRST = 50;
export const MAX_FIRST = JUMP_MAX_PER_PAGE;
/** Cursors past this offset are refused: a forged one must not cost calls. */
const MAX_OFFSET = 1_000_000;

export type { Window };

/** `first` and `after` checked before any call (BAD_USER_INPUT on the field), as every connection does. */
export function checkWindow(list: string, first: number | null | undefined, after: string | null | undefined): Window {
  return checkRelayWindow(list, { first, after }, { defaultFirst: DEFAULT_FIRST, maxFirst: MAX_FIRST, maxPosition: MAX_OFFSET });
}

/** Which vendor pages (1-based) of which size cover the window. */
export function planPages(window: Window): { perPage: number; pages: number[] } {
  const { first, start } = window;
  if (first === 0) return { perPage: 1, pages: [] };
  const last = start + first - 1;
  for (const perPage of JUMP_PER_PAGE) {
    if (perPage >= first && Math.floor(start / perPage) === Math.floor(last / perPage)) {
      return { perPage, pages: [Math.floor(start / perPage) + 1] };
    }
  }
  const pages: number[] = [];
  for (let page = Math.floor(start / JUMP_MAX_PER_PAGE); page <= Math.floor(last / JUMP_MAX_PER_PAGE); page++) pages.push(page + 1);
  return { perPage: JUMP_MAX_PER_PAGE, pages };
}

/** Reads the window's pages (in order, stopping past the last page) and builds the connection. */
export async function pagedConnection<T, N>(
  list: string,
  window: Window,
  fetchPage: (page: number, perPage: number) => Promise<JumpPage<T>>,
  toNode: (item: T) => N,
): Promise<Connection<N>> {
  const { perPage, pages } = planPages(window);
  const edges: Connection<N>['edges'] = [];
  let total: number | null = null;
  for (const page of pages) {
    const { items, meta } = await fetchPage(page, perPage);
    total = meta.total;
    collectEdges(edges, list, window, (page - 1) * perPage, items, toNode);
    if (page >= meta.last_page) break;
  }
  if (pages.length === 0) {
    // first: 0 still answers the total, with the smallest page the vendor allows.
    const { meta } = await fetchPage(1, 1);
    total = meta.total;
  }
  return connectionOf(edges, window, total, total !== null && window.start + edges.length < total && edges.length === window.first);
}
