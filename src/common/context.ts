import type { Logger } from '../observability/logger.ts';
import type { OperationStats } from '../loaders/operation-stats.ts';

/**
 * What every resolver gets. The core part is here; each module adds its own part by declaration merging in its
 * module.ts (`declare module '../../common/context.ts' { interface GraphQLContext { focus: FocusRequest } }`), so
 * this file imports no module and no module imports another's context through it.
 */
export interface GraphQLContext {
  requestId: string;
  logger: Logger;
  /** What this operation has cost so far (logged when it ends), and when it stops waiting for vendors. */
  stats: OperationStats;
  now: () => number;
  /** A request header (lower-case name), e.g. the scopes the router sets. */
  header(name: string): string | undefined;
}
