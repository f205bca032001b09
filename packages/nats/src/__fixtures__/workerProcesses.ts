import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built `loomrl-worker` bin (what users run). */
export const WORKER_BIN = fileURLToPath(new URL('../../dist/bin/loomrlWorker.js', import.meta.url));

/** One `loomrl-worker` child process, its output kept for assertions. */
export class WorkerProcess {
  readonly child: ChildProcess;
  output = '';
  readonly exited: Promise<number | null>;

  constructor(args: readonly string[], options: { netns?: string; bin?: string } = {}) {
    const node = [process.execPath, options.bin ?? WORKER_BIN, ...args];
    const [command, ...rest] = options.netns === undefined ? node : ['ip', 'netns', 'exec', options.netns, ...node];
    this.child = spawn(command as string, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.child.stderr?.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** kill -9. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then waits for it to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/**
 * A process manager's job in miniature: keeps one `loomrl-worker` running, starting a new one
 * whenever the current one dies (as systemd's `Restart=always` or a Kubernetes Deployment would).
 */
export class SupervisedWorker {
  current: WorkerProcess;
  /** Processes started so far (1 + restarts). */
  starts = 1;
  private stopped = false;

  constructor(private readonly start: () => WorkerProcess) {
    this.current = this.watch(start());
  }

  private watch(worker: WorkerProcess): WorkerProcess {
    void worker.exited.then(() => {
      if (this.stopped) return;
      this.starts += 1;
      this.current = this.watch(this.start());
    });
    return worker;
  }

  /** kill -9 of the current process (the supervisor starts another). */
  kill(): Promise<void> {
    return this.current.kill();
  }

  /** Ends supervision and the current process. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.current.stop();
  }
}

/** Starts `count` workers joining `name` at `url`. */
export function startWorkers(count: number, url: string, name: string, extra: readonly string[] = []): WorkerProcess[] {
  return Array.from({ length: count }, (_, i) => new WorkerProcess(workerArgs(url, name, `worker-${i + 1}`, extra)));
}

/** The arguments of a `loomrl-worker` joining `name` at `url`, reporting `host`. */
export function workerArgs(url: string, name: string, host: string, extra: readonly string[] = []): string[] {
  return ['--nats', url, '--name', name, '--host', host, '--log-level', 'WARN', ...extra];
}
