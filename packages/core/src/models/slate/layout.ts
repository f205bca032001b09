import { ConfigError } from '../../errors.js';
import { Dict, Discrete, MultiDiscrete, type Space, Tuple } from '../../spaces/index.js';

/**
 * Where the parts of a RecSim observation `{ user, doc: { "0".."C−1" }, response: (S responses) }`
 * sit in its flat form (the Dict's flatten order): plain data, so a module spec can carry it to
 * worker threads. Candidate k's features are `docDim` numbers at `docOffset + k·docDim`; response
 * p's are `responseDim` numbers at `responseOffset + p·responseDim`, whose number at `clickOffset`
 * is 1 when position p was clicked (the `1` entry of the one-hot `click: Discrete(2)`).
 */
export interface SlateObservationLayout {
  readonly [key: string]: number;
  readonly obsDim: number;
  readonly userOffset: number;
  readonly userDim: number;
  readonly docOffset: number;
  readonly docDim: number;
  readonly numCandidates: number;
  readonly responseOffset: number;
  readonly responseDim: number;
  readonly slateSize: number;
  readonly clickOffset: number;
}

function structureError(space: Space<unknown>, reason: string): ConfigError {
  return new ConfigError(
    `A slate recommender needs RecSim's observation structure Dict(user, doc: Dict("0".."C−1" of one space), ` +
      `response: Tuple(S × Dict(click: Discrete(2), …))) and MultiDiscrete([C]*S) slate actions; ${reason} ` +
      `(observation space ${space.toString()}). Build the RecSim env without flattenObservations, wrapForBandits or convertToDiscreteActionSpace.`,
  );
}

/** The click entry's offset inside one response's flat form, or a `ConfigError`. */
function clickOffsetOf(response: Space<unknown>, observation: Space<unknown>): number {
  if (!(response instanceof Dict)) throw structureError(observation, `a response is ${response.toString()}, not a Dict`);
  let offset = 0;
  for (const [key, part] of Object.entries(response.spaces as Record<string, Space<unknown>>)) {
    if (key === 'click') {
      if (!(part instanceof Discrete) || part.n !== 2 || part.start !== 0) {
        throw structureError(observation, `response.click is ${part.toString()}, not Discrete(2)`);
      }
      return offset + 1;
    }
    offset += part.flatDim;
  }
  throw structureError(observation, 'the response has no "click" entry');
}

/**
 * The layout of a RecSim observation space with its slate action space, checked: the Dict's keys
 * are `user`, `doc`, `response` (in that order), the documents are "0".."C−1" of one space, the S
 * responses have a `click`, and actions are `MultiDiscrete([C]*S)` with S ≤ C. Anything else is a
 * `ConfigError` naming the space and what is wrong.
 */
export function slateObservationLayout(observationSpace: Space<unknown>, actionSpace: Space<unknown>): SlateObservationLayout {
  const space = observationSpace;
  if (!(space instanceof Dict)) throw structureError(space, 'the observation is not a Dict');
  const keys = Object.keys(space.spaces);
  if (keys.join(',') !== 'user,doc,response') throw structureError(space, `its keys are [${keys.join(', ')}]`);
  const parts = space.spaces as Record<'user' | 'doc' | 'response', Space<unknown>>;
  const { user, doc, response } = parts;
  if (!(doc instanceof Dict)) throw structureError(space, `doc is ${doc.toString()}, not a Dict of documents`);
  const docSpaces = Object.entries(doc.spaces as Record<string, Space<unknown>>);
  const numCandidates = docSpaces.length;
  if (numCandidates === 0) throw structureError(space, 'there are no candidate documents');
  const first = (docSpaces[0] as [string, Space<unknown>])[1];
  docSpaces.forEach(([key, docSpace], k) => {
    if (key !== String(k)) throw structureError(space, `document key ${k} is "${key}", expected "${k}"`);
    if (JSON.stringify(docSpace.toJSON()) !== JSON.stringify(first.toJSON())) {
      throw structureError(space, `document "${key}" has space ${docSpace.toString()}, unlike document "0" (${first.toString()})`);
    }
  });
  if (!(response instanceof Tuple)) throw structureError(space, `response is ${response.toString()}, not a Tuple`);
  const responses = response.spaces as readonly Space<unknown>[];
  const slateSize = responses.length;
  const responseSpace = responses[0];
  if (responseSpace === undefined) throw structureError(space, 'the response tuple is empty');
  const clickOffset = clickOffsetOf(responseSpace, space);
  if (!(actionSpace instanceof MultiDiscrete)) {
    throw new ConfigError(`A slate recommender acts with MultiDiscrete([C]*S) slates, got the action space ${actionSpace.toString()}.`);
  }
  const nvec = actionSpace.nvec;
  if (nvec.length > numCandidates) {
    throw new ConfigError(
      `The slate size (${nvec.length}, from the action space ${actionSpace.toString()}) is larger than the ${numCandidates} candidates: ` +
        'a slate shows distinct candidates.',
    );
  }
  if (nvec.length !== slateSize || nvec.some((n) => n !== numCandidates)) {
    throw new ConfigError(
      `The action space ${actionSpace.toString()} does not match the observation's ${numCandidates} candidates and ${slateSize} responses: expected MultiDiscrete([${numCandidates}] × ${slateSize}).`,
    );
  }
  const userDim = user.flatDim;
  const docDim = first.flatDim;
  return {
    obsDim: space.flatDim,
    userOffset: 0,
    userDim,
    docOffset: userDim,
    docDim,
    numCandidates,
    responseOffset: userDim + numCandidates * docDim,
    responseDim: responseSpace.flatDim,
    slateSize,
    clickOffset,
  };
}

/** The clicked slate position of row `row` of flat observations `obs` (its response part), or −1 for no click. */
export function clickedPosition(layout: SlateObservationLayout, obs: ArrayLike<number>, row: number): number {
  const base = row * layout.obsDim + layout.responseOffset + layout.clickOffset;
  for (let p = 0; p < layout.slateSize; p++) if ((obs[base + p * layout.responseDim] as number) > 0.5) return p;
  return -1;
}
