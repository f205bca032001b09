import type { WeightsMessage } from './thread/protocol.js';

/**
 * The newest weights in one `SharedArrayBuffer`: a broadcast writes them once and posts the same
 * buffer to every worker, which copies them into its module. Callers await every worker's
 * `setWeights` before the next broadcast, so a worker never reads a half-written buffer.
 */
export class WeightBroadcast {
  private shared: SharedArrayBuffer | null = null;
  private latest: Float32Array | null = null;
  private latestVersion = -1;

  /** Stores `weights` of `version` and returns the message every healthy worker gets. */
  publish(weights: Float32Array, version: number): WeightsMessage {
    if (this.shared === null || this.shared.byteLength !== weights.byteLength) {
      this.shared = new SharedArrayBuffer(weights.byteLength);
    }
    new Float32Array(this.shared).set(weights);
    this.latest = weights.slice();
    this.latestVersion = version;
    return { buffer: this.shared, length: weights.length, version };
  }

  /** The newest version published (-1 before the first). */
  get version(): number {
    return this.latestVersion;
  }

  /** A private copy of the newest weights for one (re)started worker, transferred to it; null before the first publish. */
  copyForOne(): WeightsMessage | null {
    if (this.latest === null) return null;
    const copy = this.latest.slice();
    return { buffer: copy.buffer as ArrayBuffer, length: copy.length, version: this.latestVersion };
  }
}
