/**
 * Redaction at the edge: every text that leaves the process — an error message or extension, a log line, a metric
 * label — passes `redact` first. It removes
 * - every configured secret (vendor keys and tokens, the router secret, webhook secrets), registered once by whoever
 *   reads them — and any run of 8 or more of its characters anywhere in a text (a vendor echoing part of a key, or a
 *   truncation that cut it);
 * - credentials in URLs (`?key=…`, `access_token=…`) and `Bearer …` values;
 * - card-number-like digit runs (16 to 19 digits, Luhn-valid, optionally grouped by spaces or dashes), shown as
 *   `•••• 1234`. Registry identifiers (INN 10/12, OGRN 13, OGRNIP 15 digits) are shorter and stay readable.
 * Truncation always comes after redaction (`cutText`), so a cut can never leave a secret's prefix behind.
 */

/** Query parameters that carry credentials. */
const SECRET_PARAMS = ['key', 'token', 'access_token', 'api_key', 'apikey', 'client_key', 'application_token', 'auth'];
const URL_SECRET = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi');
const BEARER = /\b(Bearer\s+)[^\s"',;)]+/gi;
/** A chain of digits, written together or in groups split by single spaces or dashes, as cards are printed. */
const DIGIT_CHAIN = /\d+(?:[ -]\d+)*/g;
/** Shortest piece of a secret masked wherever it appears (a key cut, or echoed in part). */
const MIN_PARTIAL = 8;
const MASK = '***';

/** Whole secrets (at least 4 characters), and every 8-character window of those at least 8 long. */
const secrets = new Set<string>();
const windows = new Set<string>();

/** Registers a secret to be removed from every text that leaves the process. */
export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 4 || secrets.has(value)) return;
  secrets.add(value);
  for (let start = 0; start + MIN_PARTIAL <= value.length; start++) windows.add(value.slice(start, start + MIN_PARTIAL));
}

/** Changes whenever a secret is registered: what was redacted before may need redacting again. */
export function secretsGeneration(): number {
  return secrets.size;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** `•••• 8085`: how a card number is shown anywhere outside the vendor call that carries it. */
export function maskCard(digits: string): string {
  return `•••• ${digits.slice(-4)}`;
}

function maskCards(text: string): string {
  return text.replace(DIGIT_CHAIN, (chain) => {
    const digits = chain.replace(/[ -]/g, '');
    return digits.length >= 16 && digits.length <= 19 && luhnValid(digits) ? maskCard(digits) : chain;
  });
}

function maskSecrets(text: string): string {
  let result = text;
  for (const secret of secrets) if (result.includes(secret)) result = result.split(secret).join(MASK);
  return windows.size > 0 ? maskWindows(result) : result;
}

/** Masks every run of text covered by 8-character windows of a registered secret. */
function maskWindows(text: string): string {
  let out = '';
  let coveredUntil = -1;
  let runStart = -1;
  for (let index = 0; index < text.length; index++) {
    if (index + MIN_PARTIAL <= text.length && windows.has(text.slice(index, index + MIN_PARTIAL))) {
      if (runStart < 0) runStart = index;
      coveredUntil = Math.max(coveredUntil, index + MIN_PARTIAL);
    }
    if (runStart >= 0 && index + 1 >= coveredUntil) {
      out += MASK;
      runStart = -1;
      continue;
    }
    if (runStart < 0) out += text[index];
  }
  return out;
}

/** The text with every secret, URL credential, bearer token and card number removed. */
export function redact(text: string): string {
  if (text.length === 0) return text;
  return maskCards(maskSecrets(text.replace(URL_SECRET, `$1${MASK}`).replace(BEARER, `$1${MASK}`)));
}

/** Redacts every string inside a value (bounded depth: error extensions and log objects are small). */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  if (value instanceof Error) return { type: value.name, message: redact(value.message) };
  if (Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, redactDeep(item, depth + 1)]));
}

/** Cuts an already redacted text to `max` characters, marking the cut. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * A field a vendor supplied (an error code, a request id, a field error's message) as it may be passed on: redacted,
 * control characters dropped, then cut to `max`. Undefined for anything that is not a non-empty string.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are dropped.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

export function vendorText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = redact(value).replace(CONTROL_CHARACTERS, ' ').trim();
  return text === '' ? undefined : cutText(text, max);
}

/** Digit chains of 10 and more, written together or grouped (INNs, OGRNs, phones, accounts): masked in vendor text. */
const LONG_DIGIT_CHAIN = /\d(?:[ -]?\d){9,}/g;
/** How much vendor text an error or a log line carries. */
const VENDOR_DETAIL_MAX = 200;

/**
 * THE way vendor text (an error body, the vendor's message, a field error's message, a validation path) is passed on
 * in an error or a log line: redacted whole (secrets, URL credentials, bearer values, cards), control characters
 * dropped, digit chains of 10 and more (registry identifiers, phones, accounts) masked as `#`, and only then cut to
 * `max` — a cut before redaction could leave a secret's prefix behind. Undefined for anything that is not a string,
 * or when nothing is left.
 */
export function vendorDetail(value: unknown, max = VENDOR_DETAIL_MAX): string | undefined {
  const text = vendorText(value, Number.MAX_SAFE_INTEGER)?.replace(LONG_DIGIT_CHAIN, '#');
  return text === undefined ? undefined : cutText(text, max);
}

/**
 * A vendor-supplied token (error code, error id, request id) only when it looks like one: letters, digits and
 * `_ - . :`, at most `max` characters; anything else is dropped, never passed on.
 */
export function vendorToken(value: unknown, max = 64): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > max || !/^[\w.:-]+$/.test(value)) return undefined;
  const text = redact(value);
  return text === value ? value : undefined;
}

/** An invalid input value echoed in an error: only a short prefix, so a megabyte of input never comes back. */
export function echoInput(value: string, max = 40): string {
  return cutText(redact(value), max);
}
