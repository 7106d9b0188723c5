export {
  createMasker,
  MAX_DEPTH,
  type Masker,
  type MaskContext,
  type MaskOutcome,
  type MaskerOptions,
  type GatehouseMasker,
  type CopiesContext,
  type MessageCopies,
} from "./masker";
export { maskCopies } from "./mask-copies";
export { Scanner, mergeFindings } from "./scanner";
export { ScanState, type Finding } from "./scan-state";
export { BUILT_IN_DETECTORS } from "./detectors";
export { replacementFor, STYLE_STRICTNESS, type MaskStyle } from "./replacement";
