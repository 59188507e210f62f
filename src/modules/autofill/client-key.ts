import { isIP, isIPv4 } from 'node:net';
import type { Request } from 'express';
import type { Logger } from '../../observability/logger.ts';

/**
 * The key a client's requests are counted under: its IPv4 address, or the /64 network of its IPv6 address (one
 * subscriber gets a whole /64, and could otherwise take a fresh address per request). An IPv4 address mapped into
 * IPv6 (::ffff:203.0.113.7, how a dual-stack socket reports it) counts as that IPv4 address. Anything that is not an
 * address answers undefined.
 */
export function clientKey(ip: string | undefined): string | undefined {
  const address = ip === undefined ? undefined : bareAddress(ip.trim());
  if (!address) return undefined;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** An address without the port or brackets a proxy may have written around it ("203.0.113.5:443", "[2001:db8::1]:443"). */
function bareAddress(text: string): string | undefined {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  const candidate = bracketed ? bracketed[1]! : (/^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text)?.[1] ?? text);
  return isIP(candidate.split('%')[0]!) ? candidate : undefined;
}

/** The eight groups of an IPv6 address, "::" expanded, an embedded IPv4 tail as two groups, a zone index dropped. */
function expandIPv6(ip: string): string[] {
  let text = ip.split('%')[0]!;
  const tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}

let warnedAboutProxy = false;

/**
 * The client of a request, as its limits count it: Express's `req.ip` (the socket's address, or the client a
 * TRUST_PROXY proxy names), else the socket's own address when that is not an address.
 */
export function clientOf(req: Request, logger: Logger): string {
  if (!warnedAboutProxy && req.get('x-forwarded-for') !== undefined && req.app.get('trust proxy') === false) {
    warnedAboutProxy = true;
    logger.warn(
      'autofill: requests carry X-Forwarded-For but TRUST_PROXY is unset: behind a proxy every visitor counts as the proxy (one limit for all); set TRUST_PROXY to its address',
    );
  }
  return clientKey(req.ip) ?? clientKey(req.socket.remoteAddress) ?? 'unknown';
}

/**
 * Whether a browser page may make this request: its own site (no Origin, or the subgraph's own host), a site of
 * AUTOFILL_ORIGINS, or no browser at all (a server sends neither Origin nor Sec-Fetch-Site). A page elsewhere could
 * otherwise spend the budget through its visitors' browsers: CORS only keeps the answer from it.
 */
export function browserMayCall(req: Request, origins: readonly string[]): boolean {
  const origin = req.get('origin');
  if (origin !== undefined) return origins.includes(origin) || hostOf(origin) === req.get('host');
  const site = req.get('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
