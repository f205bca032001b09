import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { LearnerError } from '../errors.js';

/**
 * Data-parallel learner threads: the calling thread and `helpers` worker threads share the work of
 * a command through one `SharedArrayBuffer` with `Atomics.wait`/`notify` (a few µs a round; a
 * message per step would cost ~90 µs). Two kinds of command:
 * - a *broadcast* (`broadcast` + `wait`) runs once on every helper (e.g. "a new train batch");
 * - a *sharded* one (`shard`, `takeShard`, `finishShards`) has a fixed number of shards: the caller
 *   computes shard 0, helpers claim the others, and the caller takes each finished one in order —
 *   or computes it itself when no helper claimed it, or when its helper has not finished within
 *   as long again as the caller's own shard took (the OS descheduled it: our machines are shared).
 *   Which thread computed a shard does not change its bits, so results depend on the shard count only.
 * Helpers block in `Atomics.wait` between commands, so anything bigger than a command code goes in
 * shared memory the caller set up, or in a message on the helper's port that the helper reads
 * synchronously (`receiveMessageOnPort`) before it handles the next command.
 */

/** Control block slots (Int32). GENERATION is odd while the caller writes a command (a sequence lock). */
const GENERATION = 0;
const COMMAND = 1;
/** 0 = broadcast, else the shard count of a sharded command. */
const SHARDS = 2;
/** Helpers done with the broadcast. */
const DONE = 3;
/** The sharded command's tag (a counter); shard states carry it so a late helper's claims fail. */
const TAG = 4;
/** First failed helper + 1, or 0. */
const FAILED = 5;
/** Shard `k`'s state at `STATES + k`: `tag << 8 | code`, code 0 open, 1 the caller's, 2 + h claimed by helper h, 128 + h done by helper h. */
const STATES = 6;
const OPEN = 0;
const CALLER = 1;
const CLAIMED = 2;
const FINISHED = 128;
const TAG_MASK = 0x3fffff;
/** The command that ends a helper's loop. */
const STOP = -1;
/** How long the caller waits for a broadcast before it declares a helper lost (it crashed, or the machine is starved). */
const TIMEOUT_MS = 60_000;
const WAIT_SLICE_MS = 1000;
/** How long the caller waits for a claimed shard before computing it itself: this × its own shard's time, at least MIN_PATIENCE_MS. */
const PATIENCE = 1;
const MIN_PATIENCE_MS = 0.05;
/**
 * Polls of a slot before sleeping on it: waking a sleeping thread costs tens of µs (more on a busy
 * machine), a step's gap between commands is a fraction of a millisecond.
 */
const SPINS = 20_000;

/** Polls `slot` of `c` up to `spins` times while it holds `value`; true when it changed. */
function spinWhile(c: Int32Array, slot: number, value: number, spins = SPINS): boolean {
  for (let i = 0; i < spins; i++) if (Atomics.load(c, slot) !== value) return true;
  return false;
}

/** What a helper thread finds under `workerData.learnerThread`. */
interface HelperData {
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
  /** 0-based helper index. */
  readonly index: number;
  readonly init: unknown;
}

let liveHelpers = 0;

/** How many learner helper threads of this process are running (0 once every pool is closed). */
export function liveLearnerThreads(): number {
  return liveHelpers;
}

/** Rows `[start, start + count)` of shard `shard` of `rows` rows split into `shards` contiguous shards (the first `rows mod shards` get one more). */
export function shardBounds(rows: number, shards: number, shard: number): { start: number; count: number } {
  const base = Math.floor(rows / shards);
  const extra = rows % shards;
  return { start: shard * base + Math.min(shard, extra), count: base + (shard < extra ? 1 : 0) };
}

/**
 * The caller's side: `helpers` worker threads running `entry` (a module that calls
 * `serveLearnerThread`), each given `init(index)`. A helper that failed, exited or stopped answering
 * is a `LearnerError` (`LEARNER_THREAD_FAILED`) from the next wait or command. `close` ends them;
 * the threads never keep the process alive.
 */
export class LearnerThreadPool {
  readonly helpers: number;
  private readonly control: Int32Array;
  private readonly workers: Worker[];
  private readonly ports: MessagePort[];
  private lost: string | null = null;
  private closed = false;
  /** A broadcast was started and not yet waited for. */
  private pending = false;
  /** The current sharded command's tag and start time. */
  private tag = 0;
  private shardStarted = 0;

  private constructor(control: Int32Array, workers: Worker[], ports: MessagePort[]) {
    this.control = control;
    this.workers = workers;
    this.ports = ports;
    this.helpers = workers.length;
    workers.forEach((worker, i) => {
      liveHelpers += 1;
      worker.on('exit', (code) => {
        liveHelpers -= 1;
        if (!this.closed) this.lost ??= `learner thread ${i + 1} exited (code ${code})`;
      });
      worker.on('error', (error) => {
        this.lost ??= `learner thread ${i + 1} failed: ${error.stack ?? error.message}`;
      });
    });
  }

  /** Starts `helpers` threads on `entry` and resolves once each has set itself up. */
  static async start(entry: URL, helpers: number, init: (index: number) => unknown): Promise<LearnerThreadPool> {
    const control = new Int32Array(new SharedArrayBuffer((STATES + helpers + 1) * 4));
    const workers: Worker[] = [];
    const ports: MessagePort[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 0; index < helpers; index++) {
      const { port1, port2 } = new MessageChannel();
      const data: HelperData = { control: control.buffer as SharedArrayBuffer, port: port2, index, init: init(index) };
      const worker = new Worker(entry, { workerData: { learnerThread: data }, transferList: [port2] });
      workers.push(worker);
      ports.push(port1);
      ready.push(
        new Promise<void>((resolve, reject) => {
          const fail = (why: string, cause?: unknown) =>
            reject(new LearnerError(`learner thread ${index + 1} did not start: ${why}`, { cause, code: 'LEARNER_THREAD_FAILED' }));
          worker.once('error', (error) => fail(error.message, error));
          worker.once('exit', (code) => fail(`it exited with code ${code}`));
          worker.once('message', (message: { ready?: true; error?: string }) => {
            if (message.ready === true) resolve();
            else fail(message.error ?? 'no report');
          });
        }),
      );
    }
    const pool = new LearnerThreadPool(control, workers, ports);
    try {
      await Promise.all(ready);
    } catch (error) {
      await pool.close();
      throw error;
    }
    for (const worker of workers) worker.unref();
    return pool;
  }

  /** Queues `message` for helper `index`; it is read before the helper handles its next command. */
  send(index: number, message: unknown): void {
    (this.ports[index] as MessagePort).postMessage(message);
  }

  /** Starts `command` (a number >= 0) once on every helper; `wait` blocks until all have run it. */
  broadcast(command: number): void {
    this.start(command, 0);
    this.pending = true;
  }

  /** Blocks until every helper ran the broadcast command; a failure is a `LearnerError`. */
  wait(): void {
    this.pending = false;
    const c = this.control;
    const deadline = performance.now() + TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= this.helpers) break;
      if (performance.now() > deadline) {
        this.lost ??= `a learner thread did not answer within ${TIMEOUT_MS / 1000} s (it crashed, or the machine is starved)`;
        throw this.failure();
      }
      if (!spinWhile(c, DONE, done)) Atomics.wait(c, DONE, done, WAIT_SLICE_MS);
    }
    this.throwIfFailed();
  }

  /**
   * Starts sharded `command` with `shards` (at most helpers + 1) shards: the caller computes shard 0
   * now, then `takeShard(1)`, `takeShard(2)`, …, then `finishShards`.
   */
  shard(command: number, shards: number): void {
    if (shards > this.helpers + 1) throw new RangeError(`LearnerThreadPool.shard: ${shards} shards for ${this.helpers} helpers`);
    this.start(command, shards);
    this.shardStarted = performance.now();
  }

  /**
   * Shard `k` of the current sharded command: the index of the helper whose result holds it, or -1
   * when the caller must compute it (no helper claimed it, or its helper is late; that helper's
   * result is then discarded).
   */
  takeShard(k: number): number {
    const c = this.control;
    const slot = STATES + k;
    const base = this.tag << 8;
    if (Atomics.compareExchange(c, slot, base | OPEN, base | CALLER) === (base | OPEN)) return -1;
    const deadline = performance.now() + Math.max(MIN_PATIENCE_MS, PATIENCE * (performance.now() - this.shardStarted));
    for (;;) {
      const state = Atomics.load(c, slot);
      if ((state & 0xff) >= FINISHED) return (state & 0xff) - FINISHED;
      if (Atomics.load(c, FAILED) !== 0) this.throwIfFailed();
      const left = deadline - performance.now();
      if (left <= 0) {
        if (Atomics.compareExchange(c, slot, state, base | CALLER) === state) return -1;
        continue; // it finished meanwhile
      }
      // Sleep rather than spin: on a busy machine the helper may be waiting for this very core.
      if (!spinWhile(c, slot, state, 1000)) Atomics.wait(c, slot, state, left);
    }
  }

  /** Ends the current sharded command; a helper's failure during it is a `LearnerError`. */
  finishShards(): void {
    this.throwIfFailed();
  }

  /** Ends the helper threads (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.publish(STOP, 0);
    for (const port of this.ports) port.close();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Ends helper `index` as a crash would (for tests of the failure path). */
  async crashHelperForTest(index: number): Promise<void> {
    await (this.workers[index] as Worker).terminate();
  }

  private start(command: number, shards: number): void {
    // A caller that threw between a broadcast and its wait left helpers busy: let them finish first.
    if (this.pending) this.wait();
    if (this.closed)
      throw new LearnerError('the learner threads were closed (the algorithm was stopped)', { code: 'LEARNER_THREAD_FAILED' });
    if (this.lost !== null) throw this.failure();
    // A helper that failed on a shard the caller took over is reported with the next command.
    this.throwIfFailed();
    this.publish(command, shards);
  }

  /** Writes a command under the sequence lock and wakes the helpers. */
  private publish(command: number, shards: number): void {
    const c = this.control;
    Atomics.add(c, GENERATION, 1);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, SHARDS, shards);
    Atomics.store(c, COMMAND, command);
    if (shards > 0) {
      this.tag = (this.tag + 1) & TAG_MASK;
      Atomics.store(c, TAG, this.tag);
      // Shard 0 is the caller's; the others open under the new tag (a late helper's claims under an old one fail).
      Atomics.store(c, STATES, (this.tag << 8) | CALLER);
      for (let k = 1; k < shards; k++) Atomics.store(c, STATES + k, (this.tag << 8) | OPEN);
    }
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
  }

  private throwIfFailed(): void {
    const failed = Atomics.load(this.control, FAILED);
    if (failed === 0) return;
    const report = receiveMessageOnPort(this.ports[failed - 1] as MessagePort)?.message as { error?: string } | undefined;
    this.lost ??= `learner thread ${failed} failed: ${report?.error ?? 'no report'}`;
    throw this.failure();
  }

  private failure(): LearnerError {
    return new LearnerError(`Data-parallel learner (resources({ numLearnerWorkers: ${this.helpers + 1} })): ${this.lost}`, {
      code: 'LEARNER_THREAD_FAILED',
    });
  }
}

/**
 * A helper's handler: runs `command` — for a broadcast with `shard` = -1, for a sharded command once
 * per shard it claimed — with the messages received since the last call.
 */
export type LearnerCommandHandler = (command: number, shard: number, messages: unknown[]) => void;

/**
 * The helper's side, for the entry module of a `LearnerThreadPool`: `setup(init, index)` builds the
 * helper's state (its own kernel and model copy) and returns the command handler; then the thread
 * serves commands until the pool closes. A handler's exception is reported to the caller.
 */
export function serveLearnerThread(setup: (init: unknown, index: number) => LearnerCommandHandler): void {
  const data = (workerData as { learnerThread?: HelperData } | null)?.learnerThread;
  if (data === undefined) throw new Error('serveLearnerThread: not started by a LearnerThreadPool');
  const { port, index } = data;
  const c = new Int32Array(data.control);
  let handler: LearnerCommandHandler;
  try {
    handler = setup(data.init, index);
  } catch (error) {
    parentPort?.postMessage({ error: describe(error) });
    return;
  }
  let inBroadcast = false;
  let inShard = false;
  const fail = (error: unknown) => {
    if (Atomics.compareExchange(c, FAILED, 0, index + 1) === 0) port.postMessage({ error: describe(error) });
  };
  const answerBroadcast = () => {
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  };
  // A thread that ends mid-command (process.exit in a handler) reports it, so the caller need not time out.
  process.on('exit', (code) => {
    if (!inBroadcast && !inShard) return;
    fail(`the thread exited (code ${code}) during a command`);
    if (inBroadcast) answerBroadcast();
  });
  const messages = () => {
    const received: unknown[] = [];
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) received.push(m.message);
    return received;
  };
  // Read before announcing readiness: the first command may follow the announcement at once.
  let seen = Atomics.load(c, GENERATION);
  parentPort?.postMessage({ ready: true });
  for (;;) {
    let generation = Atomics.load(c, GENERATION);
    while (generation === seen || generation % 2 === 1) {
      if (!spinWhile(c, GENERATION, generation)) Atomics.wait(c, GENERATION, generation);
      generation = Atomics.load(c, GENERATION);
    }
    const command = Atomics.load(c, COMMAND);
    const shards = Atomics.load(c, SHARDS);
    const tag = Atomics.load(c, TAG);
    if (Atomics.load(c, GENERATION) !== generation) continue; // rewritten while read: read again
    seen = generation;
    if (command === STOP) break;
    if (shards === 0) {
      inBroadcast = true;
      try {
        handler(command, -1, messages());
      } catch (error) {
        fail(error);
      }
      inBroadcast = false;
      answerBroadcast();
      continue;
    }
    // Claim open shards, starting from this helper's own (index + 1); a claim under an old tag fails.
    const base = tag << 8;
    for (let i = 0; i < shards - 1; i++) {
      const k = 1 + ((index + i) % (shards - 1));
      const claimed = base | (CLAIMED + index);
      if (Atomics.compareExchange(c, STATES + k, base | OPEN, claimed) !== (base | OPEN)) continue;
      inShard = true;
      try {
        handler(command, k, messages());
      } catch (error) {
        fail(error);
      }
      inShard = false;
      // Fails when the caller took the shard over meanwhile: this result is then not used.
      Atomics.compareExchange(c, STATES + k, claimed, base | (FINISHED + index));
      Atomics.notify(c, STATES + k);
    }
  }
  port.close();
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
