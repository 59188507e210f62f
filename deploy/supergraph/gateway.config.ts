/**
 * Hive Gateway configuration of the local supergraph (`hive-gateway supergraph <file> -c deploy/supergraph/gateway.config.ts`,
 * run under tsx so the gateway can import this file). It does what deploy/router.yaml does for the Apollo Router:
 * every request to the counterparty subgraph carries `router-authorization` (COUNTERPARTY_ROUTER_SECRET, the
 * replicas' ROUTER_SECRET), and the client's x-request-id goes on to the subgraphs (Hive Gateway's request-id plugin,
 * on by default, makes one when the client sent none). A client's `x-user-scopes` is NOT propagated: payout
 * mutations need it set from a validated user token, which this local gateway does not have.
 *
 * Not typed with `defineConfig` from '@graphql-hive/gateway' on purpose: importing its types (even `import type`)
 * puts @whatwg-node's fetch declarations into the project's one type-check, and `Response.json()` becomes `any`
 * everywhere (the tests' `as any` casts then fail lint as unnecessary). `propagateHeaders` is its GatewayConfig field.
 */
interface PropagateHeaders {
  fromClientToSubgraphs(payload: { subgraphName: string }): Record<string, string>;
}

export const gatewayConfig: { propagateHeaders: PropagateHeaders } = {
  propagateHeaders: {
    fromClientToSubgraphs({ subgraphName }) {
      const secret = process.env.COUNTERPARTY_ROUTER_SECRET;
      const headers: Record<string, string> = {};
      if (subgraphName === 'counterparty' && secret) headers['router-authorization'] = secret;
      return headers;
    },
  },
};
