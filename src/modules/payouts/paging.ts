import { badUserInput } from '../../errors.ts';
import { encodeCursor, type Connection } from '../../common/relay.ts';
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

export interface Window {
  first: number;
  start: number;
}

export function checkWindow(list: string, first: number | null | undefined, after: string | null | undefined): Window {
  const size = first ?? DEFAULT_FIRST;
  if (!Number.isInteger(size) || size < 0 || size > MAX_FIRST) {
    throw badUserInput(`"first" must be between 0 and ${MAX_FIRST}`, { argument: 'first' });
  }
  if (after === null || after === undefined) return { first: size, start: 0 };
  const [name, index] = Buffer.from(after, 'base64url').toString().split(':');
  const offset = Number(index);
  if (name !== list || !Number.isInteger(offset) || offset < 0 || offset >= MAX_OFFSET) {
    throw badUserInput(`Invalid cursor "${after}" for ${list}`, { argument: 'after' });
  }
  return { first: size, start: offset + 1 };
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
  const end = window.start + window.first;
  for (const page of pages) {
    const { items, meta } = await fetchPage(page, perPage);
    total = meta.total;
    const offset = (page - 1) * perPage;
    items.forEach((item, index) => {
      const position = offset + index;
      if (position >= window.start && position < end) edges.push({ cursor: encodeCursor(list, position), node: toNode(item) });
    });
    if (page >= meta.last_page) break;
  }
  if (pages.length === 0) {
    // first: 0 still answers the total, with the smallest page the vendor allows.
    const { meta } = await fetchPage(1, 1);
    total = meta.total;
  }
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasNextPage: total !== null && window.start + edges.length < total && edges.length === window.first,
      hasPreviousPage: window.start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
