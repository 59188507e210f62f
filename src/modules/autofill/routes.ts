import { readFileSync } from 'node:fs';
import path from 'node:path';
import cors from 'cors';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response, type Router } from 'express';
import type { ErrorCode } from '../../errors.ts';
import { innProblem } from '../../domain/identifiers.ts';
import { echoInput } from '../../observability/redaction.ts';
import { publicDir } from '../../paths.ts';
import type { CoreServices, ModuleRuntime } from '../contract.ts';
import { browserMayCall, clientOf } from './client-key.ts';
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

type RouteErrorCode = Extract<
  ErrorCode,
  | 'BAD_USER_INPUT'
  | 'BAD_REQUEST'
  | 'PAYLOAD_TOO_LARGE'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'BUDGET_EXHAUSTED'
  | 'VENDOR_UNAVAILABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
>;

const TWO_DAYS_MS = 2 * 86_400_000;
const SCREEN_BODY_LIMIT = '4kb';

export interface AutofillRouteServices {
  config: AutofillConfig;
  metrics: AutofillMetrics;
}

/** `{ error: { code, message } }`, the route's one error shape, with Retry-After when the client should wait. */
function fail(res: Response, status: number, code: RouteErrorCode, message: string, retryAfterSeconds?: number): void {
  // An echoed input is text inside JSON: never sniffed as anything else.
  res.setHeader('X-Content-Type-Options', 'nosniff');
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
  // Daily counts are keyed by the day and kept two days: each day's key outlives its day, then expires.
  const lookup = new AutofillLookup(
    runtime,
    // Money: one count for every replica or none (a Redis that fails pays nothing, not each replica a budget of its own).
    core.cache.quota('autofill-budget', { points: config.dailyVendorCalls, durationMs: TWO_DAYS_MS, insured: false }),
    config.dailyVendorCalls,
    core.cache.quota('autofill-client-day', { points: config.clientDailyVendorCalls, durationMs: TWO_DAYS_MS }),
    metrics,
    core.logger,
    core.now,
  );
  const count = (route: string, outcome: AutofillOutcome) => metrics.requests.inc({ route, outcome });

  // Browsers on the sites of AUTOFILL_ORIGINS may read the answers (none by default: same origin and servers only).
  const crossOrigin = cors({ origin: config.origins, methods: ['GET'], exposedHeaders: ['Retry-After'], maxAge: 600 });

  const limited = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const taken = await perClient.take(clientOf(req, core.logger));
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
  // A page of another site may not make its visitors' browsers spend the budget: CORS only hides the answer from it.
  const sameSiteOrListed = (req: Request, res: Response, next: NextFunction) => {
    if (browserMayCall(req, config.origins)) return next();
    count('company', 'foreign_origin');
    fail(res, 403, 'FORBIDDEN', 'This site may not call the autofill route from the browser (AUTOFILL_ORIGINS)');
  };

  router.get(`${AUTOFILL_BASE}/company`, crossOrigin, sameSiteOrListed, limited, async (req, res, next) => {
    try {
      const parsed = innOf(req.query.inn);
      if ('problem' in parsed) {
        count('company', 'bad_input');
        return fail(res, 400, 'BAD_USER_INPUT', parsed.problem);
      }
      const gone = new AbortController();
      res.once('close', () => gone.abort());
      const result = await lookup.lookup(parsed.inn, clientOf(req, core.logger), gone.signal);
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

  const authenticated = (req: Request, res: Response, next: NextFunction) => {
    if (serverCallAllowed(req, core.config, config, core.sandbox)) return next();
    count('screen', 'unauthenticated');
    fail(res, 401, 'UNAUTHENTICATED', 'Unauthorized: send Authorization: Bearer <AUTOFILL_SERVER_TOKEN> (or call through the router)');
  };
  // The body is read only once the caller is known; what cannot be read is answered in the route's own shape.
  const unreadable: ErrorRequestHandler = (error: { status?: number }, _req, res, next) => {
    if (error.status === 413) return fail(res, 413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${SCREEN_BODY_LIMIT}`);
    if (error.status === 400) return fail(res, 400, 'BAD_REQUEST', 'The body is not JSON');
    next(error);
  };

  router.post(
    `${AUTOFILL_BASE}/screen`,
    authenticated,
    express.json({ limit: SCREEN_BODY_LIMIT }),
    unreadable,
    async (req: Request, res: Response, next: NextFunction) => {
      try {
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
    },
  );
  return router;
}

function outcomeOf(result: AutofillResult): AutofillOutcome {
  if (result.kind === 'found') return result.answer.stale ? 'stale' : 'ok';
  return result.kind;
}

function sendLookup(res: Response, result: AutofillResult): void {
  switch (result.kind) {
    case 'found':
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Registry data changes rarely; a browser may keep an answer for five minutes (never a stale one).
      res.setHeader('Cache-Control', result.answer.stale ? 'no-store' : 'private, max-age=300');
      res.json(result.answer);
      return;
    case 'not_found':
      res.setHeader('Cache-Control', 'private, max-age=300');
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'The registry (EGRUL/EGRIP) does not know this INN' } });
      return;
    case 'client_exhausted':
      fail(
        res,
        429,
        'RATE_LIMITED',
        "This client's lookups for today are used up; cached companies still answer",
        result.retryAfterSeconds,
      );
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
