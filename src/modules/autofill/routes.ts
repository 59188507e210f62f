import { readFileSync } from 'node:fs';
import path from 'node:path';
import cors from 'cors';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { innProblem } from '../../domain/identifiers.ts';
import { echoInput } from '../../observability/redaction.ts';
import { publicDir } from '../../paths.ts';
import type { CoreServices, ModuleRuntime } from '../contract.ts';
import { clientKey } from './client-key.ts';
import type { AutofillConfig } from './config.ts';
import { DEMO_CSP_HASHES, demoPage } from './demo.ts';
import { AutofillLookup, type AutofillResult } from './lookup.ts';
import type { AutofillMetrics, AutofillOutcome } from './metrics.ts';
import { screen } from './screen.ts';
import { serverCallAllowed } from './server-auth.ts';

export const AUTOFILL_BASE = '/autofill/v1';

/** Real companies the demo offers (the sandbox's captured fixtures; live, the registry's own answers). */
const DEMO_SAMPLES = [
  { inn: '6663003127', label: 'АО «ПФ «СКБ Контур»' },
  { inn: '7736050003', label: 'ПАО «Газпром»' },
  { inn: '4401006984', label: 'ОАО «Мотордеталь» (ликвидировано)' },
  { inn: '366512608416', label: 'ИП Введенский М. С.' },
];

type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'RATE_LIMITED' | 'BUDGET_EXHAUSTED' | 'VENDOR_UNAVAILABLE' | 'UNAUTHENTICATED';

export interface AutofillRouteServices {
  config: AutofillConfig;
  metrics: AutofillMetrics;
}

/** `{ error: { code, message } }`, the route's one error shape, with Retry-After when the client should wait. */
function fail(res: Response, status: number, code: ErrorCode, message: string, retryAfterSeconds?: number): void {
  if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterSeconds))));
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).json({ error: { code, message } });
}

/** The INN of a request, or why it is not one (a repeated, missing or malformed parameter). */
function innOf(value: unknown): { inn: string } | { problem: string } {
  if (typeof value !== 'string') return { problem: value === undefined ? 'inn is required: ?inn=<10 or 12 digits>' : 'give one inn' };
  const inn = value.trim();
  const problem = innProblem(inn);
  return problem ? { problem: `Invalid INN ${echoInput(inn)}: ${problem}` } : { inn };
}

/**
 * The public autofill routes: the INN lookup and the widget (anonymous visitors, limited per client and by a daily
 * vendor budget), the demo page, and the server-to-server screening (ROUTER_SECRET or AUTOFILL_SERVER_TOKEN).
 */
export function autofillRoutes(services: AutofillRouteServices, core: CoreServices, runtime: ModuleRuntime): Router {
  const { config, metrics } = services;
  const router = express.Router();
  const perClient = core.cache.quota('autofill-client', { points: config.rateLimit.calls, durationMs: config.rateLimit.windowMs });
  const lookup = new AutofillLookup(
    runtime,
    // Two days: each day's key lives past its own day, then expires.
    core.cache.quota('autofill-budget', { points: config.dailyVendorCalls, durationMs: 2 * 86_400_000 }),
    config.dailyVendorCalls,
    metrics,
    core.logger,
    core.now,
  );
  const count = (route: string, outcome: AutofillOutcome) => metrics.requests.inc({ route, outcome });

  // Browsers on the sites of AUTOFILL_ORIGINS may read the answers (none by default: same origin and servers only).
  const crossOrigin = cors({ origin: config.origins, methods: ['GET'], exposedHeaders: ['Retry-After'], maxAge: 600 });

  const limited = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const taken = await perClient.take(clientKey(req.ip));
      if (taken.allowed) return next();
      count('company', 'rate_limited');
      fail(
        res,
        429,
        'RATE_LIMITED',
        `Too many requests from this client (AUTOFILL_RATE_LIMIT); try again later`,
        taken.retryAfterMs / 1000,
      );
    } catch (error) {
      next(error);
    }
  };

  router.options(`${AUTOFILL_BASE}/company`, crossOrigin);
  router.get(`${AUTOFILL_BASE}/company`, crossOrigin, limited, async (req, res, next) => {
    try {
      const parsed = innOf(req.query.inn);
      if ('problem' in parsed) {
        count('company', 'bad_input');
        return fail(res, 400, 'BAD_USER_INPUT', parsed.problem);
      }
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const result = await lookup.lookup(parsed.inn, gone.signal);
      count('company', outcomeOf(result));
      sendLookup(res, result);
    } catch (error) {
      next(error);
    }
  });

  const widget = readFileSync(path.join(publicDir, 'autofill', 'widget.js'), 'utf8');
  router.get(`${AUTOFILL_BASE}/widget.js`, (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    // Included by other sites' pages: allowed across origins, and never sniffed as anything but a script.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('application/javascript').send(widget);
  });

  const demo = demoPage({ samples: DEMO_SAMPLES, sandbox: core.sandbox });
  router.get(`${AUTOFILL_BASE}/demo`, (_req, res) => {
    res.setHeader(
      'Content-Security-Policy',
      `default-src 'none'; script-src 'self' ${DEMO_CSP_HASHES.script}; style-src ${DEMO_CSP_HASHES.style}; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'`,
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type('html').send(demo);
  });

  router.post(`${AUTOFILL_BASE}/screen`, express.json({ limit: '4kb' }), async (req, res, next) => {
    try {
      if (!serverCallAllowed(req, core.config, config)) {
        count('screen', 'unauthenticated');
        return fail(
          res,
          401,
          'UNAUTHENTICATED',
          'Unauthorized: send Authorization: Bearer <AUTOFILL_SERVER_TOKEN> (or call through the router)',
        );
      }
      const parsed = innOf((req.body as { inn?: unknown } | undefined)?.inn);
      if ('problem' in parsed) {
        count('screen', 'bad_input');
        return fail(res, 400, 'BAD_USER_INPUT', parsed.problem);
      }
      const result = await screen(runtime, parsed.inn);
      if (result.kind === 'found') {
        count('screen', 'ok');
        res.setHeader('Cache-Control', 'no-store');
        return res.json(result.answer);
      }
      if (result.kind === 'not_found') {
        count('screen', 'not_found');
        return fail(res, 404, 'NOT_FOUND', `The registry does not know INN ${parsed.inn}`);
      }
      count('screen', 'unavailable');
      fail(res, 503, 'VENDOR_UNAVAILABLE', `The risk profile could not be made: ${result.message}`, result.retryAfterSeconds);
    } catch (error) {
      next(error);
    }
  });
  return router;
}

function outcomeOf(result: AutofillResult): AutofillOutcome {
  if (result.kind === 'found') return result.answer.stale ? 'stale' : 'ok';
  return result.kind;
}

function sendLookup(res: Response, result: AutofillResult): void {
  switch (result.kind) {
    case 'found':
      // Registry data changes rarely; a browser may keep an answer for five minutes (never a stale one).
      res.setHeader('Cache-Control', result.answer.stale ? 'no-store' : 'private, max-age=300');
      res.json(result.answer);
      return;
    case 'not_found':
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'The registry (EGRUL/EGRIP) does not know this INN' } });
      return;
    case 'budget_exhausted':
      fail(
        res,
        503,
        'BUDGET_EXHAUSTED',
        "Today's lookups are used up and this INN is not cached; try again tomorrow",
        result.retryAfterSeconds,
      );
      return;
    case 'unavailable':
      fail(
        res,
        503,
        'VENDOR_UNAVAILABLE',
        'The registry cannot be asked right now and this INN is not cached; try again later',
        result.retryAfterSeconds,
      );
  }
}
