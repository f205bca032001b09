// User module kinds for the module-contract tests, registered from a plain .js file outside any
// package's sources: a module that always takes `config.action`, and one that breaks its declaration.
import { registerModuleKind } from '@loomrl/core';

registerModuleKind('fixture/ConstantAction-js', (spec) => ({
  spec,
  actionDim: 1,
  outputColumns: { constantMark: { width: 1, dtype: 'f32' } },
  stateLayout: {},
  setState() {},
  computeActions(_obs, rows) {
    return { actions: new Float32Array(rows).fill(spec.config.action ?? 1), columns: { constantMark: new Float32Array(rows).fill(7) } };
  },
}));

registerModuleKind('fixture/WrongColumns', (spec) => ({
  spec,
  actionDim: 1,
  outputColumns: { actionProb: { width: 1, dtype: 'f32' } },
  stateLayout: {},
  setState() {},
  computeActions(_obs, rows) {
    return { actions: new Float32Array(rows), columns: {} };
  },
}));
