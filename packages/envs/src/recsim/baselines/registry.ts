import { ConfigError } from '@loomrl/core';
import { RECSIM_BASELINE_POLICIES } from './policies.js';
import type { RecSimPolicyFactory } from './policy.js';

const registered = new Map<string, RecSimPolicyFactory>();

/**
 * Registers a policy by name so `evaluatePolicy({ policy: name })` finds it — also in worker threads,
 * when the module calling this is listed in `policyModules` (functions never cross threads; names do).
 * Registering the same factory twice is a no-op; a different factory under a taken name throws.
 */
export function registerRecSimPolicy(name: string, factory: RecSimPolicyFactory): void {
  if (typeof name !== 'string' || name.length === 0)
    throw new ConfigError(`registerRecSimPolicy: name must be a non-empty string, got ${String(name)}`);
  if (typeof factory !== 'function')
    throw new ConfigError(`registerRecSimPolicy("${name}"): factory must be a function, got ${typeof factory}`);
  if (name in RECSIM_BASELINE_POLICIES)
    throw new ConfigError(`registerRecSimPolicy: "${name}" is a built-in baseline; choose another name.`);
  const existing = registered.get(name);
  if (existing !== undefined && existing !== factory) {
    throw new ConfigError(`registerRecSimPolicy: a different policy is already registered as "${name}".`);
  }
  registered.set(name, factory);
}

/** The baselines and every registered policy, by name. */
export function namedRecSimPolicies(): Record<string, RecSimPolicyFactory> {
  return { ...RECSIM_BASELINE_POLICIES, ...Object.fromEntries(registered) };
}
