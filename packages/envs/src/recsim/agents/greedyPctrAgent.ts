import type { ChoiceModel } from '../framework/choiceModel.js';
import { MultinomialLogitChoiceModel } from '../framework/multinomialModels.js';
import type { RecUserState } from '../framework/user.js';
import { AbstractEpisodicRecommenderAgent, type AgentObservation, type AgentSpaces, type Slate } from './agent.js';
import { documentsOf } from './utils.js';

/** Options of `GreedyPCTRAgent`. */
export interface GreedyPCTRAgentOptions extends Pick<AgentSpaces, 'actionSpace'> {
  /** A fixed belief about the user: anything that scores a document observation. */
  readonly beliefState: Pick<RecUserState<unknown, unknown>, 'scoreDocument'>;
  /** The choice model the belief's scores go through (default: multinomial logit, no-click logit 5). */
  readonly choiceModel?: ChoiceModel;
}

/**
 * Shows the S candidates most likely to be clicked under a fixed belief about the user and a
 * known choice model (RecSim's `GreedyPCTRAgent`), best first; ties go to the lower position.
 * It does not learn.
 */
export class GreedyPCTRAgent extends AbstractEpisodicRecommenderAgent {
  private readonly beliefState: GreedyPCTRAgentOptions['beliefState'];
  private readonly choiceModel: ChoiceModel;

  /** An agent with `options.beliefState` and choice model. */
  constructor(options: GreedyPCTRAgentOptions) {
    super(options.actionSpace);
    this.beliefState = options.beliefState;
    this.choiceModel = options.choiceModel ?? new MultinomialLogitChoiceModel({ noClickMass: 5 });
  }

  step(_reward: number, observation: AgentObservation): Slate {
    const docs = documentsOf(observation.doc);
    this.choiceModel.scoreDocuments(this.beliefState as RecUserState<unknown, unknown>, docs);
    const p = this.choiceModel.clickProbabilities;
    const order = docs.map((_, i) => i).sort((a, b) => (p[b] as number) - (p[a] as number) || a - b);
    return order.slice(0, this.slateSize);
  }
}
