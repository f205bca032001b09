import { ConfigError } from '@loomrl/core';
import type { RecoGymEnv } from './env.js';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from './types.js';

/**
 * One row of RecoGym's log table. Organic rows have `v` (the viewed product) and null `a, c, ps`;
 * bandit rows have the action `a`, the click `c` (0/1) and the propensity `ps`, and null `v`.
 * `psA` is the full propensity vector when the policy gave one.
 */
export interface RecoGymLogRow {
  readonly t: number;
  readonly u: number;
  readonly z: 'organic' | 'bandit';
  readonly v: number | null;
  readonly a: number | null;
  readonly c: number | null;
  readonly ps: number | null;
  readonly psA: readonly number[] | null;
}

/** Options of `generateLogs`. */
export interface RecoGymLogOptions {
  /** Users whose impressions are chosen by the logging policy. */
  readonly numOfflineUsers: number;
  /** The logging policy; omitted = the env's own (its `loggingAgent`, else uniform). */
  readonly agent?: RecoGymAgent | null;
  /** Users logged before them with only their first organic session (ids from 0). Default 0. */
  readonly numOrganicOfflineUsers?: number;
}

/** Receives log rows as they are generated; `terminal` marks each user's closing pseudo-impression. */
export type RecoGymLogSink = (row: RecoGymLogRow, terminal: boolean) => void;

function checkCount(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(`RecoGym logs: ${name} must be an integer >= 0, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function writeOrganic(observation: RecoGymObservation, sink: RecoGymLogSink): void {
  for (const e of observation.sessions) sink({ t: e.t, u: e.u, z: 'organic', v: e.v, a: null, c: null, ps: null, psA: null }, false);
}

function banditRow(action: RecoGymAction, click: number): RecoGymLogRow {
  return { t: action.t, u: action.u, z: 'bandit', v: null, a: action.a, c: click, ps: action.ps, psA: action.psA ?? null };
}

/**
 * Runs RecoGym's logging protocol and hands every row to `sink`: organic-only users first (their
 * first session only), then logged users, each closed by one terminal bandit row with c = 0 whose
 * action is still drawn from the policy. With `agent` given it is attached to the env as the
 * logging policy for the run (and reset per user), then detached.
 */
export function streamRecoGymLogs(env: RecoGymEnv, options: RecoGymLogOptions, sink: RecoGymLogSink): void {
  const numOffline = checkCount('numOfflineUsers', options.numOfflineUsers);
  const numOrganic = checkCount('numOrganicOfflineUsers', options.numOrganicOfflineUsers ?? 0);
  const previous = env.loggingAgent;
  if (options.agent !== undefined) env.loggingAgent = options.agent;
  try {
    for (let user = 0; user < numOrganic; user++) {
      env.reset(user);
      writeOrganic(env.step(null).observation, sink);
    }
    for (let user = numOrganic; user < numOrganic + numOffline; user++) {
      env.reset(user);
      let { observation, reward, done } = env.step(null);
      while (!done) {
        writeOrganic(observation, sink);
        const result = env.stepOffline(observation, reward, done);
        if (result.action !== null) sink(banditRow(result.action, result.reward ?? 0), false);
        ({ observation, reward, done } = result);
      }
      writeOrganic(observation, sink);
      const terminal = env.stepOffline(observation, reward, true);
      if (terminal.action !== null) sink(banditRow(terminal.action, 0), true);
    }
  } finally {
    env.loggingAgent = previous;
  }
}

/** RecoGym's `generate_logs`: the rows of `streamRecoGymLogs` as an in-memory table. */
export function generateLogs(env: RecoGymEnv, options: RecoGymLogOptions): RecoGymLogRow[] {
  const rows: RecoGymLogRow[] = [];
  streamRecoGymLogs(env, options, (row) => rows.push(row));
  return rows;
}
