import type { AlgorithmConfig } from '../config/algorithmConfig.js';
import { ConfigError, didYouMean } from '../errors.js';
import type { Algorithm } from './algorithm.js';

/** How an algorithm is found by name (from a config's JSON or a checkpoint). */
export interface AlgorithmRegistration {
  readonly name: string;
  /** A config with the algorithm's defaults. */
  createConfig(): AlgorithmConfig;
  /** Builds the algorithm from a frozen, validated config. */
  createAlgorithm(config: AlgorithmConfig): Algorithm;
}

const algorithms = new Map<string, AlgorithmRegistration>();

/** Registers an algorithm under its name (done by `@loomrl/algorithms` on import). */
export function registerAlgorithm(registration: AlgorithmRegistration): void {
  algorithms.set(registration.name, registration);
}

/** The registration of `name`; an unknown name is a `ConfigError` listing the known ones. */
export function lookupAlgorithm(name: string): AlgorithmRegistration {
  const found = algorithms.get(name);
  if (found === undefined) {
    const known = [...algorithms.keys()].sort();
    throw new ConfigError(
      `Unknown algorithm "${name}".${didYouMean(name, known)} Registered: ${known.join(', ') || '(none — import "@loomrl/algorithms")'}.`,
    );
  }
  return found;
}

/** Rebuilds a config from `toJSON()` output, choosing the class by its `algorithm` field. */
export function configFromJSON(json: Readonly<Record<string, unknown>>): AlgorithmConfig {
  const name = json.algorithm;
  if (typeof name !== 'string') throw new ConfigError(`A config JSON needs an "algorithm" name, got ${JSON.stringify(name)}.`);
  return lookupAlgorithm(name).createConfig().update(json);
}
