/** Settings of fitted Q evaluation (RLlib's `FQETorchModel` kwargs, camelCased). */
export interface FqeSettings {
  /** Hidden layers of the Q network, ReLU (RLlib `model_config.fcnet_hiddens`). */
  readonly hiddens: readonly number[];
  /** Epochs over the data per fit (RLlib `n_iters`). */
  readonly nIters: number;
  readonly lr: number;
  /** Stop the fit once an epoch's mean loss is below this (RLlib `min_loss_threshold`). */
  readonly minLossThreshold: number;
  /** Global-norm gradient clipping (RLlib `clip_grad_norm`). */
  readonly clipGradNorm: number;
  /** Rows per gradient step; `null` = the whole batch (RLlib `minibatch_size`). */
  readonly minibatchSize: number | null;
  /** Target update after each epoch: target ← c·Q + (1 − c)·target (RLlib `polyak_coef`). */
  readonly polyakCoef: number;
}

/** RLlib 2.2+'s FQE defaults, except `nIters`: LoomRL fits when it estimates (as Ray 2.0 did, with 160 epochs). */
export const FQE_DEFAULTS: FqeSettings = {
  hiddens: [32, 32, 32],
  nIters: 160,
  lr: 1e-3,
  minLossThreshold: 1e-4,
  clipGradNorm: 100,
  minibatchSize: null,
  polyakCoef: 1.0,
};
