/**
 * The external env, imported by rollout worker threads (it is listed in `envModules`): each
 * instance is one slot through which an application's episode is stepped. `reset()` waits for
 * an episode to start; `step(action)` hands the policy's action to the waiting HTTP request and
 * waits for the application's next observation (or the end of the episode). The thread blocks in
 * `Atomics.wait` meanwhile, receiving messages synchronously (`receiveMessageOnPort`).
 */
import { randomUUID } from 'node:crypto';
import { BroadcastChannel, type MessagePort, receiveMessageOnPort } from 'node:worker_threads';
import {
  type Env,
  type EnvContext,
  EnvError,
  type ResetResult,
  registerEnv,
  type Space,
  type StepResult,
  spaceFromJSON,
} from '@loomrl/core';
import { EXTERNAL_ENV_ID, type ExternalEnvConfig, type InboxMessage, inboxOf, type SlotMessage } from './protocol.js';

const POLL_MS = 50;

class ExternalEnv implements Env<unknown, unknown> {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  private readonly slot: string;
  private readonly hub: BroadcastChannel;
  private readonly inbox: BroadcastChannel;
  private readonly wake = new Int32Array(new SharedArrayBuffer(4));

  constructor(config: ExternalEnvConfig, context: EnvContext) {
    if (typeof config?.channel !== 'string')
      throw new EnvError(`${EXTERNAL_ENV_ID} needs envConfig.channel (it is set by serveExternalEnv).`);
    if (!context.remote) {
      throw new EnvError(
        `${EXTERNAL_ENV_ID} must run in rollout worker threads (numRolloutWorkers >= 1): it blocks while waiting for the application.`,
      );
    }
    this.observationSpace = spaceFromJSON(config.observationSpace);
    this.actionSpace = spaceFromJSON(config.actionSpace);
    this.slot = `w${context.workerIndex}-e${context.vectorIndex}-${randomUUID().slice(0, 8)}`;
    this.inbox = new BroadcastChannel(inboxOf(config.channel, this.slot));
    this.inbox.unref();
    this.hub = new BroadcastChannel(config.channel);
    this.hub.unref();
    this.post({ type: 'slot', slot: this.slot, wake: this.wake.buffer as SharedArrayBuffer });
  }

  private post(message: SlotMessage): void {
    this.hub.postMessage(message);
  }

  private receive<T extends InboxMessage['type']>(type: T): Extract<InboxMessage, { type: T }> {
    for (;;) {
      const seen = Atomics.load(this.wake, 0);
      // Node's receiveMessageOnPort takes a BroadcastChannel too (its typings say MessagePort only).
      const inbox = this.inbox as unknown as MessagePort;
      for (let m = receiveMessageOnPort(inbox); m !== undefined; m = receiveMessageOnPort(inbox)) {
        const message = m.message as InboxMessage;
        if (message.type === 'shutdown') throw new EnvError(`${EXTERNAL_ENV_ID}: the policy server shut down.`);
        if (message.type === type) return message as Extract<InboxMessage, { type: T }>;
      }
      Atomics.wait(this.wake, 0, seen, POLL_MS);
    }
  }

  reset(): ResetResult<unknown> {
    this.post({ type: 'reset', slot: this.slot });
    const { obs, episodeId } = this.receive('episode');
    return { obs, info: { episodeId } };
  }

  step(action: unknown): StepResult<unknown> {
    this.post({ type: 'action', slot: this.slot, action });
    const { obs, reward, terminated, truncated } = this.receive('step');
    return { obs, reward, terminated, truncated, info: {} };
  }

  close(): void {
    this.post({ type: 'closed', slot: this.slot });
    this.inbox.close();
    this.hub.close();
  }
}

registerEnv<ExternalEnvConfig>(EXTERNAL_ENV_ID, (config, context) => new ExternalEnv(config, context));
