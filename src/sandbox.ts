import { randomBytes } from 'node:crypto';
import type { Config } from './config.ts';
import type { Logger } from './observability/logger.ts';
import { startFocusEmulator, type FocusEmulator } from './modules/kontur-focus/emulator/server.ts';
import { startTbankEmulator, type TbankEmulator } from './modules/tbank/emulator/server.ts';
import { startJumpEmulator, type JumpEmulator } from './modules/payouts/emulator/server.ts';

export interface FocusTarget {
  baseUrl: string;
  /** undefined: Kontur.Focus is not configured (a T-Bank-only deployment). */
  apiKey: string | undefined;
  sandbox: FocusEmulator | undefined;
}

export interface TbankTarget {
  baseUrl: string;
  /** undefined: T-Bank is not configured. */
  token: string | undefined;
  sandbox: TbankEmulator | undefined;
}

/**
 * With FOCUS_API_KEY set, the real Kontur.Focus (or FOCUS_BASE_URL). Without it in production, or with TBANK_TOKEN,
 * no Kontur.Focus at all: its fields fail as not configured (requisites and status come from T-Bank when it is set).
 * Otherwise (no keys, not production), sandbox mode: the bundled emulator starts in this process on loopback with a
 * random key, and the client is pointed at it.
 */
export async function resolveFocusTarget(config: Config, logger: Logger): Promise<FocusTarget> {
  if (config.focus.apiKey) return { baseUrl: config.focus.baseUrl, apiKey: config.focus.apiKey, sandbox: undefined };
  if (config.env === 'production') {
    // Production is explicit: a forgotten key must never make the graph serve synthetic companies as real ones.
    logger.warn('Kontur.Focus is not configured (FOCUS_API_KEY unset, NODE_ENV=production): its fields fail as not configured');
    return { baseUrl: config.focus.baseUrl, apiKey: undefined, sandbox: undefined };
  }
  if (config.tbank.token) {
    logger.info('Kontur.Focus is not configured (FOCUS_API_KEY unset): requisites and status come from T-Bank');
    return { baseUrl: config.focus.baseUrl, apiKey: undefined, sandbox: undefined };
  }
  const apiKey = randomBytes(16).toString('hex');
  const sandbox = await startFocusEmulator({ apiKey, host: '127.0.0.1', port: 0, latencyMs: config.sandboxLatencyMs });
  logger.info({ emulator: sandbox.url }, 'sandbox mode: Kontur.Focus emulator started');
  return { baseUrl: sandbox.url, apiKey, sandbox };
}

/**
 * With TBANK_TOKEN set, the real T-Bank (or TBANK_BASE_URL). In sandbox mode (no keys at all) the bundled T-Bank
 * emulator starts too, with a random token and the vendor's own rate limit (10 calls per minute), so `tbankCheck`
 * works in the sandbox. Otherwise T-Bank is not configured.
 */
export async function resolveTbankTarget(config: Config, logger: Logger, sandboxMode: boolean): Promise<TbankTarget> {
  if (config.tbank.token) return { baseUrl: config.tbank.baseUrl, token: config.tbank.token, sandbox: undefined };
  // Never an emulator in production (sandboxMode is false there anyway: Kontur.Focus has no emulator in production).
  if (!sandboxMode || config.env === 'production') return { baseUrl: config.tbank.baseUrl, token: undefined, sandbox: undefined };
  const token = randomBytes(24).toString('base64url');
  const sandbox = await startTbankEmulator({ token, host: '127.0.0.1', port: 0, latencyMs: config.sandboxLatencyMs });
  logger.info({ emulator: sandbox.url }, 'sandbox mode: T-Bank emulator started');
  return { baseUrl: sandbox.url, token, sandbox };
}

export interface JumpTarget {
  baseUrl: string;
  /** undefined: Jump.Finance is not configured (payouts calls fail with `notConfigured`). */
  apiKey: string | undefined;
  sandbox: JumpEmulator | undefined;
}

/**
 * With JUMP_API_KEY set, the real Jump.Finance (or JUMP_BASE_URL). Without it, the bundled Jump.Finance emulator
 * starts in this process on loopback with a random key — except with NODE_ENV=production, where payouts stay not
 * configured: a forgotten key must never make a production graph answer with invented payouts.
 */
export async function resolveJumpTarget(config: Config, logger: Logger): Promise<JumpTarget> {
  if (config.jump.apiKey) return { baseUrl: config.jump.baseUrl, apiKey: config.jump.apiKey, sandbox: undefined };
  if (config.env === 'production') {
    logger.warn('Jump.Finance is not configured (JUMP_API_KEY unset): payouts fields and mutations fail as not configured');
    return { baseUrl: config.jump.baseUrl, apiKey: undefined, sandbox: undefined };
  }
  const apiKey = randomBytes(16).toString('hex');
  const sandbox = await startJumpEmulator({ apiKey, host: '127.0.0.1', port: 0, latencyMs: config.sandboxLatencyMs });
  logger.info({ emulator: sandbox.url }, 'sandbox mode: Jump.Finance emulator started');
  return { baseUrl: sandbox.url, apiKey, sandbox };
}
