import type { AlgorithmConfigJSON } from '@loomrl/core';

/** What a trial runner starts an algorithm from. */
export interface TrialStart {
  /** The resolved config (`AlgorithmConfig.toJSON()` form). */
  readonly config: AlgorithmConfigJSON;
  /** A checkpoint to restore (resume or retry), or `null` for a fresh start. */
  readonly restoreFrom: string | null;
  /** Modules to import before building (user algorithms or envs registered in them). */
  readonly modules: readonly string[];
}

/** A failure inside a trial, as plain data (it crosses a process boundary). */
export interface TrialFailure {
  readonly name: string;
  readonly code?: string;
  readonly message: string;
  readonly stack?: string;
}

/**
 * One running algorithm that the experiment runner drives one step at a time: in a child process
 * (`processExecutor`, the default: trials run in parallel and a crash stays in its trial) or in
 * this process (`inlineExecutor`).
 */
export interface TrialHandle {
  /** The OS process id running the trial (Tune's `loc`). */
  readonly pid: number;
  /** Builds (and restores) the algorithm. */
  start(init: TrialStart): Promise<void>;
  /** One `await algo.train()`; the result as plain data. */
  train(): Promise<Record<string, unknown>>;
  /** `algo.save(dir)`; returns the checkpoint path. */
  save(dir: string): Promise<string>;
  /** `algo.stop()` and the end of the process or handle; safe to call twice. */
  stop(): Promise<void>;
}

/** Makes trial handles. */
export type TrialExecutor = () => TrialHandle;

/** An error rebuilt from a `TrialFailure`, keeping its name, code and the remote stack. */
export class TrialFailedError extends Error {
  readonly failure: TrialFailure;
  constructor(failure: TrialFailure) {
    super(failure.message);
    this.name = failure.name;
    this.failure = failure;
  }
}

/** The plain-data form of any thrown value. */
export function toFailure(error: unknown): TrialFailure {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(error.stack === undefined ? {} : { stack: error.stack }),
    };
  }
  return { name: 'Error', message: String(error) };
}
