/** The function kernels' public surface for the engine. */
export { FUNCTION_IMPLS } from './registry.js';
export { ANCHORED_KERNELS, SMOOTHED_KERNELS, extendWindow } from './range-extended.js';
export { DUPLICATE_LABELSET } from './vector-labels.js';
export type { FunctionImpl } from './types.js';
