import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own emulator and servers on free loopback ports, so files run in parallel safely.
    pool: 'forks',
  },
});
