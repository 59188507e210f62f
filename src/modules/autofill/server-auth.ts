import type { Request } from 'express';
import { sameSecret } from '../../config/secrets.ts';
import type { AppConfig } from '../contract.ts';
import type { AutofillConfig } from './config.ts';

/**
 * Whether a server-to-server call (the site's backend) may screen: through the router (`router-authorization:
 * <ROUTER_SECRET>`) or with `Authorization: Bearer <AUTOFILL_SERVER_TOKEN>`. With neither configured it is open only
 * in sandbox mode (emulated vendors): a screening costs paid calls and answers nobody anonymous.
 */
export function serverCallAllowed(req: Request, config: AppConfig, autofill: AutofillConfig, sandbox: boolean): boolean {
  const routerSecret = config.access.routerSecret;
  const token = autofill.serverToken;
  if (!routerSecret && !token) return sandbox;
  if (routerSecret && sameSecret(req.get('router-authorization'), routerSecret)) return true;
  const bearer = /^bearer +(.+)$/i.exec(req.get('authorization') ?? '')?.[1];
  return token !== undefined && sameSecret(bearer, token);
}
