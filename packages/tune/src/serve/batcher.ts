/** Computes actions for a batch of decoded observations (one policy version for the whole batch). */
export interface BatchPolicy {
  computeActions(observations: readonly unknown[], explore: boolean): unknown[];
  readonly version: number;
}

interface Waiting {
  readonly obs: unknown;
  resolve(answer: { action: unknown; version: number }): void;
  reject(error: unknown): void;
}

/** Statistics of one flush, for metrics. */
export interface FlushStats {
  readonly size: number;
  readonly seconds: number;
}

/**
 * Coalesces concurrent action requests (Ray Serve's `@serve.batch`): a batch is computed when
 * `maxBatchSize` observations wait or `batchWaitMs` after the first arrived (0 = on the next
 * tick), one queue per `explore` value, and every request gets its own action back.
 */
export class MicroBatcher {
  private readonly queues = new Map<boolean, Waiting[]>();
  private readonly timers = new Map<boolean, NodeJS.Timeout>();
  private readonly policy: () => BatchPolicy;
  private readonly maxBatchSize: number;
  private readonly batchWaitMs: number;
  private readonly onFlush: (stats: FlushStats) => void;
  /** Flushes so far (a test hook and a metric). */
  flushes = 0;

  constructor(policy: () => BatchPolicy, options: { maxBatchSize: number; batchWaitMs: number; onFlush?: (stats: FlushStats) => void }) {
    this.policy = policy;
    this.maxBatchSize = options.maxBatchSize;
    this.batchWaitMs = options.batchWaitMs;
    this.onFlush = options.onFlush ?? (() => undefined);
  }

  /** The action for one observation, computed in the next batch. */
  submit(obs: unknown, explore: boolean): Promise<{ action: unknown; version: number }> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(explore) ?? [];
      this.queues.set(explore, queue);
      queue.push({ obs, resolve, reject });
      if (queue.length >= this.maxBatchSize) this.flush(explore);
      else if (!this.timers.has(explore))
        this.timers.set(
          explore,
          setTimeout(() => this.flush(explore), this.batchWaitMs),
        );
    });
  }

  private flush(explore: boolean): void {
    const timer = this.timers.get(explore);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(explore);
    const queue = this.queues.get(explore) ?? [];
    const batch = queue.splice(0, this.maxBatchSize);
    if (queue.length > 0)
      this.timers.set(
        explore,
        setTimeout(() => this.flush(explore), 0),
      );
    if (batch.length === 0) return;
    this.flushes += 1;
    const started = performance.now();
    try {
      const policy = this.policy();
      const actions = policy.computeActions(
        batch.map((w) => w.obs),
        explore,
      );
      for (let i = 0; i < batch.length; i++) batch[i]?.resolve({ action: actions[i], version: policy.version });
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
    this.onFlush({ size: batch.length, seconds: (performance.now() - started) / 1000 });
  }

  /** Rejects every waiting request (on shutdown). */
  close(error: Error): void {
    for (const [explore, queue] of this.queues) {
      clearTimeout(this.timers.get(explore));
      for (const w of queue.splice(0)) w.reject(error);
    }
    this.timers.clear();
  }
}
