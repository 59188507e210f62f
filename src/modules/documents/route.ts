import express, { type Response, type Router } from 'express';
import { ERROR_CATALOGUE, VendorError } from '../../errors.ts';
import { documentFileName } from './model.ts';
import { redact } from '../../observability/redaction.ts';
import type { Logger } from '../../observability/logger.ts';
import type { DocumentService } from './service.ts';

/**
 * GET /documents/<token>.pdf: the PDF a signed link names. Mounted outside the router-secret guard: browsers follow
 * these links directly, and the signed, expiring token is the authorisation. Tampered or unknown token → 403,
 * expired → 410, no such document at Kontur.Focus → 404, vendor failure → 502/503/504 with its VENDOR_* code.
 */
export function documentRoutes(documents: DocumentService, parentLogger: Logger): Router {
  const router = express.Router();
  const logger = parentLogger.child({ component: 'documents' });

  /** The document a link names, or undefined once the answer (404/403/410) has been sent. */
  const claimsOf = (req: express.Request, res: Response) => {
    const file = String(req.params.file);
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    if (!file.endsWith('.pdf')) return plain(res, 404, 'Not found');
    const check = documents.signer.verify(file.slice(0, -'.pdf'.length));
    if (!check.ok && check.reason === 'expired') return plain(res, 410, 'This document link has expired; ask the graph for a new one');
    if (!check.ok) return plain(res, 403, 'Forbidden: invalid document link');
    return check.claims;
  };

  // HEAD (a link checker, a browser probing) never costs a paid call: the cached document's headers, or the headers a
  // download would have without its length.
  router.head('/documents/:file', async (req, res) => {
    const claims = claimsOf(req, res);
    if (!claims) return;
    const document = await documents.cached(claims.kind, claims.inn);
    res.status(200);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `attachment; filename="${documentFileName(claims.kind, claims.inn)}"`);
    if (document) {
      res.setHeader('content-length', String(document.bytes.length));
      res.setHeader('last-modified', new Date(document.fetchedAt).toUTCString());
    }
    res.end();
  });

  router.get('/documents/:file', async (req, res) => {
    const claims = claimsOf(req, res);
    if (!claims) return;
    const { kind, inn } = claims;
    const started = Date.now();
    try {
      const document = await documents.download(kind, inn);
      if (!document) {
        logger.info({ kind, status: 404, durationMs: Date.now() - started }, 'document download');
        return plain(res, 404, 'Kontur.Focus has no such document for this company');
      }
      logger.info({ kind, status: 200, bytes: document.bytes.length, durationMs: Date.now() - started }, 'document download');
      res.status(200);
      res.setHeader('content-type', 'application/pdf');
      res.setHeader('content-disposition', `attachment; filename="${documentFileName(kind, inn)}"`);
      res.setHeader('content-length', String(document.bytes.length));
      res.setHeader('last-modified', new Date(document.fetchedAt).toUTCString());
      res.end(document.bytes);
    } catch (error) {
      if (error instanceof VendorError) {
        // The catalogue's status: the vendor's fault (502), unavailable for now (503), too slow (504).
        const status = ERROR_CATALOGUE[error.code].http;
        const retryAfter = error.extensions.retryAfterSeconds;
        if (typeof retryAfter === 'number') res.setHeader('retry-after', String(retryAfter));
        logger.warn({ kind, status, code: error.code, durationMs: Date.now() - started }, 'document download failed');
        const message = redact(error.message);
        return plain(res, status, `${error.code}: ${message}`);
      }
      logger.error({ kind, err: { message: redact(String((error as Error)?.message ?? error)) } }, 'document download failed');
      return plain(res, 500, 'INTERNAL_SERVER_ERROR: the document could not be served');
    }
  });
  return router;
}

function plain(res: Response, status: number, text: string): undefined {
  res.status(status).type('text/plain').send(`${text}\n`);
}
