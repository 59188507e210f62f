import { Counter } from 'prom-client';
import type { Metrics } from '../../observability/metrics.ts';

export type AutofillOutcome =
  | 'ok'
  | 'stale'
  | 'not_found'
  | 'bad_input'
  | 'rate_limited'
  | 'budget_exhausted'
  | 'client_exhausted'
  | 'foreign_origin'
  | 'unavailable'
  | 'unauthenticated';

export class AutofillMetrics {
  readonly requests: Counter<'route' | 'outcome'>;
  readonly budgetSpent: Counter;

  constructor(metrics: Metrics) {
    this.requests = new Counter({
      name: 'autofill_requests_total',
      help: "Public autofill requests by route (company, screen) and outcome: ok, stale (an expired entry answered), not_found, bad_input, rate_limited (the per-client limit), client_exhausted (a client's paid lookups of the day), foreign_origin (a page of an unlisted site), budget_exhausted (the daily vendor budget is spent and the INN is not cached), unavailable (the vendor failed and nothing is cached).",
      labelNames: ['route', 'outcome'] as const,
      registers: [metrics.registry],
    });
    this.budgetSpent = new Counter({
      name: 'autofill_vendor_calls_total',
      help: 'Vendor calls charged to the public autofill route (AUTOFILL_DAILY_VENDOR_CALLS): a call carrying the INNs of several lookups is charged to each lookup that queued one.',
      registers: [metrics.registry],
    });
  }
}
