/**
 * promtool's rule unit tests (`herald rules test`): the test-file format, its runner and
 * promtool's failure texts. The CLI supplies file access, the rule-file parser and the evaluator.
 */
export { parseTestFile } from './test-file.js';
export type { AlertTestCase, ExpectedAlert, ExpectedSample, InputSeries, PromqlTestCase, TestGroup, UnitTestFile } from './test-file.js';
export { runTestFile } from './runner.js';
export type { FileOutcome, GroupParams, UnitTestEnv, UnitTestFs } from './runner.js';
export { goGlob } from './go-glob.js';
export type { GlobFs } from './go-glob.js';
