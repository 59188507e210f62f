import { CACHE_KEY_VERSION } from '../../cache/store.ts';
import type { CachedFetch } from '../../cache/cached-fetch.ts';
import { type FocusClient, type FocusDocumentMethod, type FocusFetchDeps, focusSingleFetch } from '../kontur-focus/index.ts';
import { DOCUMENT_SPECS, type DocumentKind, type DocumentRef } from './model.ts';
import { DocumentSigner } from './token.ts';

export interface DocumentServiceOptions {
  /** How long downloaded bytes are cached (CACHE_TTL_DOCUMENTS). */
  cacheTtlMs: number;
  /** How long a link stays valid (DOCUMENT_URL_TTL). */
  urlTtlMs: number;
  signingSecret: string | undefined;
  /** PUBLIC_URL without a trailing slash; undefined = root-relative links. */
  publicUrl: string | undefined;
}

export interface DownloadedDocument {
  bytes: Buffer;
  fetchedAt: number;
}

/**
 * PDFs from Kontur.Focus (excerpt, finan, briefReport with pdf=true) behind signed, expiring links.
 * Selecting a link costs nothing; following it downloads the PDF once per CACHE_TTL_DOCUMENTS: the bytes are kept
 * in the configured cache store (so replicas sharing Redis share them), and concurrent downloads of one
 * document share one vendor call.
 */
export class DocumentService {
  readonly signer: DocumentSigner;
  private readonly fetches = new Map<FocusDocumentMethod, CachedFetch<Buffer | null>>();
  private readonly now: () => number;

  constructor(
    private readonly client: FocusClient,
    private readonly deps: FocusFetchDeps,
    private readonly options: DocumentServiceOptions,
  ) {
    this.now = deps.now ?? Date.now;
    this.signer = new DocumentSigner(options.signingSecret, options.urlTtlMs, this.now);
  }

  cacheKey(kind: DocumentKind, inn: string): string {
    return `${CACHE_KEY_VERSION}:focus:${DOCUMENT_SPECS[kind].method}:inn:${inn}:pdf`;
  }

  /** A small entry beside the bytes, so `fetchedAt` never reads a whole PDF. */
  private metaKey(kind: DocumentKind, inn: string): string {
    return `${this.cacheKey(kind, inn)}:meta`;
  }

  /** Every cache key of an INN's documents (bytes and metadata), for eviction. */
  cacheKeys(inn: string): string[] {
    return (Object.keys(DOCUMENT_SPECS) as DocumentKind[]).flatMap((kind) => [this.cacheKey(kind, inn), this.metaKey(kind, inn)]);
  }

  /** A fresh link to the document: absolute under PUBLIC_URL when set, else root-relative. */
  url({ kind, inn }: DocumentRef): string {
    return `${this.options.publicUrl ?? ''}/documents/${this.signer.sign(kind, inn)}.pdf`;
  }

  /** When the cached bytes were fetched; null when they are not cached (or too old to be served). Never calls the vendor. */
  async fetchedAt({ kind, inn }: DocumentRef): Promise<number | null> {
    const [meta] = await this.deps.cache.getMany<{ fetchedAt?: unknown }>([this.metaKey(kind, inn)]);
    const fetchedAt = meta?.fetchedAt;
    if (typeof fetchedAt !== 'number') return null;
    return Math.max(0, this.now() - fetchedAt) < this.options.cacheTtlMs ? fetchedAt : null;
  }

  /** The PDF when its bytes are cached and fresh; null otherwise. Never calls the vendor (HEAD requests use it). */
  async cached(kind: DocumentKind, inn: string): Promise<DownloadedDocument | null> {
    const [entry] = await this.fetchFor(kind).stored([inn]);
    if (!entry || !Buffer.isBuffer(entry.value)) return null;
    if (Math.max(0, this.now() - entry.fetchedAt) >= this.options.cacheTtlMs) return null;
    return { bytes: entry.value, fetchedAt: entry.fetchedAt };
  }

  /** The PDF from the cache when fresh, else from the vendor; null when the vendor has none for this INN (404). */
  async download(kind: DocumentKind, inn: string): Promise<DownloadedDocument | null> {
    const entry = await this.fetchFor(kind).get(inn, { maxAgeMs: this.options.cacheTtlMs });
    if (entry.value === null) return null;
    void this.deps.cache.setMany([{ key: this.metaKey(kind, inn), value: { fetchedAt: entry.fetchedAt }, ttlMs: this.options.cacheTtlMs }]);
    return { bytes: entry.value, fetchedAt: entry.fetchedAt };
  }

  private fetchFor(kind: DocumentKind): CachedFetch<Buffer | null> {
    const { method } = DOCUMENT_SPECS[kind];
    let fetch = this.fetches.get(method);
    if (!fetch) {
      fetch = focusSingleFetch<Buffer | null>(method, this.deps, {
        key: (inn) => this.cacheKey(kind, inn),
        fetch: (inn) => this.client.getDocument(method, inn),
        // A vendor 404 is never cached: a company registered later must not stay without documents.
        ttlOf: (bytes) => (bytes === null ? 0 : this.options.cacheTtlMs),
        isValue: (value): value is Buffer | null => value === null || Buffer.isBuffer(value),
      });
      this.fetches.set(method, fetch);
    }
    return fetch;
  }
}
