import { ConfigError } from './errors.js';
/**
 * The value of a piecewise-linear schedule `[[t0, v0], [t1, v1], …]` at timestep `t`: linear
 * between points, constant before the first and after the last (RLlib's `PiecewiseSchedule`).
 */
export function scheduledValue(schedule: ReadonlyArray<readonly [number, number]>, t: number): number {
  const first = schedule[0];
  if (first === undefined) throw new ConfigError('A schedule needs at least one [timestep, value] point');
  if (t <= first[0]) return first[1];
  for (let i = 1; i < schedule.length; i++) {
    const [t1, v1] = schedule[i] as readonly [number, number];
    const [t0, v0] = schedule[i - 1] as readonly [number, number];
    if (t <= t1) return t1 === t0 ? v1 : v0 + ((t - t0) / (t1 - t0)) * (v1 - v0);
  }
  return (schedule.at(-1) as readonly [number, number])[1];
}
