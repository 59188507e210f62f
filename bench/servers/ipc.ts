/**
 * What a benchmarked server process answers its parent over IPC: its CPU time so far, and its memory after a forced
 * GC (the process runs with --expose-gc). Bench-only: the product never runs with --expose-gc.
 */
export interface ProcessStats {
  cpuMs: number;
  heapUsed: number;
  /** What V8 has reserved for its heap (used or not). */
  heapTotal: number;
  rss: number;
}

export type BenchRequest = { type: 'stats'; gc: boolean } | { type: 'load'; companies: Record<string, unknown> } | { type: 'exit' };

export function answerStats(): void {
  process.on('message', (message: BenchRequest) => {
    if (message.type === 'exit') process.exit(0);
    if (message.type !== 'stats') return;
    void statsNow(message.gc).then((stats) => process.send!({ type: 'stats', stats }));
  });
}

async function statsNow(collect: boolean): Promise<ProcessStats> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    if (!gc) throw new Error('run with --expose-gc');
    // Several passes with turns in between: weak references and finalisers settle.
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  if (process.env.BENCH_SPACES) {
    const { getHeapSpaceStatistics } = await import('node:v8');
    for (const space of getHeapSpaceStatistics())
      process.stderr.write(
        `${space.space_name} size ${(space.space_size / 2 ** 20).toFixed(1)} used ${(space.space_used_size / 2 ** 20).toFixed(1)}\n`,
      );
  }
  return { cpuMs: (cpu.user + cpu.system) / 1000, heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, rss: memory.rss };
}

/** Tells the parent where the server listens. */
export function announce(url: string): void {
  process.send!({ type: 'listening', url });
}
