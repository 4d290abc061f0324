export { parseMatcher, parseMatchers } from './parse.js';
export type { MatcherMode } from './parse.js';
export { parseClassicMatcher, parseClassicMatchers } from './classic-parser.js';
export { parseUtf8Matchers } from './utf8-parser.js';
export type { MatcherError } from './errors.js';
