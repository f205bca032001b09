import { execFileSync } from 'node:child_process';

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

/** Whether this process may create network namespaces and veth pairs (root with CAP_NET_ADMIN). */
export function netnsAvailable(): boolean {
  const probe = `lrprobe${process.pid % 100000}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Another host": a network namespace joined to this one by a veth pair — real networking with
 * its own stack, addresses and routes. `cut()` takes the link down (a partition), `restore()` brings it back.
 */
export class HostNamespace {
  readonly name: string;
  /** This side's address, what processes inside reach the host's servers at. */
  readonly hostIp: string;
  private readonly hostLink: string;

  private constructor(index: number) {
    const tag = process.pid % 10000;
    this.name = `loomrl-${tag}-${index}`;
    this.hostLink = `lr${tag}h${index}`;
    const nsLink = `lr${tag}n${index}`;
    const net = `10.${200 + (tag % 50)}.${index}`;
    this.hostIp = `${net}.1`;
    ip('netns', 'add', this.name);
    ip('link', 'add', this.hostLink, 'type', 'veth', 'peer', 'name', nsLink);
    ip('link', 'set', nsLink, 'netns', this.name);
    ip('addr', 'add', `${this.hostIp}/30`, 'dev', this.hostLink);
    ip('link', 'set', this.hostLink, 'up');
    ip('-n', this.name, 'addr', 'add', `${net}.2/30`, 'dev', nsLink);
    ip('-n', this.name, 'link', 'set', nsLink, 'up');
    ip('-n', this.name, 'link', 'set', 'lo', 'up');
  }

  /** A namespace with its veth pair, number `index` (1..250) of this test process. */
  static create(index: number): HostNamespace {
    return new HostNamespace(index);
  }

  /** Partitions the namespace from the host. */
  cut(): void {
    ip('link', 'set', this.hostLink, 'down');
  }

  /** Heals the partition. */
  restore(): void {
    ip('link', 'set', this.hostLink, 'up');
  }

  /** Deletes the namespace (and with it the veth pair). */
  remove(): void {
    try {
      ip('link', 'del', this.hostLink);
    } catch {
      // already gone with the namespace
    }
    try {
      ip('netns', 'del', this.name);
    } catch {
      // already gone
    }
  }
}
