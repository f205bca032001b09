import { ConfigError } from './errors.js';
/** The return and length of one finished episode, and where it ended. */
export interface EpisodeStats {
  readonly episodeReturn: number;
  readonly episodeLength: number;
  /** Global index of the env it ran in (worker offset + vector index), when a sampler reported it. */
  readonly envIndex?: number;
  /** The sampler's vector-step count when it ended, when a sampler reported it. */
  readonly endStep?: number;
  /** Per-episode sums of the numeric `info` keys listed in `reporting({ customMetricsFromInfo })`. */
  readonly customMetrics?: Readonly<Record<string, number>>;
}

/**
 * `<key>Mean`, `<key>Min`, `<key>Max` and `<key>Sum` over `episodes` of every custom metric they
 * carry (RLlib's `custom_metrics/<key>_mean|min|max`, camelCased, plus the sum, e.g. cumulative regret).
 */
export function summarizeCustomMetrics(episodes: readonly EpisodeStats[]): Record<string, number> {
  const values = new Map<string, number[]>();
  for (const episode of episodes) {
    for (const [key, value] of Object.entries(episode.customMetrics ?? {})) {
      const list = values.get(key) ?? [];
      list.push(value);
      values.set(key, list);
    }
  }
  const out: Record<string, number> = {};
  for (const [key, list] of values) {
    const sum = list.reduce((a, b) => a + b, 0);
    out[`${key}Mean`] = sum / list.length;
    out[`${key}Min`] = Math.min(...list);
    out[`${key}Max`] = Math.max(...list);
    out[`${key}Sum`] = sum;
  }
  return out;
}

/**
 * Orders episodes by when they ended, then by global env index — the order one worker stepping
 * all the envs would have produced, so results do not depend on how envs are split across
 * workers. Stable for episodes without tags.
 */
export function sortEpisodes<E extends EpisodeStats>(episodes: E[]): E[] {
  return episodes.sort((a, b) => (a.endStep ?? 0) - (b.endStep ?? 0) || (a.envIndex ?? 0) - (b.envIndex ?? 0));
}

/** Episode statistics over the smoothing window (RLlib's `episode_reward_*` keys, camelCased). */
export interface EpisodeSummary {
  /** NaN until the first episode finishes. */
  readonly episodeRewardMean: number;
  readonly episodeRewardMin: number;
  readonly episodeRewardMax: number;
  readonly episodeLenMean: number;
  /** Episodes finished this iteration only. */
  readonly episodesThisIter: number;
}

/** Mean, min and max of a list of episodes; NaN when it is empty. */
export function summarizeEpisodes(episodes: readonly EpisodeStats[], episodesThisIter = episodes.length): EpisodeSummary {
  if (episodes.length === 0) {
    return {
      episodeRewardMean: Number.NaN,
      episodeRewardMin: Number.NaN,
      episodeRewardMax: Number.NaN,
      episodeLenMean: Number.NaN,
      episodesThisIter,
    };
  }
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let lengths = 0;
  for (const e of episodes) {
    sum += e.episodeReturn;
    min = Math.min(min, e.episodeReturn);
    max = Math.max(max, e.episodeReturn);
    lengths += e.episodeLength;
  }
  return {
    episodeRewardMean: sum / episodes.length,
    episodeRewardMin: min,
    episodeRewardMax: max,
    episodeLenMean: lengths / episodes.length,
    episodesThisIter,
  };
}

/**
 * RLlib's smoothing window: every episode finished this iteration, topped up with the most recent
 * older ones until `size` (`metricsNumEpisodesForSmoothing`, default 100) — never truncating the
 * current iteration's episodes.
 */
export class EpisodeMetricsWindow {
  readonly size: number;
  private recent: EpisodeStats[] = [];

  /** A window of `size` ≥ 1 episodes. */
  constructor(size = 100) {
    if (!Number.isInteger(size) || size < 1) throw new ConfigError(`metricsNumEpisodesForSmoothing must be an integer >= 1, got ${size}`);
    this.size = size;
  }

  /** Adds this iteration's finished episodes and summarizes the window. */
  update(newEpisodes: readonly EpisodeStats[]): EpisodeSummary {
    const keepOld = Math.max(0, this.size - newEpisodes.length);
    const window = keepOld > 0 ? [...this.recent.slice(-keepOld), ...newEpisodes] : [...newEpisodes];
    this.recent = window.slice(-this.size);
    return summarizeEpisodes(window, newEpisodes.length);
  }

  /** The episodes currently held (oldest first), for checkpoints. */
  getState(): EpisodeStats[] {
    return [...this.recent];
  }

  /** Restores what `getState` returned. */
  setState(episodes: readonly EpisodeStats[]): void {
    this.recent = episodes.slice(-this.size);
  }
}
