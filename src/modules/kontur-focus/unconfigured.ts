import { VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { FocusClient, type FocusDocumentMethod, type FocusIdParam, type FocusPage } from './vendor/client.ts';
import type { FocusBatchMethod, FocusIdentifierPair, FocusPagedMethod, FocusRecordOf, FocusStat } from './vendor/schemas.ts';

/**
 * The Kontur.Focus client of a deployment without FOCUS_API_KEY that runs on T-Bank alone (TBANK_TOKEN set): nothing
 * is ever sent; every method fails at once with VENDOR_UNAVAILABLE (`extensions.notConfigured: true`), so fields only
 * Kontur.Focus has answer null with an error saying why. Requisites and status come from T-Bank instead
 * (src/loaders/tbank-loaders.ts), and the batchers, pages and services built over this client keep working unchanged.
 */
export class UnconfiguredFocusClient extends FocusClient {
  constructor(logger: Logger, metrics: Metrics) {
    super(
      {
        baseUrl: 'http://kontur-focus.invalid/api3',
        apiKey: '',
        timeoutMs: 1_000,
        retries: 0,
        connections: 1,
        breaker: { errorPercent: 100, minCalls: 1_000_000, windowMs: 60_000, resetMs: 60_000 },
      },
      logger,
      metrics,
    );
  }

  override async getBatch<M extends FocusBatchMethod>(method: M, _idParam: FocusIdParam, ids: readonly string[]): Promise<FocusRecordOf<M>[]> {
    if (ids.length === 0) return [];
    throw notConfigured(method);
  }

  override async getPage<M extends FocusPagedMethod>(method: M): Promise<FocusPage<unknown>> {
    throw notConfigured(method);
  }

  override async getDocument(method: FocusDocumentMethod): Promise<Buffer | null> {
    throw notConfigured(method);
  }

  override async getUsage(): Promise<FocusStat[]> {
    throw notConfigured('stat');
  }

  override async getChanges(scope: 'req' | 'egrDetails'): Promise<FocusIdentifierPair[]> {
    throw notConfigured(`${scope}/mon`);
  }

  override async addToMonitoring(): Promise<FocusIdentifierPair[]> {
    throw notConfigured('monList');
  }
}

function notConfigured(method: string): VendorError {
  return new VendorError('VENDOR_UNAVAILABLE', `Kontur.Focus is not configured (FOCUS_API_KEY is unset): its ${method} data is not available`, {
    vendor: 'kontur-focus',
    method,
    notConfigured: true,
  });
}
