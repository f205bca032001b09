import { EnvError } from '@loomrl/core';
import { describeValue } from '@loomrl/core/internal';

/** Reads a physical state given to an env's `state` setter: exactly `length` finite numbers. */
export function readState(envName: string, value: ArrayLike<number>, names: readonly string[]): number[] {
  const values = Array.from(value ?? [], Number);
  if (values.length !== names.length || values.some((v) => !Number.isFinite(v))) {
    throw new EnvError(`${envName}: state must be ${names.length} finite numbers [${names.join(', ')}], got ${describeValue(value)}`);
  }
  return values;
}
