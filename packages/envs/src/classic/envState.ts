import { EnvError, Rng, type RngState } from '@loomrl/core';

/** A classic-control env's whole state as plain data: physics, random stream and env-specific counters. */
export interface ClassicEnvState {
  readonly current: number[] | null;
  readonly rng: RngState | null;
  readonly extra: Readonly<Record<string, number | null>>;
}

/** The plain-data state of an env with physical state `current` and stream `rng`. */
export function captureClassicState(
  current: readonly number[] | undefined,
  rng: Rng | undefined,
  extra: Readonly<Record<string, number | null>> = {},
): ClassicEnvState {
  return { current: current === undefined ? null : [...current], rng: rng?.getState() ?? null, extra: { ...extra } };
}

/** Reads back what `captureClassicState` wrote, checking its shape; a foreign value is an `EnvError` naming the env. */
export function restoreClassicState(
  name: string,
  state: unknown,
  dims: number,
): { current: number[] | undefined; rng: Rng | undefined; extra: Readonly<Record<string, number | null>> } {
  const s = state as Partial<ClassicEnvState> | null;
  const current = s?.current;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    (current === null || (Array.isArray(current) && current.length === dims && current.every(Number.isFinite)));
  if (!ok)
    throw new EnvError(
      `${name}.setState: expected what getState() returned (a state of ${dims} numbers), got ${JSON.stringify(state)?.slice(0, 120)}`,
    );
  return {
    current: current === null ? undefined : [...(current as number[])],
    rng: s.rng ? Rng.fromState(s.rng) : undefined,
    extra: s.extra ?? {},
  };
}
