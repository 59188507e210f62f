import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import type { Logger } from './observability/logger.ts';
import { startFocusEmulator, type FocusEmulator } from './vendors/kontur-focus/emulator/server.ts';

export interface FocusTarget {
  baseUrl: string;
  apiKey: string;
  sandbox: FocusEmulator | undefined;
}

/**
 * With FOCUS_API_KEY set, the real Kontur.Focus (or FOCUS_BASE_URL). Without it, sandbox mode: the bundled
 * emulator starts in this process on loopback with a random key, and the client is pointed at it.
 */
export async function resolveFocusTarget(config: Config, logger: Logger): Promise<FocusTarget> {
  if (config.focus.apiKey) return { baseUrl: config.focus.baseUrl, apiKey: config.focus.apiKey, sandbox: undefined };
  const apiKey = randomBytes(16).toString('hex');
  const sandbox = await startFocusEmulator({ apiKey, host: '127.0.0.1', port: 0, latencyMs: config.sandboxLatencyMs });
  logger.info({ emulator: sandbox.url }, 'sandbox mode: Kontur.Focus emulator started');
  return { baseUrl: sandbox.url, apiKey, sandbox };
}
