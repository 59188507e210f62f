/**
 * What a cached value costs on V8's heap, estimated by walking it once when it is stored — and made immutable on the
 * same walk (the in-memory store hands out the stored object itself, so no reader may change it).
 *
 * The model is V8's on 64-bit Node without pointer compression (Node's default build), checked against the measured
 * heap by `npm run bench` (the CACHE_MAX_MEMORY row):
 * - a plain object: a 24-byte header (map, properties, elements) and an 8-byte slot per property; property names are
 *   shared by every object of the same shape and not counted;
 * - an array: a 32-byte JSArray and a 16-byte FixedArray header, 8 bytes per element;
 * - a string: a 16-byte header (map, hash, length) and its characters, 1 byte each when all are Latin-1, else 2,
 *   rounded up to 8;
 * - a number outside the 32-bit integer range, or not an integer: a 16-byte HeapNumber; small integers, booleans and
 *   null live in the slot;
 * - bytes (a Buffer, any typed array): the ArrayBuffer they keep alive, plus about 200 bytes of wrappers. Typed
 *   arrays cannot be frozen: whoever reads them gets a copy (see `copyBytes`).
 */
const SLOT = 8;
const OBJECT_HEADER = 24;
const ARRAY_HEADER = 32 + 16;
const STRING_HEADER = 16;
const HEAP_NUMBER = 16;
const BYTES_WRAPPERS = 200;
const NOT_LATIN1 = /[\u0100-\uffff]/;

/**
 * Words many cached entries repeat — a status text, a legal form, a classifier code, a region, a city, a position —
 * are kept once and shared by every entry that holds them. The vendors' mappings name them (`sharedWord`: only such
 * fields, never a name, an address line or an identifier, so the table holds no personal data and only frequent
 * words); the walk that measures a stored value swaps every string equal to a table word for the table's copy and
 * counts it as free. The table is paid for once: at most 20,000 words of up to 64 characters, about 3 MB.
 */
const MAX_SHARED = 20_000;
const MAX_SHARED_LENGTH = 64;
const sharedStrings = new Map<string, string>();
const EMPTY: readonly unknown[] = Object.freeze([]);

/** The one copy of a word many entries repeat (entered in the table while there is room). */
export function sharedWord<T extends string | null | undefined>(word: T): T {
  if (typeof word !== 'string' || word.length > MAX_SHARED_LENGTH) return word;
  const known = sharedStrings.get(word);
  if (known !== undefined) return known as T;
  if (sharedStrings.size < MAX_SHARED) sharedStrings.set(word, word);
  return word;
}

/** The table's copy of `text`, or undefined when it holds no such word. */
function sharedCopy(text: string): string | undefined {
  return text.length > MAX_SHARED_LENGTH ? undefined : sharedStrings.get(text);
}

/** What a stored value keeps of a non-string item: the one empty list, bytes of its own. */
function compact(value: unknown): unknown {
  if (Array.isArray(value) && value.length === 0) return EMPTY;
  return ownBytes(value);
}

/**
 * The bytes an item adds to its holder (its slot and what it references), swapping it in place for what the cache
 * keeps (see `compact`, `sharedCopy`) unless the holder is frozen — a value read from this cache and stored again
 * is frozen and compact already.
 */
function itemBytes(holder: Record<string | number, unknown>, key: string | number, frozen: boolean, measured: Measured): number {
  const item = holder[key];
  if (typeof item === 'string') {
    const copy = sharedCopy(item);
    if (copy === undefined) return SLOT + stringBytes(item);
    // Assigned even though equal: two equal strings may still be two copies.
    if (!frozen) holder[key] = copy;
    return SLOT;
  }
  const kept = frozen ? item : compact(item);
  if (kept !== item) holder[key] = kept;
  return SLOT + walk(kept, measured);
}

export interface Measured {
  /** The value to keep: `value` itself, frozen, or a copy of it when it was a view into a larger buffer. */
  value: unknown;
  /** Estimated heap bytes of the value (strings and objects it references, each counted once per reference). */
  bytes: number;
  /** It holds bytes (Buffers, typed arrays): readers need copies of them. */
  hasBytes: boolean;
}

/** Freezes `value` deeply, in place, and estimates its heap size. A top-level typed array is measured, not frozen. */
export function freezeAndMeasure(value: unknown): Measured {
  const measured: Measured = { value: ownBytes(value), bytes: 0, hasBytes: false };
  measured.bytes = walk(measured.value, measured);
  return measured;
}

export function stringBytes(text: string): number {
  const perChar = NOT_LATIN1.test(text) ? 2 : 1;
  return roundUp(STRING_HEADER + perChar * text.length);
}

function walk(value: unknown, measured: Measured): number {
  switch (typeof value) {
    case 'string':
      // A string on its own (an item's strings are counted by itemBytes).
      return stringBytes(value);
    case 'number':
      return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? 0 : HEAP_NUMBER;
    case 'object':
      if (value === null || value === EMPTY) return 0;
      if (ArrayBuffer.isView(value)) {
        measured.hasBytes = true;
        return value.byteLength + BYTES_WRAPPERS;
      }
      return Array.isArray(value) ? walkArray(value, measured) : walkObject(value as Record<string, unknown>, measured);
    default:
      // booleans and undefined live in the slot; the cache stores no functions, symbols or bigints.
      return 0;
  }
}

function walkArray(array: unknown[], measured: Measured): number {
  let bytes = ARRAY_HEADER;
  const frozen = Object.isFrozen(array);
  for (let i = 0; i < array.length; i++) bytes += itemBytes(array as unknown as Record<number, unknown>, i, frozen, measured);
  Object.freeze(array);
  return bytes;
}

function walkObject(object: Record<string, unknown>, measured: Measured): number {
  let bytes = OBJECT_HEADER;
  const frozen = Object.isFrozen(object);
  for (const key in object) bytes += itemBytes(object, key, frozen, measured);
  Object.freeze(object);
  return bytes;
}

/**
 * Bytes that are a view into a larger buffer (Node's 8 kB pool for small Buffers, a slice of a download) are moved
 * to a buffer of their own: otherwise the cache would keep the whole larger buffer alive while counting only the view.
 */
function ownBytes(value: unknown): unknown {
  if (!ArrayBuffer.isView(value) || value.byteLength === value.buffer.byteLength) return value;
  const own = new ArrayBuffer(value.byteLength);
  new Uint8Array(own).set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  if (Buffer.isBuffer(value)) return Buffer.from(own);
  const View = value.constructor as new (buffer: ArrayBuffer) => ArrayBufferView;
  return new View(own);
}

/**
 * A reader's copy of a stored value that holds bytes: the same frozen objects, except that every path to a typed
 * array is rebuilt around a copy of its bytes (a reader writing into a PDF must not change the cache's).
 */
export function copyBytes<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value)) return copyView(value) as T;
  if (Array.isArray(value)) return Object.freeze(value.map((item: unknown) => copyBytes(item))) as T;
  const copy: Record<string, unknown> = {};
  for (const key in value) copy[key] = copyBytes((value as Record<string, unknown>)[key]);
  return Object.freeze(copy) as T;
}

function copyView(view: ArrayBufferView): ArrayBufferView {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  return Buffer.isBuffer(view) ? Buffer.from(bytes) : new (view.constructor as new (source: ArrayBufferView) => ArrayBufferView)(view);
}

function roundUp(bytes: number): number {
  return (bytes + 7) & ~7;
}
