import { ConfigError } from '@loomrl/core';
import type { RecoGymEnv } from './env.js';
import type { RecoGymLogRow } from './logs.js';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation, RecoGymOrganicEvent } from './types.js';

/** Options of `trainRecoGymAgentOffline`. */
export interface RecoGymOfflineTrainingOptions {
  /** Users logged by the env's logging policy, fed to `agent.train`. */
  readonly numOfflineUsers: number;
  /** Users before them whose first organic session only is fed (ids from 0). Default 0. */
  readonly numOrganicOfflineUsers?: number;
}

/**
 * The training half of RecoGym's `test_agent`: organic-only users give `train(obs, null, null,
 * true)`; logged users give, for every observation, `train(obs, actionTakenAfterIt, reward, false)`
 * and finally the terminal pseudo-impression `train(lastObs, action, 0, true)`. The actions come
 * from the env's logging policy (`stepOffline`).
 */
export function trainRecoGymAgentOffline(env: RecoGymEnv, agent: RecoGymAgent, options: RecoGymOfflineTrainingOptions): void {
  const numOrganic = options.numOrganicOfflineUsers ?? 0;
  for (const [name, value] of [
    ['numOfflineUsers', options.numOfflineUsers],
    ['numOrganicOfflineUsers', numOrganic],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw new ConfigError(`RecoGym training: ${name} must be an integer >= 0, got ${String(value)}`);
  }
  for (let user = 0; user < numOrganic; user++) {
    env.reset(user);
    agent.train(env.step(null).observation, null, null, true);
  }
  for (let user = numOrganic; user < numOrganic + options.numOfflineUsers; user++) {
    env.reset(user);
    let { observation, reward, done } = env.step(null);
    while (!done) {
      const result = env.stepOffline(observation, reward, done);
      agent.train(observation, result.action, result.reward, false);
      ({ observation, reward, done } = result);
    }
    const terminal = env.stepOffline(observation, reward, true);
    agent.train(observation, terminal.action, 0, true);
  }
}

/**
 * Feeds logged rows to `agent.train` in the same calls as live training (RecoGym's `with_cache`
 * path): each bandit row comes with the organic rows before it as its observation, the last
 * bandit row of a user with done = true, and a user without bandit rows as one organic-only call.
 */
export function replayRecoGymLogs(rows: readonly RecoGymLogRow[], agent: RecoGymAgent): void {
  let index = 0;
  while (index < rows.length) {
    const user = rows[index]?.u ?? 0;
    let end = index;
    let lastBandit = -1;
    while (end < rows.length && rows[end]?.u === user) {
      if (rows[end]?.z === 'bandit') lastBandit = end;
      end++;
    }
    let pending: RecoGymOrganicEvent[] = [];
    let lastTime = 0;
    for (let i = index; i < end; i++) {
      const row = rows[i] as RecoGymLogRow;
      if (row.z === 'organic') {
        pending.push({ t: row.t, u: row.u, z: 'pageview', v: row.v ?? 0 });
        lastTime = row.t;
        continue;
      }
      const observation: RecoGymObservation = { context: { time: row.t, user }, sessions: pending };
      const action: RecoGymAction = { t: row.t, u: user, a: row.a ?? 0, ps: row.ps ?? 0, ...(row.psA ? { psA: row.psA } : {}) };
      agent.train(observation, action, row.c ?? 0, i === lastBandit);
      pending = [];
      lastTime = row.t;
    }
    if (lastBandit < 0) agent.train({ context: { time: lastTime + 1, user }, sessions: pending }, null, null, true);
    index = end;
  }
}
