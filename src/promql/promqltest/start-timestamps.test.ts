import { describe, expect, it } from 'vitest';
import { parseScript } from './script.js';
import type { LoadCommand } from './script.js';
import { isStLine, parseStSequence } from './start-timestamps.js';
import type { StOffset } from './start-timestamps.js';

describe('parseStSequence', () => {
  it.each<[string, StOffset[]]>([
    ['_ _x2 0s', ['omit', 'omit', 'omit', 0]],
    ['-30s-1mx2', [-30_000, -90_000, -150_000]],
    ['-1m+1sx1', [-60_000, -59_000]],
    ['-59999ms', [-59_999]],
    ['1mx2', [60_000, 60_000, 60_000]],
  ])('%s', (text, want) => {
    expect(parseStSequence(text)).toEqual(want);
  });

  it.each(['_x0', 'abc', '1m+', '1m+1s', '-1q'])('rejects %s', (text) => {
    expect(typeof parseStSequence(text)).toBe('string');
  });

  it('isStLine', () => {
    expect(isStLine('m{a="1"}@st _ 0s')).toBe(true);
    expect(isStLine('m{a="1"} 1 2')).toBe(false);
  });
});

describe('@st lines in load blocks', () => {
  it('attach offsets to the following series', () => {
    const r = parseScript('load 1m\n  c{t="a"}@st _ -30s-1mx1\n  c{t="a"} _ 0+60x1\n  d 1');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const load = r.value.commands[0] as LoadCommand;
    expect(load.hasStartTimestamps).toBe(true);
    expect(load.series[0]?.startOffsets).toEqual(['omit', -30_000, -90_000]);
    expect(load.series[1]?.startOffsets).toBeUndefined();
  });

  it.each([
    ['load 1m\n  c@st 0s\n  d 1', '@st metric does not match'],
    ['load 1m\n  c@st 0s 0s\n  c 1', '@st line has 2 values but sample line has 1'],
    ['load 1m\n  c@st 0s\n  c@st 0s\n  c 1', '@st line has no following sample line'],
    ['load 1m\n  c@st zz\n  c 1', 'invalid @st sequence'],
  ])('rejects %j', (text, message) => {
    const r = parseScript(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.message).toContain(message);
  });
});
