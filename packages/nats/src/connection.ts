import { readFile } from 'node:fs/promises';
import { type Authenticator, connect, credsAuthenticator, type NatsConnection, nkeyAuthenticator } from '@nats-io/transport-node';
import { TransportError } from './errors.js';

/** How to reach the NATS servers. */
export interface ConnectOptions {
  readonly servers: string | readonly string[];
  /** A `.creds` file (JWT + nkey seed) or an nkey seed file; `null` = none. */
  readonly credentials: string | null;
  /** The connection's name, as the server's monitoring shows it. */
  readonly name: string;
}

/** The server list as an array. */
export function serverList(servers: string | readonly string[]): string[] {
  return typeof servers === 'string' ? [servers] : [...servers];
}

async function authenticator(path: string): Promise<Authenticator> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TransportError(
      `Cannot read the NATS credentials file "${path}" (rollouts({ remote: { credentials } })): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  if (text.includes('BEGIN NATS USER JWT')) return credsAuthenticator(new TextEncoder().encode(text));
  const seed = text.trim();
  if (/^SU[A-Z2-7]+$/.test(seed)) return nkeyAuthenticator(new TextEncoder().encode(seed));
  throw new TransportError(
    `The NATS credentials file "${path}" holds neither a user JWT (.creds, as nsc writes it) nor a user nkey seed (SU…).`,
  );
}

/**
 * Connects to the first reachable server, then reconnects for ever (JetStream keeps the data
 * across a server restart); a server that cannot be reached at first is a `TransportError`
 * naming the URLs and the reason.
 */
export async function connectNats(options: ConnectOptions): Promise<NatsConnection> {
  const servers = serverList(options.servers);
  const auth = options.credentials === null ? {} : { authenticator: await authenticator(options.credentials) };
  try {
    return await connect({
      servers,
      name: options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      pingInterval: 5_000,
      timeout: 5_000,
      ...auth,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TransportError(`Cannot reach the NATS server at ${servers.join(', ')}: ${reason}`, { cause: error });
  }
}

/** A stable label for a host in messages: `host "name", pid n`. */
export function hostLabel(host: string, pid: number): string {
  return `host "${host}", pid ${pid}`;
}
