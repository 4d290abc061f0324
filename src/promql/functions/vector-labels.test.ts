import { describe, expect, it } from 'vitest';
import { sample, vctx } from './test-helpers.js';
import type { KernelSample } from './types.js';
import { expandTemplate, labelJoin, labelReplace } from './vector-labels.js';

// Cases from upstream functions.test ("Tests for label_replace" / "label_join").
const TESTMETRIC = [
  sample({ __name__: 'testmetric', src: 'source-value-10', dst: 'original-destination-value' }, 0),
  sample({ __name__: 'testmetric', src: 'source-value-20', dst: 'original-destination-value' }, 1),
];

function labelsOf(out: readonly KernelSample[] | Error): Array<Record<string, string>> {
  if (out instanceof Error) throw out;
  return out.map((s) => ({ ...s.labels }));
}

describe('label_replace', () => {
  it.each([
    ['value-$1', 'source-value-(.*)', ['value-10', 'value-20']],
    ['value-$1', '.*', ['value-', 'value-']],
    ['value-$1', 'non-matching-regex', ['original-destination-value', 'original-destination-value']],
    ['$1-$2', 'source-(value)-(.*)', ['value-10', 'value-20']],
    ['${1}x', 'source-value-(.*)', ['10x', '20x']],
    ['$1x', 'source-value-(.*)', [undefined, undefined]],
    ['$name', 'source-value-(?P<name>.*)', ['10', '20']],
    ['$$1', 'source-value-(.*)', ['$1', '$1']],
    ['a$', 'source.*', ['a$', 'a$']],
  ])('replacement %j regex %j', (repl, regex, want) => {
    const out = labelsOf(labelReplace(TESTMETRIC, vctx([], ['dst', repl, 'src', regex]).ctx));
    expect(out.map((l) => l['dst'])).toEqual(want);
  });

  it('drops a label set to empty, keeps names', () => {
    const out = labelReplace(TESTMETRIC, vctx([], ['dst', '', 'dst', '.*']).ctx) as KernelSample[];
    expect(out[0]).toEqual({ labels: { __name__: 'testmetric', src: 'source-value-10' }, v: 0, keepName: true });
  });

  it('regex is anchored and dot matches newlines', () => {
    const input = [sample({ src: 'a\nb' }, 1)];
    expect(labelsOf(labelReplace(input, vctx([], ['dst', '$1', 'src', '(a.b)']).ctx))[0]?.['dst']).toBe('a\nb');
    expect(labelsOf(labelReplace(input, vctx([], ['dst', 'x', 'src', 'a']).ctx))[0]?.['dst']).toBeUndefined();
  });

  it.each([
    [['dst', 'value-$1', 'src', '(.*'], 'invalid regular expression in label_replace(): (.*'],
    [['', '', 'src', '(.*)'], 'invalid destination label name in label_replace(): '],
    [['\ufffd', '', 'src', '(.*)'], 'invalid destination label name in label_replace(): \ufffd'],
    [['src', '', '', ''], 'vector cannot contain metrics with the same labelset'],
  ])('fails for %j', (strings, msg) => {
    expect(labelReplace(TESTMETRIC, vctx([], strings).ctx)).toEqual(new Error(msg));
  });
});

describe('label_join', () => {
  const input = [
    sample({ __name__: 'testmetric', src: 'a', src1: 'b', src2: 'c', dst: 'original-destination-value' }, 0),
    sample({ __name__: 'testmetric', src: 'd', src1: 'e', src2: 'f', dst: 'original-destination-value' }, 1),
  ];
  it.each([
    [['dst', '-', 'src', 'src1', 'src2'], ['a-b-c', 'd-e-f']],
    [['dst', '-', 'src', 'src3', 'src1'], ['a--b', 'd--e']],
    [['dst', '', 'emptysrc', 'emptysrc1'], [undefined, undefined]],
    [['dst', ', '], [undefined, undefined]],
  ])('%j', (strings, want) => {
    expect(labelsOf(labelJoin(input, vctx([], strings).ctx)).map((l) => l['dst'])).toEqual(want);
  });

  it('fails on duplicates and bad names', () => {
    const dup = [sample({ __name__: 'dup', label: 'a', this: 'a' }, 1), sample({ __name__: 'dup', label: 'b', this: 'a' }, 1)];
    expect(labelJoin(dup, vctx([], ['label', '', 'this']).ctx)).toEqual(new Error('vector cannot contain metrics with the same labelset'));
    expect(labelJoin(dup, vctx([], ['', '', 'this']).ctx)).toEqual(new Error('invalid destination label name in label_join(): '));
    expect(labelJoin(dup, vctx([], ['x', '', '']).ctx)).toEqual(new Error('invalid source label name in label_join(): '));
  });
});

describe('expandTemplate (Go Regexp.Expand)', () => {
  it.each([
    ['$1', ['ab', 'a'], {}, 'a'],
    ['$2', ['ab', 'a'], {}, ''],
    ['${1}b', ['ab', 'a'], {}, 'ab'],
    ['$01', ['ab', 'a'], {}, ''],
    ['${', ['ab', 'a'], {}, '${'],
    ['${1', ['ab', 'a'], {}, '${1'],
    ['$x$', ['ab'], { x: 'X' }, 'X$'],
  ])('%j', (tmpl, groups, named, want) => expect(expandTemplate(tmpl, groups, named)).toBe(want));
});
