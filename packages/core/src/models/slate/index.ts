export {
  type ChoiceParameterLayout,
  choiceParameterLayout,
  isPositionDependent,
  type SlateChoiceModelConfig,
  slateChoiceWeights,
} from './choice.js';
export { clickedPosition, type SlateObservationLayout, slateObservationLayout } from './layout.js';
export {
  maximizeSlate,
  maximizeSlateByEnumeration,
  orderedSlateCount,
  randomSlate,
  type SlateProblem,
  slateValue,
} from './maximize.js';
export {
  noClickInputDim,
  noClickInputs,
  SlateQNetworkInference,
  type SlateQNetworkLayout,
  type SlateQNetworkSpec,
  slateQInputDim,
  slateQInputs,
  slateQNetworkLayout,
} from './qNetwork.js';
export { SLATE_SELECTIONS, type SlateSelection, selectSlate } from './select.js';
