import { z } from 'zod';
import { coreConfig, coreEnv } from '../config/core.ts';
import { ConfigError } from '../config/env.ts';
import { setSlice, sliceOf, type AnyModule, type AppConfig, type ModuleConfigs } from '../modules/contract.ts';
import { MODULES } from './registry.ts';

/**
 * Every environment variable the subgraph reads — the core's and each module's — validated at once, so a bad start
 * names every bad variable in one message, never half-configures the server.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv | Record<string, string | undefined> = process.env,
  modules: readonly AnyModule[] = MODULES,
): AppConfig {
  const shape: Record<string, z.core.$ZodType> = { ...coreEnv };
  for (const module of modules) {
    for (const [name, schema] of Object.entries(module.env ?? {})) {
      if (name in shape) throw new Error(`${name} is declared by two modules`);
      shape[name] = schema;
    }
  }
  const parsed = z.object(shape).safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      `Invalid configuration:\n${parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')}`,
    );
  }
  const core = coreConfig(parsed.data as Parameters<typeof coreConfig>[0]);
  const slices: Partial<ModuleConfigs> = {};
  for (const module of modules) setSlice(slices, module, module.config(parsed.data, core));
  // Every module of the registry has its slice now (a test's shorter registry leaves the others out).
  const config = { ...core, ...slices } as AppConfig;
  const problems = modules.flatMap((module) => module.check?.(sliceOf(module, config), config) ?? []);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  return config;
}

export { ConfigError };
