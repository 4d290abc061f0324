import { createContext, runInContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WRITER_SOURCE } from './sqlite-writer.js';

describe('WRITER_SOURCE', () => {
  it('declares no global names (node --expose-gc defines a global gc)', () => {
    const ctx = createContext({});
    runInContext('var gc = function () {};', ctx);
    // Nothing is provided, so the script stops at its first use of require; what must not happen
    // is the SyntaxError of a top-level declaration clashing with the global.
    let thrown: unknown;
    try {
      runInContext(WRITER_SOURCE, ctx);
    } catch (e) {
      thrown = e;
    }
    expect(String(thrown)).toMatch(/require is not defined/);
  });
});
