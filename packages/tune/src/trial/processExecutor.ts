import { type ChildProcess, fork } from 'node:child_process';
import { builtFile } from '../builtFile.js';
import type { TrialExecutor, TrialHandle, TrialStart } from './executor.js';
import { TrialFailedError } from './executor.js';
import type { TrialReply, TrialRequest } from './protocol.js';

/** `Omit` applied to each member of a union. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

class ProcessTrial implements TrialHandle {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private exitError: Error | null = null;

  constructor() {
    this.child = fork(builtFile(import.meta.url, './child.js'), [], {
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (reply: TrialReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new TrialFailedError(reply.error));
    });
    this.child.on('exit', (code, signal) => {
      this.exitError = new Error(`the trial process ${this.child.pid} exited (${signal ?? `code ${code}`})`);
      for (const waiting of this.pending.values()) waiting.reject(this.exitError);
      this.pending.clear();
    });
    this.child.on('error', () => undefined);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private request<T>(request: WithoutId<TrialRequest>): Promise<T> {
    if (this.exitError !== null) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...request, id } as TrialRequest);
    });
  }

  start(init: TrialStart): Promise<void> {
    return this.request({ op: 'start', init });
  }

  train(): Promise<Record<string, unknown>> {
    return this.request({ op: 'train' });
  }

  save(dir: string): Promise<string> {
    return this.request({ op: 'save', dir });
  }

  async stop(): Promise<void> {
    if (this.exitError !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.request({ op: 'stop' }).catch(() => undefined);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs every trial in a child process of its own (the default): trials train in parallel, and a crash stays in its trial. */
export const processExecutor: TrialExecutor = () => new ProcessTrial();
