import { describe, expect, it } from 'vitest';
import { intern } from './intern.js';

describe('intern', () => {
  it('returns an equal string, the same one for equal inputs', () => {
    const a = intern(['ns', '42'].join('-'));
    const b = intern(`ns-${40 + 2}`);
    expect(a).toBe('ns-42');
    expect(b).toBe(a);
  });

  it('keeps nothing between calls (keys that look like indices, __proto__, the empty string)', () => {
    for (const s of ['0', '17', '__proto__', 'constructor', '', 'toString']) expect(intern(s)).toBe(s);
    expect(intern('x')).toBe('x');
  });
});
