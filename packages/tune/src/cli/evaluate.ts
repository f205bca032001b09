import { appendFile, writeFile } from 'node:fs/promises';
import { loadPolicy } from '../policy/loadedPolicy.js';
import type { CliIo } from './io.js';

/** Options of `loomrl evaluate` (RLlib's `rllib evaluate`). */
export interface EvaluateOptions {
  readonly episodes: number;
  readonly steps: number;
  readonly explore: boolean;
  readonly seed?: number;
  readonly out?: string;
  readonly modules: readonly string[];
}

function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/**
 * Rolls out the checkpoint's policy (greedy unless `explore`) in an env of its config until
 * `episodes` episodes or `steps` steps (0 = no limit on that axis), printing
 * `Episode #i: reward: R` per episode and a mean/min/max line; returns the episode returns.
 */
export async function evaluateCheckpoint(checkpoint: string, options: EvaluateOptions, io: CliIo): Promise<number[]> {
  const policy = await loadPolicy(checkpoint, options.modules);
  io.out(`Restoring algorithm from ${checkpoint}\n`);
  const env = policy.makeEnv();
  if (options.out !== undefined) await writeFile(options.out, '');
  const returns: number[] = [];
  let steps = 0;
  const maxEpisodes = options.episodes > 0 ? options.episodes : Number.POSITIVE_INFINITY;
  const maxSteps = options.steps > 0 ? options.steps : Number.POSITIVE_INFINITY;
  if (maxEpisodes === Number.POSITIVE_INFINITY && maxSteps === Number.POSITIVE_INFINITY) {
    throw new Error('evaluate: --episodes and --steps are both 0; give at least one limit.');
  }
  try {
    while (returns.length < maxEpisodes && steps < maxSteps) {
      const seed = options.seed === undefined ? undefined : options.seed + returns.length;
      let { obs } = env.reset(seed === undefined ? {} : { seed });
      let total = 0;
      let length = 0;
      const record: unknown[] = [];
      for (;;) {
        const action = policy.algorithm.computeSingleAction(obs, { explore: options.explore });
        const step = env.step(action);
        if (options.out !== undefined) {
          record.push(
            plain({ obs, action, next_obs: step.obs, reward: step.reward, terminated: step.terminated, truncated: step.truncated }),
          );
        }
        total += step.reward;
        length += 1;
        steps += 1;
        obs = step.obs;
        if (step.terminated || step.truncated || steps >= maxSteps) break;
      }
      io.out(`Episode #${returns.length}: reward: ${total}\n`);
      if (options.out !== undefined) {
        await appendFile(options.out, `${JSON.stringify({ episode: returns.length, steps: record, return: total, length })}\n`);
      }
      returns.push(total);
    }
  } finally {
    env.close?.();
    await policy.algorithm.stop();
  }
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  io.out(`mean/min/max over ${returns.length} episodes: ${mean} / ${Math.min(...returns)} / ${Math.max(...returns)}\n`);
  return returns;
}
