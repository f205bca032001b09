import type { FlatResult } from '../experiment/flatten.js';

/** What a scheduler decides after a result (Tune's `TrialScheduler.CONTINUE` / `STOP`). */
export type SchedulerDecision = 'CONTINUE' | 'STOP';

/** Decides after every result whether a trial goes on; its state is plain data so a resumed run continues it. */
export interface TrialScheduler {
  /** `'FIFO'`, `'AsyncHyperBand'`. */
  readonly name: string;
  /** Metric and mode it ranks by, when it has them (the runner fills them in from the run's when absent). */
  readonly metric?: string | undefined;
  readonly mode?: 'min' | 'max' | undefined;
  /** Called once before the first result, with the run's metric and mode. */
  setDefaults(metric: string | undefined, mode: 'min' | 'max' | undefined): void;
  onResult(trialId: string, result: FlatResult): SchedulerDecision;
  /** A line for the progress output, e.g. `Using AsyncHyperBand: num_stopped=2`. */
  describe(): string;
  getState(): Record<string, unknown>;
  setState(state: Record<string, unknown>): void;
}

/** Runs trials in creation order and never stops one early (Tune's default). */
export class FIFOScheduler implements TrialScheduler {
  readonly name = 'FIFO';
  setDefaults(): void {}
  onResult(): SchedulerDecision {
    return 'CONTINUE';
  }
  describe(): string {
    return 'Using FIFO scheduling algorithm.';
  }
  getState(): Record<string, unknown> {
    return {};
  }
  setState(): void {}
}
