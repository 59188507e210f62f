import { badUserInput } from '../errors.ts';
import { echoInput } from '../observability/redaction.ts';
import { FOCUS_PAGE_SIZE } from '../modules/kontur-focus/vendor/client.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;
/** Cursors past this position are refused: no vendor list is that long, and a forged one must not cost calls. */
const MAX_POSITION = 50_000;

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number | null;
}

/** Cursors are opaque to clients: the item's position in the vendor's newest-first list, tagged with the list's name. */
export function encodeCursor(list: string, index: number): string {
  return Buffer.from(`${list}:${index}`).toString('base64url');
}

function decodeCursor(list: string, cursor: string): number {
  const [name, index] = Buffer.from(cursor, 'base64url').toString().split(':');
  const position = Number(index);
  if (name !== list || !Number.isInteger(position) || position < 0 || position >= MAX_POSITION) {
    throw badUserInput(`Invalid cursor "${echoInput(cursor)}" for ${list}`, { argument: 'after' });
  }
  return position;
}

export interface PageWindow {
  first?: number | null;
  after?: string | null;
}

/**
 * A Relay connection over a vendor list served in pages of 1000 (skip = 0, 1000, 2000 …).
 * A vendor page is fetched only when the requested window reaches into it; a page shorter than 1000 is the last one,
 * which is also when the total becomes known.
 */
export async function pagedConnection<T>(list: string, window: PageWindow, fetchPage: (skip: number) => Promise<T[]>): Promise<Connection<T>> {
  const { first, start } = checkWindow(list, window);
  const end = start + first;
  const edges: Connection<T>['edges'] = [];
  let totalCount: number | null = null;
  let hasNextPage = false;
  if (first > 0) {
    for (let skip = Math.floor(start / FOCUS_PAGE_SIZE) * FOCUS_PAGE_SIZE; ; skip += FOCUS_PAGE_SIZE) {
      const items = await fetchPage(skip);
      items.forEach((node, offset) => {
        const index = skip + offset;
        if (index >= start && index < end) edges.push({ cursor: encodeCursor(list, index), node });
      });
      const lastPage = items.length < FOCUS_PAGE_SIZE;
      // An empty page past the first says nothing about how long the list was when the earlier pages were read.
      if (lastPage && (items.length > 0 || skip === 0)) totalCount = skip + items.length;
      // More items exist past the window, or may: a full vendor page at the boundary means another page can follow.
      if (skip + items.length > end || (!lastPage && skip + items.length === end)) hasNextPage = true;
      if (lastPage || skip + FOCUS_PAGE_SIZE >= end) break;
    }
  }
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** `first` and `after` of a paged field, checked before any page is read (BAD_USER_INPUT on the field). */
export function checkWindow(list: string, window: PageWindow): { first: number; start: number } {
  const first = window.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}`, { argument: 'first' });
  }
  return { first, start: window.after ? decodeCursor(list, window.after) + 1 : 0 };
}
