/**
 * Runs the Bitrix24 emulator on its own, e.g. for manual curl checks or the adapter's sandbox:
 *
 *   tsx src/modules/bitrix24/emulator/cli.ts --port 4012 --secret sandbox \
 *     --handler http://127.0.0.1:4000/integrations/bitrix24/events
 *
 * Prints only the webhook base URL on stdout (http://127.0.0.1:4012/rest/1/<secret>/); the outgoing webhook's
 * application token and member id go to stderr. Seeded with the sandbox companies unless --no-seed; stops on
 * SIGINT/SIGTERM. `--rate-limit off|enterprise|<perSecond>/<bucket>` (default 2/50).
 */
import { parseArgs } from 'node:util';
import { nonNegativeInt, runEmulatorCli } from '../../../vendors/emulator-support.ts';
import { ENTERPRISE_RATE_LIMIT, startBitrix24Emulator, type Bitrix24RateLimit } from './server.ts';

const USAGE =
  'usage: cli.ts [--port 4012] [--host 127.0.0.1] [--secret sandbox] [--user 1] [--handler URL] [--application-token T] ' +
  '[--rate-limit 2/50|enterprise|off] [--latency 0] [--no-seed]';

function rateLimit(value: string): Bitrix24RateLimit | null {
  if (value === 'off') return null;
  if (value === 'enterprise') return ENTERPRISE_RATE_LIMIT;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  if (!match || Number(match[1]) <= 0 || Number(match[2]) <= 0)
    throw new Error(`--rate-limit must be off, enterprise or <perSecond>/<bucket>, got "${value}"\n${USAGE}`);
  return { perSecond: Number(match[1]), bucket: Number(match[2]) };
}

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4012' },
      host: { type: 'string', default: '127.0.0.1' },
      secret: { type: 'string', default: 'sandbox' },
      user: { type: 'string', default: '1' },
      handler: { type: 'string' },
      'application-token': { type: 'string' },
      'rate-limit': { type: 'string', default: '2/50' },
      latency: { type: 'string', default: '0' },
      'no-seed': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return undefined;
  }
  const emulator = await startBitrix24Emulator({
    secret: values.secret,
    userId: nonNegativeInt('user', values.user, USAGE),
    host: values.host,
    port: nonNegativeInt('port', values.port, USAGE),
    latencyMs: nonNegativeInt('latency', values.latency, USAGE),
    rateLimit: rateLimit(values['rate-limit']),
    seed: !values['no-seed'],
    ...(values.handler ? { handler: values.handler } : {}),
    ...(values['application-token'] ? { applicationToken: values['application-token'] } : {}),
  });
  console.error(`application_token ${emulator.applicationToken}, member_id ${emulator.memberId}, domain ${emulator.domain}`);
  return emulator;
}

runEmulatorCli(main);
