import { z } from 'zod';

/**
 * Bitrix24's REST answers (shared/vendors/bitrix24.md §2.1, §7), checked with zod. Tolerant where the portal is
 * loose: scalars come back as strings (ids `"12"`), numbers sometimes as numbers, and PHP writes an empty map as `[]`.
 */

/** An id or count as the portal writes it, `"12"` or `12`: read as text. */
export const B24Id = z.union([z.string(), z.number()]).transform((value) => String(value));

/** A non-negative integer the portal may write as text (`next`, `total`). */
const B24Count = z.union([z.number(), z.string().regex(/^\d+$/)]).transform((value) => Number(value));

/** `time` of every answer; `operating_reset_at` (epoch seconds) says when the method's 10-minute time budget frees up. */
export const TimeSchema = z.looseObject({
  start: z.number().optional(),
  finish: z.number().optional(),
  duration: z.number().optional(),
  processing: z.number().optional(),
  date_start: z.string().optional(),
  date_finish: z.string().optional(),
  operating: z.number().optional(),
  operating_reset_at: z.number().optional(),
});
export type B24Time = z.output<typeof TimeSchema>;

/** The success envelope `{ result, time, total?, next? }`; `result` is read by the caller's schema. */
export const EnvelopeSchema = z.looseObject({
  result: z.unknown(),
  time: TimeSchema.optional(),
  total: B24Count.optional(),
  next: B24Count.optional(),
});
export type B24Envelope = z.output<typeof EnvelopeSchema>;

/** The error envelope `{ error, error_description }` (any 4xx/5xx). */
export const ErrorBodySchema = z.looseObject({
  error: z.string().optional(),
  error_description: z.string().optional(),
});

/** PHP writes an empty associative array as `[]`, a list-like one as an array: both become a record keyed by index. */
function phpMap<T extends z.ZodType>(value: T) {
  return z
    .union([z.record(z.string(), value), z.array(value)])
    .transform((map): Record<string, z.output<T>> =>
      Array.isArray(map) ? Object.fromEntries(map.map((item, index) => [String(index), item])) : map,
    );
}

/** `batch`'s `result`: per command key its result, its error, and for lists its total and next. */
export const BatchResultSchema = z.looseObject({
  result: phpMap(z.unknown()).optional().default({}),
  result_error: phpMap(ErrorBodySchema).optional().default({}),
  result_total: phpMap(B24Count).optional().default({}),
  result_next: phpMap(B24Count).optional().default({}),
  result_time: phpMap(TimeSchema).optional().default({}),
});
export type B24BatchResult = z.output<typeof BatchResultSchema>;
