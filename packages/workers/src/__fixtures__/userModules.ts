// A user module kind written in TypeScript (worker threads import it through tsx): always takes `config.action`.
import { type ActContext, type ActOutput, type InferenceModule, type ModuleSpec, registerModuleKind } from '@loomrl/core';

class ConstantAction implements InferenceModule {
  readonly actionDim = 1;
  readonly outputColumns = { constantMark: { width: 1, dtype: 'f32' as const } };
  readonly stateLayout = {};
  constructor(readonly spec: ModuleSpec) {}
  setState(): void {}
  computeActions(_obs: Float32Array, rows: number, _context: ActContext): ActOutput {
    const action = typeof this.spec.config.action === 'number' ? this.spec.config.action : 1;
    return { actions: new Float32Array(rows).fill(action), columns: { constantMark: new Float32Array(rows).fill(7) } };
  }
}

registerModuleKind('fixture/ConstantAction-ts', (spec) => new ConstantAction(spec));
