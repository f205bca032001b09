import { ConfigError } from '@loomrl/core';
import { ctrCredibleInterval } from './betaQuantile.js';
import type { RecoGymEnv } from './env.js';
import type { RecoGymLogRow } from './logs.js';
import { streamRecoGymLogs } from './logs.js';
import { replayRecoGymLogs, trainRecoGymAgentOffline } from './training.js';
import type { RecoGymAgent } from './types.js';

/** Options of `testAgent` (RecoGym's `test_agent` arguments in camelCase, plus our own). */
export interface RecoGymTestOptions {
  /** Logged training users. Default 1000. */
  readonly numOfflineUsers?: number;
  /** Test users the agent acts for. Default 100 (the tutorial passes 1000). */
  readonly numOnlineUsers?: number;
  /** Organic-only training users before them. Default 0. */
  readonly numOrganicOfflineUsers?: number;
  /** Repetitions, summed into one interval. Default 1; more needs an agent factory. */
  readonly numEpochs?: number;
  /** Re-seed the env with seed + epoch before each epoch. Default false (the env's stream just continues). */
  readonly epochWithRandomReset?: boolean;
  /** Count each test user's terminal zero-reward row as RecoGym does. Default true. */
  readonly includeTerminalRows?: boolean;
  /** Re-seed the env's user stream with this seed first (the world stays); omitted = continue the stream. */
  readonly seed?: number;
  /** Train from these logged rows instead of generating training users (RecoGym's `with_cache`). */
  readonly trainingLogs?: readonly RecoGymLogRow[];
}

/** What `testAgent` returns: the posterior median CTR with its 95% interval, and the counts behind it. */
export interface RecoGymTestResult {
  /** Posterior median of Beta(successes + 1, failures + 1). */
  readonly median: number;
  /** Its 0.025 quantile. */
  readonly lower: number;
  /** Its 0.975 quantile. */
  readonly upper: number;
  /** Clicks counted. */
  readonly successes: number;
  /** Non-clicks counted (terminal rows included unless `includeTerminalRows` is false). */
  readonly failures: number;
  /** How many terminal rows the test users produced (counted as failures by default). */
  readonly terminalRows: number;
}

/**
 * RecoGym's evaluation protocol. Per epoch: a fresh agent (from the factory, or the given one)
 * is trained offline on the env's logging policy, then acts, frozen, for `numOnlineUsers` test
 * users (ids restart at 0; the env's stream continues). The CTR of its impressions gives
 * Beta(clicks + 1, non-clicks + 1); the result is its median and 0.025 / 0.975 quantiles.
 */
export function testAgent(
  env: RecoGymEnv,
  agent: RecoGymAgent | (() => RecoGymAgent),
  options: RecoGymTestOptions = {},
): RecoGymTestResult {
  const numEpochs = options.numEpochs ?? 1;
  if (!Number.isInteger(numEpochs) || numEpochs < 1)
    throw new ConfigError(`testAgent: numEpochs must be an integer >= 1, got ${numEpochs}`);
  if (numEpochs > 1 && typeof agent !== 'function') {
    throw new ConfigError('testAgent: numEpochs > 1 needs a fresh agent per epoch; pass a factory () => agent');
  }
  const includeTerminal = options.includeTerminalRows ?? true;
  let successes = 0;
  let failures = 0;
  let terminalRows = 0;
  for (let epoch = 0; epoch < numEpochs; epoch++) {
    if (options.epochWithRandomReset) {
      if (options.seed === undefined) env.resetRandomSeed(epoch);
      else env.reseed(options.seed + epoch);
    } else if (epoch === 0 && options.seed !== undefined) env.reseed(options.seed);
    const learner = typeof agent === 'function' ? agent() : agent;
    if (options.trainingLogs) replayRecoGymLogs(options.trainingLogs, learner);
    else {
      trainRecoGymAgentOffline(env, learner, {
        numOfflineUsers: options.numOfflineUsers ?? 1000,
        numOrganicOfflineUsers: options.numOrganicOfflineUsers ?? 0,
      });
    }
    streamRecoGymLogs(env, { numOfflineUsers: options.numOnlineUsers ?? 100, agent: learner }, (row, terminal) => {
      if (row.z !== 'bandit') return;
      if (terminal) {
        terminalRows++;
        if (!includeTerminal) return;
      }
      if (row.c === 1) successes++;
      else failures++;
    });
  }
  return { ...ctrCredibleInterval(successes, failures), successes, failures, terminalRows };
}
