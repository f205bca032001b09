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

/** Starts `count` workers joining `name` at `url`. */
export function startWorkers(count: number, url: string, name: string, extra: readonly string[] = []): WorkerProcess[] {
  return Array.from(
    { length: count },
    (_, i) => new WorkerProcess(['--nats', url, '--name', name, '--host', `worker-${i + 1}`, '--log-level', 'WARN', ...extra]),
  );
}
