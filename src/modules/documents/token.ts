import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isValidInn } from '../../domain/identifiers.ts';
import type { DocumentKind } from './model.ts';

/** What a document link grants: one PDF of one company, until a moment. */
export interface DocumentClaims {
  kind: DocumentKind;
  inn: string;
  /** Epoch milliseconds after which the link answers 410. */
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; claims: DocumentClaims }
  /** `invalid`: not a token we signed (tampered, truncated, another secret, unknown format) → 403. `expired` → 410. */
  | { ok: false; reason: 'invalid' | 'expired' };

const VERSION = 'd1';
const KIND_CODES: Readonly<Record<DocumentKind, string>> = { EXCERPT: 'e', FINANCIAL_ANALYSIS: 'f', EXPRESS_REPORT: 'b' };
const KINDS_BY_CODE = new Map(Object.entries(KIND_CODES).map(([kind, code]) => [code, kind as DocumentKind]));
/** base64url payload, a dot, base64url HMAC-SHA256 (32 bytes → 43 characters, unpadded). */
const TOKEN = /^([A-Za-z0-9_-]{1,200})\.([A-Za-z0-9_-]{43})$/;

/**
 * Signs and checks the tokens of document links: `base64url("d1:<kind>:<inn>:<expiry>").base64url(HMAC-SHA256)`.
 * The token names the document and its expiry only: the vendor key never appears in it, and it grants nothing else.
 * The key is DOCUMENT_SIGNING_SECRET, or random per process when unset (links then work only on the replica that
 * made them).
 */
export class DocumentSigner {
  private readonly key: Buffer;

  constructor(
    secret: string | undefined,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    // Derived, so the same secret reused elsewhere never yields the same MACs.
    this.key = createHmac('sha256', secret ?? randomBytes(32))
      .update('counterparty-subgraph/document-links')
      .digest();
  }

  sign(kind: DocumentKind, inn: string, expiresAt: number = this.now() + this.ttlMs): string {
    const payload = Buffer.from(`${VERSION}:${KIND_CODES[kind]}:${inn}:${Math.ceil(expiresAt).toString(36)}`).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string): TokenCheck {
    const match = TOKEN.exec(token);
    if (!match) return { ok: false, reason: 'invalid' };
    const [, payload, mac] = match as unknown as [string, string, string];
    // The MAC is compared as its canonical text, so no other spelling of the same bytes passes.
    if (!timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(payload)))) return { ok: false, reason: 'invalid' };
    const [version, kindCode, inn, expiry, ...rest] = Buffer.from(payload, 'base64url').toString('utf8').split(':');
    const kind = KINDS_BY_CODE.get(kindCode ?? '');
    const expiresAt = parseInt(expiry ?? '', 36);
    if (version !== VERSION || rest.length > 0 || !kind || !inn || !isValidInn(inn) || !Number.isSafeInteger(expiresAt)) {
      return { ok: false, reason: 'invalid' };
    }
    if (this.now() >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { kind, inn, expiresAt } };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
