import { ACTOR_KIND, ActorModule } from './kinds/actor.js';
import { ACTOR_CRITIC_KIND, ActorCriticModule } from './kinds/actorCritic.js';
import { LINEAR_BANDIT_KIND, LinearBanditModule } from './kinds/linearBandit.js';
import { Q_NETWORK_KIND, QNetworkModule } from './kinds/qNetwork.js';
import { SLATE_Q_KIND, SlateQModule } from './kinds/slateQ.js';
import { WOLPERTINGER_KIND, WolpertingerModule } from './kinds/wolpertinger.js';
import { registerModuleKind } from './registry.js';

// The built-in kinds register when core loads, in every thread.
registerModuleKind(ACTOR_CRITIC_KIND, (spec) => new ActorCriticModule(spec));
registerModuleKind(Q_NETWORK_KIND, (spec) => new QNetworkModule(spec));
registerModuleKind(LINEAR_BANDIT_KIND, (spec) => new LinearBanditModule(spec));
registerModuleKind(ACTOR_KIND, (spec) => new ActorModule(spec));
registerModuleKind(SLATE_Q_KIND, (spec) => new SlateQModule(spec));
registerModuleKind(WOLPERTINGER_KIND, (spec) => new WolpertingerModule(spec));

export { ACTOR_KIND, ActorModule, type ActorModuleConfig, actorOf } from './kinds/actor.js';
export { ACTOR_CRITIC_KIND, ActorCriticModule, type ActorCriticModuleConfig, actorCriticNetwork } from './kinds/actorCritic.js';
export {
  type BanditModel,
  type BanditShape,
  banditShape,
  banditTensors,
  createBanditModel,
  LINEAR_BANDIT_KIND,
  LinearBanditModule,
  type LinearBanditModuleConfig,
} from './kinds/linearBandit.js';
export {
  type EpsilonGreedyConfig,
  epsilonAt,
  Q_NETWORK_KIND,
  QNetworkModule,
  type QNetworkModuleConfig,
  qNetworkOf,
} from './kinds/qNetwork.js';
export {
  SLATE_Q_KIND,
  type SlateEpsilonGreedyConfig,
  SlateQModule,
  type SlateQModuleConfig,
  slateEpsilonAt,
  slateQNetworkOf,
} from './kinds/slateQ.js';
export { WOLPERTINGER_KIND, WolpertingerModule, type WolpertingerModuleConfig, wolpertingerSpecOf } from './kinds/wolpertinger.js';
export type { ActContext, ActOutput, InferenceModule } from './module.js';
export {
  checkModuleTensors,
  createModule,
  isModuleKindRegistered,
  listModuleKinds,
  loadModuleKinds,
  type ModuleFactory,
  registerModuleKind,
} from './registry.js';
export {
  allocateColumn,
  type ColumnDecl,
  type ColumnDtype,
  DEFAULT_MODULE_ID,
  dtypeOf,
  type ModuleId,
  type ModuleSpec,
  type ModuleTensors,
} from './spec.js';
