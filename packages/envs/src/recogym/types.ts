/** One organic page view: at time `t`, user `u` viewed product `v` (RecoGym's `{t, u, z: 'pageview', v}`). */
export interface RecoGymOrganicEvent {
  readonly t: number;
  readonly u: number;
  readonly z: 'pageview';
  readonly v: number;
}

/** Where and when an observation was made: the user's clock after the step, and the user id. */
export interface RecoGymContext {
  readonly time: number;
  readonly user: number;
}

/**
 * What RecoGym shows after a step: the context and the organic events generated **during this
 * step only** (empty when the user stayed in the bandit state). Agents keep any history themselves.
 */
export interface RecoGymObservation {
  readonly context: RecoGymContext;
  readonly sessions: readonly RecoGymOrganicEvent[];
}

/**
 * An action with its propensity (RecoGym's action dict `{t, u, a, ps, ps-a}`): product `a`
 * recommended at time `t` to user `u` with probability `ps`; `psA` is the full propensity vector
 * when the policy gives it.
 */
export interface RecoGymAction {
  readonly t: number;
  readonly u: number;
  readonly a: number;
  readonly ps: number;
  readonly psA?: readonly number[];
}

/** What `RecoGymEnv.step` returns; `reward` is `null` on the first step of a user (no impression yet). */
export interface RecoGymStepResult {
  readonly observation: RecoGymObservation;
  readonly reward: 0 | 1 | null;
  readonly done: boolean;
  readonly info: Readonly<Record<string, unknown>>;
}

/** What `RecoGymEnv.stepOffline` returns: the logging policy's action (null on a user's first step) and the step. */
export interface RecoGymOfflineStepResult extends RecoGymStepResult {
  readonly action: RecoGymAction | null;
}

/**
 * RecoGym's agent interface. `act` gets the latest observation (new events only), the reward of
 * the previous impression (`null` at a user's first bandit step) and the done flag. `train` gets an
 * observation together with the action taken after it (null for organic-only users) and its
 * reward. `reset` is called at the start of every user the agent acts for.
 */
export interface RecoGymAgent {
  act(observation: RecoGymObservation, reward: number | null, done: boolean): RecoGymAction;
  train(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null, done: boolean): void;
  reset(): void;
}
