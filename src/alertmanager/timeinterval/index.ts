export type { InclusiveRange, TimeInterval } from './types.js';
export { isValidLocation, parseTimeInterval, parseTimeIntervals } from './parse.js';
export { anyIntervalContains, intervalContains } from './contains.js';
