import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { listeningPorts, postGraphQL, runUntilExit, startServerProcess } from '../support/processes.ts';

/** Variables that would turn on a real vendor or a shared store if the machine's environment had them. */
const CLEAN = {
  FOCUS_API_KEY: '',
  TBANK_TOKEN: '',
  JUMP_API_KEY: '',
  BITRIX24_WEBHOOK_URL: '',
  ROUTER_SECRET: '',
  CACHE_URL: '',
  LOG_LEVEL: 'info',
};

describe('fail closed at start-up', () => {
  it('development mode with a real JUMP_API_KEY and no ROUTER_SECRET refuses to start, naming the variable', async () => {
    const { code, output } = await runUntilExit({ ...CLEAN, NODE_ENV: 'development', JUMP_API_KEY: 'live-jump-key-0123456789' });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      "Invalid configuration:\n  ROUTER_SECRET: required when JUMP_API_KEY is set, whatever NODE_ENV is (payout mutations trust the router's scope header)",
    );
    expect(output).not.toContain('live-jump-key-0123456789');
  });

  it('a router secret of 16 spaces refuses to start', async () => {
    const { code, output } = await runUntilExit({ ...CLEAN, ROUTER_SECRET: ' '.repeat(16) });
    expect(code).toBe(1);
    expect(output.trim()).toBe(
      'Invalid configuration:\n  ROUTER_SECRET: ROUTER_SECRET is blank (only whitespace); set a real value or leave it unset',
    );
  });

  it('production without FOCUS_API_KEY starts no emulator (one listening port), says which vendors are live, and company answers notConfigured', async () => {
    const server = await startServerProcess({ ...CLEAN, NODE_ENV: 'production' });
    try {
      expect(listeningPorts(server.pid)).toEqual([Number(new URL(server.url).port)]);
      const listening = server
        .output()
        .split('\n')
        .map((line) => (line.startsWith('{') ? (JSON.parse(line) as { msg?: string; vendors?: unknown }) : {}))
        .find((line) => line.msg === 'subgraph listening');
      expect(listening?.vendors).toEqual({
        'kontur-focus': 'not configured',
        tbank: 'not configured',
        'jump-finance': 'not configured',
        bitrix24: 'not configured',
      });
      expect(server.output()).not.toContain('emulator started');

      const [inn] = legalEntityInns(1, 41) as [string];
      const answer = await postGraphQL(server.url, `query ($inn: String!) { company(inn: $inn) { inn shortName } }`, { inn });
      expect(answer.data).toEqual({ company: null });
      expect(answer.errors.map((error: { extensions: Record<string, unknown> }) => error.extensions)).toEqual([
        { code: 'VENDOR_UNAVAILABLE', vendor: 'kontur-focus', method: 'req', notConfigured: true },
      ]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);

  it('sandbox mode (development, no keys) starts the four emulators and says so', async () => {
    const server = await startServerProcess({ ...CLEAN, NODE_ENV: 'development' });
    try {
      expect(listeningPorts(server.pid)).toHaveLength(5);
      expect(server.output()).toContain(
        '"vendors":{"kontur-focus":"sandbox","tbank":"sandbox","jump-finance":"sandbox","bitrix24":"sandbox"}',
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
  }, 30_000);
});
