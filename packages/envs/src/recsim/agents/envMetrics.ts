/**
 * An env's own statistics over a run phase (RecSim's `reset_metrics` / `update_metrics` /
 * `write_metrics` of `RecSimGymEnv`): reset at the start of each train or eval phase, updated
 * with every step's responses, written as named numbers.
 */
export interface EnvMetrics {
  reset(): void;
  /** Adds one step: the response observations of its slate. */
  update(responses: readonly unknown[]): void;
  /** The phase's metrics (RecSim's summary tags); no entries when nothing was recorded. */
  write(): Record<string, number>;
}

/**
 * RecSim's `aggregate_video_cluster_metrics` / `write_video_cluster_metrics` (Interest Evolution
 * and Exploration): `CTR` = clicks per slate (one impression per step, not per document),
 * `AverageQuality` of clicked documents, and per cluster the share of steps whose click went to
 * it (`cluster_watch_count_frac/cluster_<k>`, `…/no_click`). Responses need `click` and
 * `clusterId` (and `quality` for `AverageQuality`). A phase without steps writes nothing (RecSim
 * divides by zero).
 */
export function videoClusterMetrics(): EnvMetrics {
  let impressions = 0;
  let clicks = 0;
  let quality = 0;
  let withQuality = 0;
  let noClick = 0;
  let watched = new Map<number, number>();
  const scalar = (v: unknown): number => (typeof v === 'number' ? v : ((v as ArrayLike<number>)[0] as number));
  return {
    reset() {
      impressions = 0;
      clicks = 0;
      quality = 0;
      withQuality = 0;
      noClick = 0;
      watched = new Map();
    },
    update(responses) {
      impressions += 1;
      let clicked = false;
      for (const raw of responses) {
        const r = raw as { click?: number; quality?: unknown; clusterId?: unknown };
        if (!r.click) continue;
        clicked = true;
        clicks += 1;
        if (r.quality !== undefined) {
          quality += scalar(r.quality);
          withQuality += 1;
        }
        const cluster = scalar(r.clusterId);
        watched.set(cluster, (watched.get(cluster) ?? 0) + 1);
      }
      if (!clicked) noClick += 1;
    },
    write() {
      if (impressions === 0) return {};
      const out: Record<string, number> = { CTR: clicks / impressions };
      if (withQuality > 0) out.AverageQuality = quality / withQuality;
      for (const [k, n] of [...watched.entries()].sort((a, b) => a[0] - b[0]))
        out[`cluster_watch_count_frac/cluster_${k}`] = n / impressions;
      out['cluster_watch_count_frac/no_click'] = noClick / impressions;
      return out;
    },
  };
}

/** Clicks per slate only (`CTR`), for envs whose responses carry a `click` but no clusters (Long Term Satisfaction). */
export function clickMetrics(): EnvMetrics {
  let impressions = 0;
  let clicks = 0;
  return {
    reset() {
      impressions = 0;
      clicks = 0;
    },
    update(responses) {
      impressions += 1;
      for (const r of responses) if ((r as { click?: number }).click) clicks += 1;
    },
    write(): Record<string, number> {
      return impressions === 0 ? {} : { CTR: clicks / impressions };
    },
  };
}
