import { ConfigError, loadConfig } from './config.ts';
import { RiskPolicyError } from './modules/risk/policy.ts';
import { createHttpApp } from './http/server.ts';
import { createLogger } from './observability/logger.ts';
import { resolveFocusTarget, resolveTbankTarget } from './sandbox.ts';
import { resolveJumpTarget } from './sandbox.ts';
import { createServices } from './services.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const target = await resolveFocusTarget(config, logger);
  const tbankTarget = await resolveTbankTarget(config, logger, Boolean(target.sandbox));
  // Jump.Finance: the real API with JUMP_API_KEY, else the bundled emulator (never in production).
  const jumpTarget = await resolveJumpTarget(config, logger);
  config.jump = { ...config.jump, baseUrl: jumpTarget.baseUrl, apiKey: jumpTarget.apiKey };
  const services = createServices(
    { ...config, focus: { ...config.focus, baseUrl: target.baseUrl }, tbank: { ...config.tbank, baseUrl: tbankTarget.baseUrl, token: tbankTarget.token } },
    logger,
    target.apiKey,
  );
  await services.cache.connect();
  const vendors = {
    'kontur-focus': vendorState(target.apiKey, target.sandbox),
    tbank: vendorState(tbankTarget.token, tbankTarget.sandbox),
    'jump-finance': vendorState(jumpTarget.apiKey, jumpTarget.sandbox),
  };
  const { httpServer, apollo, lifecycle } = await createHttpApp(services, { sandbox: Boolean(target.sandbox), liveMoney: vendors['jump-finance'] === 'live' });

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, cache: services.cache.kind, sandbox: Boolean(target.sandbox), env: config.env, vendors }, 'subgraph listening');
  printBanner(port, Boolean(target.sandbox), services.cache.kind, vendors);
  if (jumpTarget.sandbox) {
    process.stdout.write('  PAYOUTS SANDBOX: JUMP_API_KEY is not set, so contractors and payouts live in the bundled Jump.Finance emulator; no money moves.\n\n');
  }
  services.monitoringJob?.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, graceMs: config.operation.shutdownGraceMs }, 'shutting down: finishing in-flight operations');
    lifecycle.draining = true; // /readyz answers 503 from now on
    await apollo.stop(); // drains the HTTP server: stops accepting, waits for in-flight operations up to SHUTDOWN_GRACE
    await services.close();
    await target.sandbox?.close();
    await tbankTarget.sandbox?.close();
    await jumpTarget.sandbox?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** live: real credentials; sandbox: the bundled emulator; not configured: its fields fail with notConfigured. */
function vendorState(credential: string | undefined, sandbox: unknown): 'live' | 'sandbox' | 'not configured' {
  if (sandbox) return 'sandbox';
  return credential ? 'live' : 'not configured';
}

type VendorStates = Record<'kontur-focus' | 'tbank' | 'jump-finance', ReturnType<typeof vendorState>>;

function printBanner(port: number, sandbox: boolean, cache: string, vendors: VendorStates): void {
  const lines = [
    '',
    `  Counterparty subgraph ready: http://localhost:${port}/graphql  (open it in a browser for GraphiQL)`,
    `  Cache: ${cache === 'redis' ? 'Redis (CACHE_URL)' : 'in memory'}`,
    `  Vendors: Kontur.Focus ${vendors['kontur-focus']}, T-Bank ${vendors.tbank}, Jump.Finance ${vendors['jump-finance']}`,
  ];
  if (sandbox) {
    lines.push(
      '  SANDBOX MODE: FOCUS_API_KEY is not set, so answers come from the bundled Kontur.Focus emulator,',
      '  not from the real registry. Real captured companies: 6663003127, 7736050003, 4401006984, 366512608416;',
      '  any other checksum-valid INN gets deterministic synthetic data (INNs starting with 00 are unknown).',
      '  The bundled T-Bank emulator answers Company.tbankCheck and stateContracts for the same companies.',
    );
  } else if (vendors['kontur-focus'] !== 'live') {
    lines.push(
      vendors.tbank === 'live'
        ? '  Kontur.Focus is not configured: requisites and status come from T-Bank; other Focus fields answer null.'
        : '  Kontur.Focus is not configured: company fields answer VENDOR_UNAVAILABLE (notConfigured).',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof RiskPolicyError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Failed to start: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
