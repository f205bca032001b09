import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import { LearnerError } from '../errors.js';

/**
 * Data-parallel learner threads: the calling thread and `helpers` worker threads each compute the
 * gradient of one shard of a minibatch; a command goes out and the answers come back through one
 * `SharedArrayBuffer` with `Atomics.wait`/`notify` (a few µs a round; a message per step would cost
 * ~90 µs). The helpers block in `Atomics.wait` between commands, so anything bigger than a command
 * code goes in shared memory the caller set up, or in a message on the helper's port read
 * synchronously with `receiveMessageOnPort` when the command says so.
 */

/** Control block slots (Int32): command generation, command, helpers done, first failed helper + 1. */
const GENERATION = 0;
const COMMAND = 1;
const DONE = 2;
const FAILED = 3;
const CONTROL_SLOTS = 4;
/** The command that ends a helper's loop. */
const STOP = -1;
/** How long the caller waits for a shard before it declares a helper lost (it crashed, or the machine is starved). */
const SHARD_TIMEOUT_MS = 60_000;
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
  /** 0-based helper index; its shard is `index + 1` (shard 0 is the caller's). */
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
 * `serveLearnerThread`), each given `init(index)`. `dispatch` starts a command on every helper,
 * `wait` blocks until all answered and throws a `LearnerError` (`LEARNER_THREAD_FAILED`) for a
 * helper that failed, exited or stopped answering. `close` ends them; the threads never keep the
 * process alive.
 */
export class LearnerThreadPool {
  readonly helpers: number;
  private readonly control: Int32Array;
  private readonly workers: Worker[];
  private readonly ports: MessagePort[];
  private lost: string | null = null;
  private closed = false;
  /** A command was dispatched and not yet waited for. */
  private pending = false;

  private constructor(control: Int32Array, workers: Worker[], ports: MessagePort[]) {
    this.control = control;
    this.workers = workers;
    this.ports = ports;
    this.helpers = workers.length;
    workers.forEach((worker, i) => {
      liveHelpers += 1;
      worker.on('exit', () => {
        liveHelpers -= 1;
      });
      worker.on('error', (error) => {
        this.lost ??= `learner thread ${i + 1} failed: ${error.stack ?? error.message}`;
      });
      worker.on('exit', (code) => {
        if (!this.closed) this.lost ??= `learner thread ${i + 1} exited (code ${code})`;
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
      const worker = new Worker(entry, { workerData: { learnerThread: data }, transferList: [port2], stdout: false, stderr: false });
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

  /** Queues `message` for helper `index`; its handler receives it with the next command. */
  send(index: number, message: unknown): void {
    (this.ports[index] as MessagePort).postMessage(message);
  }

  /** Starts `command` (a non-negative number) on every helper. */
  dispatch(command: number): void {
    // A caller that threw between dispatch and wait left the helpers busy: let them finish first.
    if (this.pending) this.wait();
    this.assertUsable();
    this.pending = true;
    const c = this.control;
    Atomics.store(c, DONE, 0);
    Atomics.store(c, COMMAND, command);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
  }

  /** Blocks until every helper finished the last command; a failure is a `LearnerError`. */
  wait(): void {
    this.pending = false;
    const c = this.control;
    const deadline = performance.now() + SHARD_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done >= this.helpers) break;
      if (performance.now() > deadline) {
        this.lost ??= `a learner thread did not answer within ${SHARD_TIMEOUT_MS / 1000} s (it crashed, or the machine is starved)`;
        throw this.failure();
      }
      if (!spinWhile(c, DONE, done)) Atomics.wait(c, DONE, done, WAIT_SLICE_MS);
    }
    const failed = Atomics.load(c, FAILED);
    if (failed !== 0) {
      const report = receiveMessageOnPort(this.ports[failed - 1] as MessagePort)?.message as { error?: string } | undefined;
      this.lost ??= `learner thread ${failed} failed: ${report?.error ?? 'no report'}`;
      throw this.failure();
    }
  }

  /** Ends the helper threads (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const c = this.control;
    Atomics.store(c, COMMAND, STOP);
    Atomics.add(c, GENERATION, 1);
    Atomics.notify(c, GENERATION);
    for (const port of this.ports) port.close();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  /** Ends helper `index` as a crash would (for tests of the failure path). */
  async crashHelperForTest(index: number): Promise<void> {
    await (this.workers[index] as Worker).terminate();
  }

  private assertUsable(): void {
    if (this.closed)
      throw new LearnerError('the learner threads were closed (the algorithm was stopped)', { code: 'LEARNER_THREAD_FAILED' });
    if (this.lost !== null) throw this.failure();
  }

  private failure(): LearnerError {
    return new LearnerError(`Data-parallel learner (resources({ numLearnerWorkers: ${this.helpers + 1} })): ${this.lost}`, {
      code: 'LEARNER_THREAD_FAILED',
    });
  }
}

/** What a helper's handler gets with each command: the command and the messages queued for it. */
export type LearnerCommandHandler = (command: number, messages: unknown[]) => void;

/**
 * The helper's side, for the entry module of a `LearnerThreadPool`: `setup(init, index)` builds the
 * helper's state (its own kernel and model copy) and returns the handler of commands; then the thread
 * serves commands until the pool closes. A handler's exception is reported to the caller's `wait`.
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
  // A thread that ends mid-command (process.exit in a handler) answers it as failed, so the caller does not wait out the timeout.
  let busy = false;
  process.on('exit', (code) => {
    if (!busy) return;
    if (Atomics.compareExchange(c, FAILED, 0, index + 1) === 0)
      port.postMessage({ error: `the thread exited (code ${code}) during a command` });
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  });
  // Read before announcing readiness: the first command may follow the announcement at once.
  let seen = Atomics.load(c, GENERATION);
  parentPort?.postMessage({ ready: true });
  for (;;) {
    if (!spinWhile(c, GENERATION, seen)) Atomics.wait(c, GENERATION, seen);
    seen = Atomics.load(c, GENERATION);
    const command = Atomics.load(c, COMMAND);
    if (command === STOP) break;
    busy = true;
    try {
      const messages: unknown[] = [];
      for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) messages.push(m.message);
      handler(command, messages);
    } catch (error) {
      if (Atomics.compareExchange(c, FAILED, 0, index + 1) === 0) {
        port.postMessage({ error: describe(error) });
      }
    }
    busy = false;
    Atomics.add(c, DONE, 1);
    Atomics.notify(c, DONE);
  }
  port.close();
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
