import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on this host (bound once, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, host);
  });
}

/** A real `nats-server -js` (Debian's package) with file storage in a temporary directory, on a free port. */
export class NatsServer {
  readonly port: number;
  readonly storeDir: string;
  private process: ChildProcess | null = null;
  private readonly listen: string;
  private readonly extraArgs: readonly string[];

  private constructor(port: number, listen: string, extraArgs: readonly string[], jetStream: boolean) {
    this.port = port;
    this.listen = listen;
    this.extraArgs = jetStream ? ['-js', ...extraArgs] : extraArgs;
    this.storeDir = mkdtempSync(join(tmpdir(), 'loomrl-nats-'));
  }

  /** Starts a server listening on `listen` (default 127.0.0.1), with JetStream unless `jetStream: false`. */
  static async start(options: { listen?: string; args?: readonly string[]; jetStream?: boolean } = {}): Promise<NatsServer> {
    const server = new NatsServer(await freePort(), options.listen ?? '127.0.0.1', options.args ?? [], options.jetStream ?? true);
    await server.run();
    return server;
  }

  /** `nats://127.0.0.1:<port>`. */
  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  private async run(): Promise<void> {
    this.process = spawn('nats-server', ['-a', this.listen, '-p', String(this.port), '-sd', this.storeDir, ...this.extraArgs], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    while (!(await canConnect('127.0.0.1', this.port))) {
      if (Date.now() > deadline) throw new Error(`nats-server did not listen on port ${this.port} within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Kills the server (SIGKILL) and waits for it to exit; its file store stays. */
  async kill(): Promise<void> {
    const child = this.process;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    this.process = null;
  }

  /** Starts the server again on the same port and store. */
  async restart(): Promise<void> {
    await this.kill();
    await this.run();
  }

  /** Kills the server and removes its store. */
  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.storeDir, { recursive: true, force: true });
  }
}
