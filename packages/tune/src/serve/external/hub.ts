import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import { describeValue } from '@loomrl/core/internal';
import { ServeError } from '../httpError.js';
import { type InboxMessage, inboxOf, type SlotMessage } from './protocol.js';

/** Options of the external-env hub (RLlib's `ExternalEnv` limits, camelCased). */
export interface ExternalHubOptions {
  /** Episodes started and not ended at most (RLlib `max_concurrent`, default 100); more → 429. */
  readonly maxConcurrentEpisodes?: number;
  /** How long `getAction` waits for the policy, ms (default 60 000: the trainer pauses sampling while it learns). */
  readonly actionTimeoutMs?: number;
  /** An episode idle this long is ended as truncated (default 600 s). */
  readonly episodeTimeoutS?: number;
  /** Answers episodes started with `trainingEnabled: false` (they never reach the trainer). */
  readonly inference: (obs: unknown) => unknown;
  /** Episode counters for the metrics. */
  readonly onEpisodeEnd?: (outcome: 'terminated' | 'truncated' | 'timeout') => void;
}

interface Slot {
  readonly id: string;
  readonly inbox: BroadcastChannel;
  readonly wake: Int32Array;
  /** `idle`: the env waits for an episode; `stepping`: it waits for the next observation; `busy`: the policy is acting. */
  state: 'new' | 'idle' | 'stepping' | 'busy';
  episode: Episode | null;
}

interface Waiter {
  resolve(action: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Episode {
  readonly id: string;
  readonly trainingEnabled: boolean;
  slot: Slot | null;
  /** Reward logged since the last action (RLlib attributes it to that action). */
  reward: number;
  firstObs: unknown;
  lastObs: unknown;
  waiter: Waiter | null;
  lastActive: number;
}

const ENDED_MEMORY = 10_000;

/**
 * The server side of the external env (RLlib's `ExternalEnv` + `PolicyServerInput`): episodes
 * started by HTTP clients are bound to env slots in the rollout worker threads as slots free up;
 * `getAction` forwards the observation (with the reward logged since the previous action) and
 * waits for the sampler's action. Episode rules follow RLlib: ids unique, rewards accumulate onto
 * the previous action, no reward logged = 0, each episode driven serially.
 */
export class ExternalEnvHub {
  /** The BroadcastChannel name the env slots talk on (goes into the external env's `envConfig`). */
  readonly channel = `loomrl-external-${randomUUID()}`;
  private readonly hub = new BroadcastChannel(this.channel);
  private readonly slots = new Map<string, Slot>();
  private readonly episodes = new Map<string, Episode>();
  private readonly ended = new Set<string>();
  private readonly queue: Episode[] = [];
  private readonly options: ExternalHubOptions;
  private readonly sweeper: NodeJS.Timeout;
  private closed = false;

  constructor(options: ExternalHubOptions) {
    this.options = options;
    this.hub.onmessage = (event) => this.onSlotMessage((event as { data: SlotMessage }).data);
    this.hub.unref();
    this.sweeper = setInterval(() => this.endIdleEpisodes(), 1000);
    this.sweeper.unref();
  }

  /** Episodes started and not ended. */
  get activeEpisodes(): number {
    return this.episodes.size;
  }

  /** Env slots the rollout workers opened, and how many wait for an episode. */
  get slotStats(): { slots: number; idle: number } {
    return { slots: this.slots.size, idle: [...this.slots.values()].filter((s) => s.state === 'idle').length };
  }

  private send(slot: Slot, message: InboxMessage): void {
    slot.inbox.postMessage(message);
    Atomics.add(slot.wake, 0, 1);
    Atomics.notify(slot.wake, 0);
  }

  private onSlotMessage(message: SlotMessage): void {
    if (message.type === 'slot') {
      const inbox = new BroadcastChannel(inboxOf(this.channel, message.slot));
      inbox.unref();
      this.slots.set(message.slot, {
        id: message.slot,
        inbox,
        wake: new Int32Array(message.wake),
        state: 'new',
        episode: null,
      });
      return;
    }
    const slot = this.slots.get(message.slot);
    if (slot === undefined) return;
    if (message.type === 'closed') {
      slot.inbox.close();
      this.slots.delete(slot.id);
    } else if (message.type === 'reset') {
      slot.state = 'idle';
      if (slot.episode !== null) slot.episode.slot = null;
      slot.episode = null;
      if (!this.closed) this.assignSlots();
    } else {
      slot.state = 'stepping';
      const waiter = slot.episode?.waiter;
      if (slot.episode !== null) slot.episode.waiter = null;
      if (waiter !== undefined && waiter !== null) {
        clearTimeout(waiter.timer);
        waiter.resolve(message.action);
      }
    }
  }

  private assignSlots(): void {
    for (const slot of this.slots.values()) {
      if (this.queue.length === 0) return;
      if (slot.state !== 'idle') continue;
      const episode = this.queue.shift() as Episode;
      slot.episode = episode;
      slot.state = 'busy';
      episode.slot = slot;
      this.send(slot, { type: 'episode', episodeId: episode.id, obs: episode.firstObs });
    }
  }

  private find(id: string): Episode {
    const episode = this.episodes.get(id);
    if (episode !== undefined) return episode;
    if (this.ended.has(id)) throw new ServeError(409, 'EPISODE_ALREADY_ENDED', `Episode ${id} has already completed.`);
    throw new ServeError(404, 'EPISODE_NOT_FOUND', `Episode ${id} not found.`);
  }

  private checkOpen(): void {
    if (this.closed) throw new ServeError(503, 'NOT_READY', 'The server is shutting down.');
  }

  /** RLlib `start_episode`: a new episode id (or `episodeId` when given). */
  startEpisode(episodeId: string | undefined, trainingEnabled: boolean): string {
    this.checkOpen();
    const id = episodeId ?? randomUUID().replace(/-/g, '');
    if (this.episodes.has(id)) throw new ServeError(409, 'EPISODE_ALREADY_STARTED', `Episode ${id} is already started.`);
    if (this.ended.has(id)) throw new ServeError(409, 'EPISODE_ALREADY_ENDED', `Episode ${id} has already completed.`);
    const limit = this.options.maxConcurrentEpisodes ?? 100;
    if (this.episodes.size >= limit) {
      throw new ServeError(429, 'TOO_MANY_EPISODES', `At most ${limit} episodes may be open at once; end one first.`, { retryAfterS: 1 });
    }
    this.episodes.set(id, {
      id,
      trainingEnabled,
      slot: null,
      reward: 0,
      firstObs: null,
      lastObs: null,
      waiter: null,
      lastActive: Date.now(),
    });
    return id;
  }

  /** RLlib `get_action`: the policy's action for `obs` (decoded) in episode `id`. */
  getAction(id: string, obs: unknown): Promise<unknown> {
    this.checkOpen();
    const episode = this.find(id);
    if (episode.waiter !== null)
      throw new ServeError(409, 'EPISODE_BUSY', `Episode ${id} is waiting for an action already: drive each episode serially.`);
    episode.lastActive = Date.now();
    episode.lastObs = obs;
    if (!episode.trainingEnabled) return Promise.resolve(this.options.inference(obs));
    const answer = new Promise<unknown>((resolve, reject) => {
      const timeoutMs = this.options.actionTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        episode.waiter = null;
        reject(
          new ServeError(
            504,
            'ACTION_TIMEOUT',
            `No action for episode ${id} within ${timeoutMs} ms (are enough episodes running to fill the env slots?).`,
          ),
        );
      }, timeoutMs);
      episode.waiter = { resolve, reject, timer };
    });
    if (episode.slot === null) {
      episode.firstObs = obs;
      episode.reward = 0;
      this.queue.push(episode);
      this.assignSlots();
    } else {
      const slot = episode.slot;
      slot.state = 'busy';
      this.send(slot, { type: 'step', obs, reward: episode.reward, terminated: false, truncated: false });
      episode.reward = 0;
    }
    return answer;
  }

  /** RLlib `log_returns`: adds `reward` to the reward of the episode's previous action. */
  logReturns(id: string, reward: number): void {
    this.checkOpen();
    if (typeof reward !== 'number' || !Number.isFinite(reward)) {
      throw new ServeError(422, 'INVALID_REWARD', `reward must be a finite number, got ${describeValue(reward)}.`);
    }
    const episode = this.find(id);
    episode.reward += reward;
    episode.lastActive = Date.now();
  }

  /** RLlib `end_episode`: the final observation; `truncated` marks a cut episode (bootstrapped), else terminal. */
  endEpisode(id: string, obs: unknown, truncated: boolean, outcome?: 'timeout'): void {
    const episode = this.find(id);
    if (episode.waiter !== null)
      throw new ServeError(409, 'EPISODE_BUSY', `Episode ${id} is waiting for an action: end it after the action arrives.`);
    const slot = episode.slot;
    if (slot !== null && slot.state === 'stepping') {
      slot.state = 'busy';
      this.send(slot, { type: 'step', obs, reward: episode.reward, terminated: !truncated, truncated });
    }
    const queued = this.queue.indexOf(episode);
    if (queued >= 0) this.queue.splice(queued, 1);
    this.episodes.delete(id);
    this.ended.add(id);
    if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.values().next().value as string);
    this.options.onEpisodeEnd?.(outcome ?? (truncated ? 'truncated' : 'terminated'));
  }

  private endIdleEpisodes(): void {
    const limit = (this.options.episodeTimeoutS ?? 600) * 1000;
    const now = Date.now();
    for (const episode of [...this.episodes.values()]) {
      if (episode.waiter === null && now - episode.lastActive > limit) this.endEpisode(episode.id, episode.lastObs, true, 'timeout');
    }
  }

  /** Answers every waiting request with 503; further calls get 503 (the env slots end with their threads). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweeper);
    for (const episode of this.episodes.values()) {
      if (episode.waiter === null) continue;
      clearTimeout(episode.waiter.timer);
      episode.waiter.reject(new ServeError(503, 'NOT_READY', 'The server is shutting down.'));
      episode.waiter = null;
    }
  }

  /** Tells any env slot still waiting to stop and releases the channels (after the rollout workers stopped). */
  dispose(): void {
    this.close();
    for (const slot of this.slots.values()) this.send(slot, { type: 'shutdown' });
    for (const slot of this.slots.values()) slot.inbox.close();
    this.hub.close();
  }
}
