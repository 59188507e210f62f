import type { TbankCompanyExcerpt, TbankEntrepreneurExcerpt, TbankExcerpt } from './schemas.ts';

/**
 * Whether an excerpt is the one asked for. An excerpt of another company must never become an answer: the graph
 * would show a stranger's negative lists, frozen accounts and status under the INN asked, and cache them for a day.
 *
 * What T-Bank guarantees (vendor reference §7 and the OpenAPI dump agree): of the identifiers, only
 * `companyCard.requisites.ogrn` is required. Every INN — the card's, `companyExcerpt.inn`, `entrepreneurExcerpt.inn`
 * and their `expressExcerpt.inn` — is nullable, and so are the blocks' `ogrn`/`ogrnip`. Hence:
 * - by OGRN: the card's OGRN (always there: the schema refuses an excerpt without it) must be the one asked;
 * - by INN: the INN the graph reads (the card's, else its own SPARK block's, as mapping.ts reads it) must be there and
 *   be the one asked. "Absent" means no INN in the card nor in the block of the excerpt's companyType. The reference
 *   allows such an answer, but it cannot be told apart from another company's, so it is refused (fail closed);
 * - either way, every INN stated elsewhere (the block's, its express excerpt's) must agree: the graph reads facts from
 *   those blocks too, so one excerpt mixing two companies is refused as well. OGRNs of the blocks are not compared:
 *   the vendor's own example (§8.2) has an `entrepreneurExcerpt.ogrnip` that differs from the card's OGRN (a sole
 *   proprietor re-registered keeps the INN), so a difference there is not proof of a stranger's excerpt.
 */

export type TbankLookup = { inn: string } | { ogrn: string };

/** The SPARK-derived block of the excerpt's own kind: companyType decides, never which key is present (§8.2). */
export function registryBlock(excerpt: TbankExcerpt): TbankCompanyExcerpt | TbankEntrepreneurExcerpt | undefined {
  return excerpt.companyType === 'company' ? excerpt.companyExcerpt : excerpt.entrepreneurExcerpt;
}

/** The company's INN as the graph reads it: the card's, else its registry block's. */
export function excerptInn(excerpt: TbankExcerpt): string | undefined {
  return excerpt.companyCard.requisites.inn ?? registryBlock(excerpt)?.inn;
}

function statedInns(excerpt: TbankExcerpt): string[] {
  const block = registryBlock(excerpt);
  return [excerpt.companyCard.requisites.inn, block?.inn, block?.expressExcerpt?.inn].filter((inn): inn is string => inn !== undefined);
}

/** Why the excerpt does not answer the lookup (words completing "an excerpt that …"), or undefined when it does. */
export function excerptMismatch(excerpt: TbankExcerpt, lookup: TbankLookup): string | undefined {
  const inns = statedInns(excerpt);
  if ('inn' in lookup) {
    if (excerptInn(excerpt) === undefined) return 'names no INN, so it cannot be told from another company’s';
    if (inns.some((inn) => inn !== lookup.inn)) return 'names another INN than the one asked';
    return undefined;
  }
  if (excerpt.companyCard.requisites.ogrn !== lookup.ogrn) return 'names another OGRN than the one asked';
  if (new Set(inns).size > 1) return 'names two different INNs';
  return undefined;
}
