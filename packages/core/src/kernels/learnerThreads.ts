import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { LearnerError } from '../errors.js';

/**
 * Data-parallel learner threads: the calling thread and `helpers` worker threads share the work of
 * a command through one `SharedArrayBuffer` with `Atomics.wait`/`notify` (a few µs a round; a
 * message per step would cost ~90 µs). Two kinds of command:
 * - a *broadcast* (`broadcast` + `wait`) runs once on every helper (e.g. "a new train batch");
 * - a *sharded* one (`shard`, `claim`, `complete`, `waitShards`) has a fixed number of shards:
 *   the caller computes shard 0, helpers claim the others one at a time, and the caller claims
 *   any left unclaimed (a helper the OS has not scheduled yet costs a wait of nothing). Which thread
 *   computed a shard does not change its bits, so results depend on the shard count only.
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
/** The next unclaimed shard of a sharded command. */
const NEXT = 4;
/** Shards 1… finished (by anyone). */
const COMPLETED = 5;
/** First failed helper + 1, or 0. */
const FAILED = 6;
const CONTROL_SLOTS = 7;
/** NEXT while no shard may be claimed (a broadcast, or a command being written). */
const CLOSED = 1 << 30;
/** The command that ends a helper's loop. */
const STOP = -1;
/** How long the caller waits for helpers before it declares one lost (it crashed, or the machine is starved). */
const TIMEOUT_MS = 60_000;
const WAIT_SLICE_MS = 1000;
/**
 * Polls of a slot before sleeping on it: waking a sleeping thread costs tens of µs (more on a busy
 * machine), a step's gap between commands is a fraction of a millisecond.
 */
const SPINS = 20_000;

/** Polls `slot` of `c` up to `SPINS` times while it holds `value`; true when it changed. */
function spinWhile(c: Int32Array, slot: number, value: number): boolean {
  for (let i = 0; i < SPINS; i++) if (Atomics.load(c, slot) !== value) return true;
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
  /** A command was started and not yet waited for. */
  private pending: 'broadcast' | 'shards' | null = null;

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
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
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
    this.pending = 'broadcast';
  }

  /** Blocks until every helper ran the broadcast command; a failure is a `LearnerError`. */
  wait(): void {
    this.pending = null;
    this.waitFor(DONE, this.helpers);
  }

  /**
   * Starts sharded `command` with `shards` shards: the caller computes shard 0 now, then `claim`s
   * and `complete`s any shard no helper took, then `waitShards`.
   */
  shard(command: number, shards: number): void {
    this.start(command, shards);
    this.pending = 'shards';
  }

  /** The next unclaimed shard of the current sharded command, or -1 when every shard is taken. */
  claim(): number {
    const shard = Atomics.add(this.control, NEXT, 1);
    return shard < Atomics.load(this.control, SHARDS) ? shard : -1;
  }

  /** Marks a shard the caller claimed as finished. */
  complete(): void {
    Atomics.add(this.control, COMPLETED, 1);
  }

  /** Blocks until shards 1… of the current sharded command are finished; a failure is a `LearnerError`. */
  waitShards(): void {
    this.pending = null;
    this.waitFor(COMPLETED, Atomics.load(this.control, SHARDS) - 1);
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
    // A caller that threw between a command and its wait left helpers busy: let them finish first.
    if (this.pending === 'broadcast') this.wait();
    else if (this.pending === 'shards') this.waitShards();
    if (this.closed)
      throw new LearnerError('the learner threads were closed (the algorithm was stopped)', { code: 'LEARNER_THREAD_FAILED' });
    if (this.lost !== null) throw this.failure();
    this.publish(command, shards);
  }

  /** Writes a command under the sequence lock and wakes the helpers. */
  private publish(command: number, shards: number): void {
    const c = this.control;
    Atomics.add(c, GENERATION, 1);
    Atomics.store(c, NEXT, CLOSED);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, COMPLETED, 0);
    Atomics.store(c, SHARDS, shards);
    Atomics.store(c, COMMAND, command);
    // Shard 0 is the caller's; opening the claims last makes a claim see this command's fields.
    if (shards > 0) Atomics.store(c, NEXT, 1);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
  }

  private waitFor(slot: number, target: number): void {
    const c = this.control;
    const deadline = performance.now() + TIMEOUT_MS;
    for (;;) {
      const value = Atomics.load(c, slot);
      if (value >= target) break;
      if (performance.now() > deadline) {
        this.lost ??= `a learner thread did not answer within ${TIMEOUT_MS / 1000} s (it crashed, or the machine is starved)`;
        throw this.failure();
      }
      if (!spinWhile(c, slot, value)) Atomics.wait(c, slot, value, WAIT_SLICE_MS);
    }
    const failed = Atomics.load(c, FAILED);
    if (failed !== 0) {
      const report = receiveMessageOnPort(this.ports[failed - 1] as MessagePort)?.message as { error?: string } | undefined;
      this.lost ??= `learner thread ${failed} failed: ${report?.error ?? 'no report'}`;
      throw this.failure();
    }
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
 * serves commands until the pool closes. A handler's exception is reported to the caller's wait.
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
  /** What the thread is doing: the slot to count it done in when it ends mid-command. */
  let busy: typeof DONE | typeof COMPLETED | null = null;
  const fail = (error: unknown) => {
    if (Atomics.compareExchange(c, FAILED, 0, index + 1) === 0) port.postMessage({ error: describe(error) });
  };
  const finish = (slot: number) => {
    Atomics.add(c, slot, 1);
    Atomics.notify(c, slot);
  };
  // A thread that ends mid-command (process.exit in a handler) answers it as failed, so the caller does not wait out the timeout.
  process.on('exit', (code) => {
    if (busy === null) return;
    fail(`the thread exited (code ${code}) during a command`);
    finish(busy);
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
    if (Atomics.load(c, GENERATION) !== generation) continue; // rewritten while read: read again
    seen = generation;
    if (command === STOP) break;
    if (shards === 0) {
      busy = DONE;
      try {
        handler(command, -1, messages());
      } catch (error) {
        fail(error);
      }
      busy = null;
      finish(DONE);
      continue;
    }
    // A sharded command: claim shards until none is left. A claim may land in a later sharded command
    // than the one read above (this thread was descheduled): the claim, and the command, are then that one's.
    for (let shard = Atomics.add(c, NEXT, 1); shard < Atomics.load(c, SHARDS); shard = Atomics.add(c, NEXT, 1)) {
      busy = COMPLETED;
      try {
        handler(Atomics.load(c, COMMAND), shard, messages());
      } catch (error) {
        fail(error);
      }
      busy = null;
      finish(COMPLETED);
    }
  }
  port.close();
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
