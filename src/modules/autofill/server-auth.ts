import type { Request } from 'express';
import { sameSecret } from '../../config/secrets.ts';
import type { AppConfig } from '../contract.ts';
import type { AutofillConfig } from './config.ts';

/**
 * Whether a server-to-server call (the site's backend) may screen: through the router (`router-authorization:
 * <ROUTER_SECRET>`) or with `Authorization: Bearer <AUTOFILL_SERVER_TOKEN>`. With neither configured it is open as
 * /graphql is — but never in production, where a screening costs paid calls and answers nobody anonymous.
 */
export function serverCallAllowed(req: Request, config: AppConfig, autofill: AutofillConfig): boolean {
  const routerSecret = config.access.routerSecret;
  const token = autofill.serverToken;
  if (!routerSecret && !token) return config.env !== 'production';
  if (routerSecret && sameSecret(req.get('router-authorization'), routerSecret)) return true;
  const header = req.get('authorization') ?? '';
  return token !== undefined && header.startsWith('Bearer ') && sameSecret(header.slice(7), token);
}
