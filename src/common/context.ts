import type { Logger } from '../observability/logger.ts';
import type { FocusLoaders } from '../modules/kontur-focus/loaders.ts';
import type { TbankLoaders } from '../modules/tbank/loaders.ts';
import type { CompanyService } from '../modules/company/service.ts';
import type { UsageService } from '../modules/collections/usage.ts';
import type { DocumentService } from '../modules/documents/service.ts';
import type { MonitoringService } from '../modules/monitoring/service.ts';
import type { RiskPolicy } from '../modules/risk/policy.ts';
import type { RiskTbankSignals } from '../modules/risk/engine.ts';
import type { OperationStats } from '../loaders/operation-stats.ts';
import type { PayoutsRequest } from '../modules/payouts/service.ts';

/** What every resolver gets: per-request loaders over the process-wide cache, and the services behind them. */
export interface GraphQLContext {
  requestId: string;
  logger: Logger;
  /** Kontur.Focus loaders, and T-Bank's (`tbankExcerpt` …; undefined when T-Bank is not configured). */
  loaders: FocusLoaders & TbankLoaders;
  companies: CompanyService;
  usage: UsageService;
  /** Signed document links, and the cache the download route fills. */
  documents: DocumentService;
  monitoring: MonitoringService;
  riskPolicy: RiskPolicy;
  /** T-Bank's risk signals for an INN; absent when T-Bank is not configured. */
  tbankSignals?: (inn: string) => Promise<RiskTbankSignals | null>;
  now: () => number;
  /** Jump.Finance contractors and payouts: the caller's scopes and per-request contractor loader. */
  payouts: PayoutsRequest;
  /** What this operation has cost so far; logged when it ends. */
  stats: OperationStats;
}
