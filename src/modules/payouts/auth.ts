import type { GraphQLContext } from '../../common/context.ts';
import { forbidden } from '../../errors.ts';

/** The scope every payouts mutation needs. */
export const WRITE_SCOPE = 'payouts:write';

/**
 * Scopes come from a header the router sets after validating the user (AUTH_SCOPES_HEADER, default
 * x-user-scopes): a space- or comma-separated list. The subgraph trusts it only as far as it trusts the caller, so
 * a deployment that exposes payouts must set ROUTER_SECRET (only the router then reaches the subgraph).
 */
export function parseScopes(value: string | undefined): Set<string> {
  return new Set((value ?? '').split(/[\s,]+/).filter(Boolean));
}

/** Every payouts mutation starts here, before any validation that could call a vendor. */
export function requireWriteScope(ctx: GraphQLContext, field: string): void {
  if (!ctx.payouts.scopes.has(WRITE_SCOPE)) {
    throw forbidden(`${field} needs the "${WRITE_SCOPE}" scope: it moves money or personal data`, WRITE_SCOPE);
  }
}

/** The scope every payouts read needs; `payouts:write` includes it. */
export const READ_SCOPE = 'payouts:read';

/** Every payouts read starts here (root fields and entity references), before any vendor call. */
export function requireReadScope(ctx: GraphQLContext, field: string): void {
  if (!ctx.payouts.scopes.has(READ_SCOPE) && !ctx.payouts.scopes.has(WRITE_SCOPE)) {
    throw forbidden(`${field} needs the "${READ_SCOPE}" scope: it reads payouts and contractors' personal data`, READ_SCOPE);
  }
}
