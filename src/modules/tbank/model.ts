import type { TbankExcerpt } from './vendor/schemas.ts';

/** What a `TbankCheck` resolver receives: the excerpt as cached, and when it was fetched. */
export interface TbankCheckRef {
  excerpt: TbankExcerpt;
  fetchedAt: number;
}
