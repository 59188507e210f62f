import { setSlice, sliceOf, type AnyModule, type AppConfig, type VendorState } from '../modules/contract.ts';
import type { Logger } from '../observability/logger.ts';
import { MODULES } from './registry.ts';

export interface SandboxedConfig {
  config: AppConfig;
  /** Each vendor: live (its own credentials), sandbox (the bundled emulator) or not configured. */
  vendors: Record<string, VendorState>;
  /** Vendor name → how people call it (Kontur.Focus). */
  displayNames: Record<string, string>;
  /** Sandbox mode: every vendor module with an emulator runs on it. */
  sandbox: boolean;
  banner: string[];
  close(): Promise<void>;
}

/**
 * Starts, on loopback, the emulator of every vendor module that wants one (each decides: never in production, and
 * never when its own credentials are set), and answers the configuration pointed at them.
 */
export async function startSandboxes(config: AppConfig, logger: Logger, modules: readonly AnyModule[] = MODULES): Promise<SandboxedConfig> {
  const sandboxed: AppConfig = { ...config };
  const vendorModules = modules.filter((module) => module.vendor);
  const live = new Set(vendorModules.filter((module) => module.vendor!.live(sliceOf(module, config))).map((module) => module.vendor!.name));
  const decision = { production: config.env === 'production', live };
  const vendors: Record<string, VendorState> = {};
  const closers: Array<() => Promise<void>> = [];
  const banner: string[] = [];
  for (const module of vendorModules) {
    const vendor = module.vendor!;
    const slice = sliceOf(module, config);
    if (live.has(vendor.name)) {
      vendors[vendor.name] = 'live';
    } else if (vendor.sandbox?.wanted(slice, decision)) {
      const started = await vendor.sandbox.start(slice, config, logger);
      setSlice(sandboxed, module, started.slice);
      closers.push(() => started.close());
      vendors[vendor.name] = 'sandbox';
      banner.push(...(vendor.banner ?? []));
    } else {
      vendors[vendor.name] = 'not configured';
    }
  }
  const withEmulators = vendorModules.filter((module) => module.vendor!.sandbox);
  for (const module of vendorModules) {
    const note = vendors[module.vendor!.name] === 'not configured' ? module.vendor!.notConfigured?.(vendors) : undefined;
    if (note) {
      banner.push(note);
      logger.warn(note);
    }
  }
  return {
    config: sandboxed,
    displayNames: Object.fromEntries(vendorModules.map((module) => [module.vendor!.name, module.vendor!.displayName])),
    vendors,
    sandbox: withEmulators.length > 0 && withEmulators.every((module) => vendors[module.vendor!.name] === 'sandbox'),
    banner,
    async close() {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
