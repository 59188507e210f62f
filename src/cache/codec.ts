/**
 * THE codec of shared stores (Redis): plain JSON — JSON.parse without a reviver is the fastest way V8 builds objects,
 * measured against v8.serialize and msgpackr on our records (ARCHITECTURE.md, "Cache") — with the two kinds of value
 * JSON cannot carry exactly kept apart:
 * - bytes (Buffers, typed arrays: cached PDFs) travel after the JSON as base64 segments, a marker in their place;
 * - Date objects travel as a marker holding their ISO time.
 * Money stays a decimal string and dates from vendors stay strings, so they round-trip as they are.
 *
 *   J<json>                                   no bytes, no Date objects (nearly every entry: decoded by JSON.parse alone)
 *   X<json length>:<json><base64>,<base64>…   with markers {"\u0000b": segment} and {"\u0000d": iso}
 *
 * Anything else — an entry written by an older version, garbage — decodes to undefined: a miss.
 */
const BYTES_MARK = '\u0000b';
const DATE_MARK = '\u0000d';

export function encode(value: unknown): string {
  if (!containsSpecial(value)) return `J${JSON.stringify(value)}`;
  const segments: string[] = [];
  const json = JSON.stringify(value, function replacer(this: Record<string, unknown>, key: string, plain: unknown) {
    // JSON.stringify hands the replacer what toJSON made of the value; the holder still has the original.
    const original = this[key];
    if (ArrayBuffer.isView(original)) {
      segments.push(Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64'));
      return { [BYTES_MARK]: segments.length - 1 };
    }
    if (original instanceof Date) return { [DATE_MARK]: plain };
    return escapeKeys(plain);
  });
  return `X${json.length}:${json}${segments.join(',')}`;
}

export function decode(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    if (text.startsWith('J')) return JSON.parse(text.slice(1));
    if (text.startsWith('X')) return decodeSpecial(text);
  } catch {
    // Not ours: a miss.
  }
  return undefined;
}

function decodeSpecial(text: string): unknown {
  const colon = text.indexOf(':');
  const length = Number(text.slice(1, colon));
  if (!Number.isSafeInteger(length) || length < 0) return undefined;
  const json = text.slice(colon + 1, colon + 1 + length);
  if (json.length !== length) return undefined;
  // ''.split(',') is [''] — one empty segment: an empty Buffer stays one.
  const segments = text.slice(colon + 1 + length).split(',');
  return restore(JSON.parse(json), segments);
}

function restore(value: unknown, segments: string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = restore(value[i], segments);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === BYTES_MARK) {
    const segment = segments[record[BYTES_MARK] as number];
    if (segment === undefined) throw new Error('a bytes marker without its segment');
    return Buffer.from(segment, 'base64');
  }
  if (keys.length === 1 && keys[0] === DATE_MARK) return new Date(record[DATE_MARK] as string);
  if (!keys.some(isEscaped)) {
    for (const key of keys) record[key] = restore(record[key], segments);
    return record;
  }
  const restored: Record<string, unknown> = {};
  for (const key of keys) restored[isEscaped(key) ? key.slice(1) : key] = restore(record[key], segments);
  return restored;
}

/**
 * With markers in play (X form), a key of the value's own that starts with NUL (a vendor could send "\u0000b") gets
 * one more NUL in front, so it is never read as a marker; decoding takes it off.
 */
function escapeKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some((key) => key.startsWith('\u0000'))) return value;
  const escaped: Record<string, unknown> = {};
  for (const key of keys) escaped[key.startsWith('\u0000') ? `\u0000${key}` : key] = (value as Record<string, unknown>)[key];
  return escaped;
}

function isEscaped(key: string): boolean {
  return key.startsWith('\u0000\u0000');
}

/** Whether a value holds bytes or Date objects (which plain JSON would not bring back as they were). */
function containsSpecial(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (ArrayBuffer.isView(value) || value instanceof Date) return true;
  if (Array.isArray(value)) return value.some(containsSpecial);
  for (const key in value) if (containsSpecial((value as Record<string, unknown>)[key])) return true;
  return false;
}
