import { describe, expect, it } from 'vitest';
import { EpisodeMetricsWindow, type EpisodeStats, summarizeEpisodes } from './metrics.js';

/** Episodes with returns `returns` and length = 10 × return. */
function episodes(...returns: number[]): EpisodeStats[] {
  return returns.map((r) => ({ episodeReturn: r, episodeLength: 10 * r }));
}

describe('summarizeEpisodes', () => {
  it('gives mean, min, max and mean length', () => {
    expect(summarizeEpisodes(episodes(1, 2, 6))).toEqual({
      episodeRewardMean: 3,
      episodeRewardMin: 1,
      episodeRewardMax: 6,
      episodeLenMean: 30,
      episodesThisIter: 3,
    });
  });

  it('is NaN everywhere but episodesThisIter when there are no episodes', () => {
    const s = summarizeEpisodes([]);
    expect(s.episodeRewardMean).toBeNaN();
    expect(s.episodeRewardMin).toBeNaN();
    expect(s.episodeRewardMax).toBeNaN();
    expect(s.episodeLenMean).toBeNaN();
    expect(s.episodesThisIter).toBe(0);
  });

  it('handles negative returns (min/max are not clamped at 0)', () => {
    const s = summarizeEpisodes(episodes(-5, -1));
    expect(s.episodeRewardMin).toBe(-5);
    expect(s.episodeRewardMax).toBe(-1);
  });
});

describe('EpisodeMetricsWindow', () => {
  it('reports NaN before the first episode finishes', () => {
    const window = new EpisodeMetricsWindow(3);
    const s = window.update([]);
    expect(s.episodeRewardMean).toBeNaN();
    expect(s.episodeLenMean).toBeNaN();
    expect(s.episodesThisIter).toBe(0);
  });

  it('tops this iteration’s episodes up with the most recent older ones until size', () => {
    const window = new EpisodeMetricsWindow(4);
    window.update(episodes(1, 2, 3));
    const s = window.update(episodes(10));
    // size 4: the three older episodes + this iteration's one
    expect(s.episodeRewardMean).toBe((1 + 2 + 3 + 10) / 4);
    expect(s.episodesThisIter).toBe(1);
    const t = window.update(episodes(20, 30));
    // the two most recent older episodes (3, 10) + this iteration's (20, 30)
    expect(t.episodeRewardMean).toBe((3 + 10 + 20 + 30) / 4);
    expect(t.episodeRewardMin).toBe(3);
    expect(t.episodesThisIter).toBe(2);
  });

  it('never truncates the current iteration’s episodes, even beyond size', () => {
    const window = new EpisodeMetricsWindow(2);
    window.update(episodes(100));
    const s = window.update(episodes(1, 2, 3, 4, 5));
    expect(s.episodeRewardMean).toBe(3);
    expect(s.episodeRewardMin).toBe(1);
    expect(s.episodeRewardMax).toBe(5);
    expect(s.episodesThisIter).toBe(5);
    // afterwards only the `size` most recent are kept for topping up
    expect(window.getState()).toEqual(episodes(4, 5));
  });

  it('an iteration without new episodes reports the most recent `size` episodes', () => {
    const window = new EpisodeMetricsWindow(3);
    window.update(episodes(1, 2));
    window.update(episodes(3, 4));
    const s = window.update([]);
    expect(s.episodeRewardMean).toBe(3);
    expect(s.episodesThisIter).toBe(0);
  });

  it('defaults to RLlib’s 100 episodes', () => {
    const window = new EpisodeMetricsWindow();
    expect(window.size).toBe(100);
    window.update(episodes(...Array.from({ length: 150 }, (_, i) => i)));
    const s = window.update(episodes(1000));
    // 99 most recent older ones (51..149) + 1000
    const expected = (Array.from({ length: 99 }, (_, i) => 51 + i).reduce((a, b) => a + b, 0) + 1000) / 100;
    expect(s.episodeRewardMean).toBeCloseTo(expected, 12);
    expect(s.episodeRewardMin).toBe(51);
  });

  it('getState/setState restores the window so the next update matches an uninterrupted run', () => {
    const original = new EpisodeMetricsWindow(3);
    original.update(episodes(1, 2));
    original.update(episodes(3));
    const state = JSON.parse(JSON.stringify(original.getState()));
    const restored = new EpisodeMetricsWindow(3);
    restored.setState(state);
    expect(restored.update(episodes(9))).toEqual(original.update(episodes(9)));
    expect(restored.getState()).toEqual(original.getState());
  });

  it('getState returns a copy and setState keeps only the most recent `size` episodes', () => {
    const window = new EpisodeMetricsWindow(2);
    window.update(episodes(1, 2));
    window.getState().push(...episodes(50));
    expect(window.getState()).toEqual(episodes(1, 2));
    window.setState(episodes(5, 6, 7));
    expect(window.getState()).toEqual(episodes(6, 7));
  });

  it('rejects a size that is not an integer >= 1, naming it', () => {
    expect(() => new EpisodeMetricsWindow(0)).toThrow(/metricsNumEpisodesForSmoothing.*got 0/);
    expect(() => new EpisodeMetricsWindow(2.5)).toThrow(/got 2\.5/);
  });
});
