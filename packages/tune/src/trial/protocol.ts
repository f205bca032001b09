import type { TrialFailure, TrialStart } from './executor.js';

/** A request from the runner to a trial process. */
export type TrialRequest =
  | { readonly id: number; readonly op: 'start'; readonly init: TrialStart }
  | { readonly id: number; readonly op: 'train' }
  | { readonly id: number; readonly op: 'save'; readonly dir: string }
  | { readonly id: number; readonly op: 'stop' };

/** A trial process's answer to request `id`. */
export type TrialReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: TrialFailure };
