import { ConfigError } from '@loomrl/core';
/**
 * Splits `duration` episodes or timesteps across `numWorkers` workers as evenly as possible, the
 * first workers taking one more; workers with a zero share are left out (RLlib's eval split).
 */
export function splitDuration(duration: number, numWorkers: number): number[] {
  if (!Number.isInteger(duration) || duration < 0) throw new ConfigError(`evaluation duration must be an integer >= 0, got ${duration}`);
  if (!Number.isInteger(numWorkers) || numWorkers < 1) throw new ConfigError(`numWorkers must be an integer >= 1, got ${numWorkers}`);
  const base = Math.floor(duration / numWorkers);
  const extra = duration % numWorkers;
  return Array.from({ length: numWorkers }, (_, i) => base + (i < extra ? 1 : 0));
}
