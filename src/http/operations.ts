import { sameSecret } from '../config/secrets.ts';
import type { NextFunction, Request, Response, Router } from 'express';
import express from 'express';
import type { Services } from '../app/services.ts';
import { errorBody } from '../errors.ts';

/** The server's shutdown state: `draining` (set on SIGTERM) makes readiness answer 503. */
export interface Lifecycle {
  draining: boolean;
}

/** Liveness, readiness and Prometheus metrics: reachable without the router secret so probes and scrapers work. */
export function operationsRoutes(services: Services, lifecycle: Lifecycle = { draining: false }): Router {
  const router = express.Router();
  const started = Date.now();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - started) / 1000) });
  });

  router.get('/readyz', async (_req, res) => {
    if (lifecycle.draining) {
      res.status(503).json({ status: 'not ready', checks: { config: 'ok', shutdown: 'draining: finishing in-flight operations' } });
      return;
    }
    const [cacheReachable, modules] = await Promise.all([services.cache.ping(), services.ready()]);
    const ready = cacheReachable && modules.ok;
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: { config: 'ok', cache: { kind: services.cache.kind, reachable: cacheReachable }, ...modules.checks },
    });
  });

  router.get('/metrics', requireBearer(services.config.access.metricsToken), async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  return router;
}

function requireBearer(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!token) return next();
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (sameSecret(given, token)) return next();
    res.status(401).type('text/plain').send('Unauthorized: send Authorization: Bearer <METRICS_TOKEN>');
  };
}

/** With ROUTER_SECRET set, only the router (which adds `router-authorization`) may run GraphQL operations. */
export function requireRouterSecret(secret: string | undefined) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!secret || sameSecret(req.get('router-authorization'), secret)) return next();
    res.status(401).json({
      ...errorBody('UNAUTHENTICATED', 'Unauthorized: this subgraph answers only through the router'),
    });
  };
}
