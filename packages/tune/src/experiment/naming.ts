import { randomUUID } from 'node:crypto';

/** Tune's `TUNE_MAX_LEN_IDENTIFIER`: trial dir names are cut to this length before the date. */
export const MAX_LEN_IDENTIFIER = 130;

/** `%Y-%m-%d_%H-%M-%S` in local time, as Tune stamps experiment and trial dirs. */
export function dateStamp(date: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}_${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
}

/** 5 hex characters of a UUID, shared by every trial of one experiment (Tune's trial-id prefix). */
export function newExperimentPrefix(): string {
  return randomUUID().replace(/-/g, '').slice(0, 5);
}

/** `<prefix>_<5-digit counter>`, e.g. `8d0c2_00000`. */
export function trialIdFor(prefix: string, counter: number): string {
  return `${prefix}_${String(counter).padStart(5, '0')}`;
}

/** `<Trainable>_<env>_<trialId>` (a `/` in the env id becomes `_`), or `<Trainable>_<trialId>` without an env. */
export function trialNameFor(trainable: string, env: unknown, trialId: string): string {
  return typeof env === 'string' && env.length > 0 ? `${trainable}_${env.replace(/\//g, '_')}_${trialId}` : `${trainable}_${trialId}`;
}

/** `<trial name>_<experiment tag>` cut to 130 characters, then `_<date>`, with `/`, `(`, `)` replaced by `_`. */
export function trialDirNameFor(trialName: string, experimentTag: string, date: Date = new Date()): string {
  const identifier = `${trialName}_${experimentTag}`.slice(0, MAX_LEN_IDENTIFIER);
  return `${identifier}_${dateStamp(date)}`.replace(/[/()]/g, '_');
}
