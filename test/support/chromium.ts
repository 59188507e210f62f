import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** The browser tests' Chromium (Debian's): found, or skipped with a printed reason; launched headless and offline. */

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

const CANDIDATES = [
  ...(process.env.CHROMIUM_PATH ? [`$CHROMIUM_PATH (${process.env.CHROMIUM_PATH})`] : []),
  '/usr/bin/chromium',
  '`chromium` on PATH',
];

function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  if (isExecutable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'chromium');
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** The Chromium binary, or undefined after printing why `testFile` skips. */
export function chromiumFor(testFile: string): string | undefined {
  const found = findChromium();
  if (!found) {
    console.warn(
      `${testFile} SKIPPED: no Chromium binary found (looked for ${CANDIDATES.join(', ')}). ` +
        "Install Debian's `chromium` or set CHROMIUM_PATH to run it.",
    );
  }
  return found;
}

/** Headless, with the flags that keep Chromium off the (closed) network: no background connections, no QUIC. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** data:, blob: and about: URLs never touch the network; http(s) must go to loopback. */
export function isLocal(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:' || parsed.protocol === 'about:') return true;
  return LOOPBACK_HOSTS.has(parsed.hostname);
}
