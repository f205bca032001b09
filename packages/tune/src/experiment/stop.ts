import { createLogger } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';
import { TuneError } from '../errors.js';
import { type FlatResult, resultKeyFromRLlib } from './flatten.js';

/** A stop rule object (Tune's `Stopper`): per trial, and for the whole experiment. */
export interface Stopper {
  /** True to stop this trial after this result (sees the nested result). */
  shouldStop(trialId: string, result: Readonly<Record<string, unknown>>): boolean;
  /** True to stop every trial (checked after each result). */
  stopAll?(): boolean;
}

/**
 * When trials stop: a record of thresholds on (flattened, `/`-joined) result keys — the trial
 * stops when any value is `>=` its threshold; RLlib's snake_case keys are accepted — a predicate
 * `(trialId, result) => boolean`, or a `Stopper`.
 */
export type StopCriteria =
  | Readonly<Record<string, number>>
  | ((trialId: string, result: Readonly<Record<string, unknown>>) => boolean)
  | Stopper;

/** The checked form of `StopCriteria`. */
export interface StopRule {
  /** Why this trial should stop after `result`, or `null` to go on. */
  check(trialId: string, nested: Readonly<Record<string, unknown>>, flat: FlatResult): string | null;
  /** True when the experiment as a whole should stop. */
  stopAll(): boolean;
  /** The threshold record (for the experiment state and the report), when the criteria were one. */
  readonly thresholds: Readonly<Record<string, number>> | null;
}

/** Builds the stop rule; a threshold that is not a finite number is a `TuneError` naming the key. */
export function createStopRule(criteria: StopCriteria | undefined): StopRule {
  if (criteria === undefined) return { check: () => null, stopAll: () => false, thresholds: null };
  if (typeof criteria === 'function') {
    return { check: (id, nested) => (criteria(id, nested) ? 'stop function' : null), stopAll: () => false, thresholds: null };
  }
  if (typeof (criteria as Stopper).shouldStop === 'function') {
    const stopper = criteria as Stopper;
    return {
      check: (id, nested) => (stopper.shouldStop(id, nested) ? 'stopper' : null),
      stopAll: () => stopper.stopAll?.() ?? false,
      thresholds: null,
    };
  }
  const thresholds: Record<string, number> = {};
  for (const [key, value] of Object.entries(criteria)) {
    if (typeof value === 'object' && value !== null) {
      throw new TuneError(`stop: "${key}" holds an object; nested criteria are flattened — write "${key}/<inner key>": value.`);
    }
    if (typeof value !== 'number' || Number.isNaN(value))
      throw new TuneError(`stop: "${key}" expected a number, got ${describeValue(value)}.`);
    thresholds[resultKeyFromRLlib(key)] = value;
  }
  const warned = new Set<string>();
  const logger = createLogger('WARN', { component: 'tune' });
  return {
    thresholds,
    stopAll: () => false,
    check(_id, _nested, flat) {
      if (flat.done === true) return 'done';
      for (const [key, threshold] of Object.entries(thresholds)) {
        const value = flat[key];
        if (value === undefined) {
          if (!warned.has(key)) {
            warned.add(key);
            logger.warn(
              { key, keys: Object.keys(flat).slice(0, 40) },
              `Stopping criterion "${key}" is not in the result; it counts as not met.`,
            );
          }
          continue;
        }
        // NaN >= x is false: a NaN metric never stops a trial.
        if (typeof value === 'number' && value >= threshold) return `${key} >= ${threshold}`;
      }
      return null;
    },
  };
}
