import type { ClickResponse } from './response.js';

/** Turns the responses of one step into the step's reward (RecSim's `reward_aggregator`), from the raw responses. */
export type RewardFunction<R> = (responses: readonly R[]) => number;

/** The number of clicked positions (RecSim's `total_clicks_reward`). */
export function totalClicksReward(responses: readonly ClickResponse[]): number {
  let total = 0;
  for (const r of responses) if (r.clicked) total += 1;
  return total;
}

/** A reward summing `value(response)` over the clicked positions (e.g. engagement or watch time). */
export function clickedSumReward<R extends ClickResponse>(value: (response: R) => number): RewardFunction<R> {
  return (responses) => {
    let total = 0;
    for (const r of responses) if (r.clicked) total += value(r);
    return total;
  };
}
