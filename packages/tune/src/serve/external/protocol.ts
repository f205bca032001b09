import type { SpaceJSON } from '@loomrl/core';

/** The env id of the external env (RLlib's `ExternalEnv`) that rollout workers step. */
export const EXTERNAL_ENV_ID = 'LoomRL/External-v0';

/** `envConfig` of the external env: the hub's channel and the spaces the application's observations and actions live in. */
export interface ExternalEnvConfig {
  readonly channel: string;
  readonly observationSpace: SpaceJSON;
  readonly actionSpace: SpaceJSON;
}

/** Env slot → hub, on the hub's channel. */
export type SlotMessage =
  /** A new env slot; the hub wakes it through `wake` after posting to its inbox. */
  | { readonly type: 'slot'; readonly slot: string; readonly wake: SharedArrayBuffer }
  /** The slot's env is resetting: it waits for an episode's first observation. */
  | { readonly type: 'reset'; readonly slot: string }
  /** The policy's action for the slot's episode; the env now waits for the next observation. */
  | { readonly type: 'action'; readonly slot: string; readonly action: unknown }
  | { readonly type: 'closed'; readonly slot: string };

/** Hub → one env slot, on the slot's inbox channel `<channel>/<slot>`. */
export type InboxMessage =
  | { readonly type: 'episode'; readonly episodeId: string; readonly obs: unknown }
  | { readonly type: 'step'; readonly obs: unknown; readonly reward: number; readonly terminated: boolean; readonly truncated: boolean }
  | { readonly type: 'shutdown' };

/** The inbox channel name of a slot. */
export function inboxOf(channel: string, slot: string): string {
  return `${channel}/${slot}`;
}
