import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

const KNOWN = ['config.file', 'web.listen-address'];

describe('parseArgs', () => {
  it.each([
    [['--config.file=a.yml'], { 'config.file': 'a.yml' }, []],
    [['--config.file', 'a.yml', 'x'], { 'config.file': 'a.yml' }, ['x']],
    [['--web.listen-address=127.0.0.1:0', '--help'], { 'web.listen-address': '127.0.0.1:0', help: 'true' }, []],
    [['--', '--config.file'], {}, ['--config.file']],
  ])('%j', (argv, flags, positional) => {
    const r = parseArgs(argv, KNOWN, ['help']);
    expect(Object.fromEntries(r.flags)).toEqual(flags);
    expect(r.positional).toEqual(positional);
  });

  it.each([
    [['--nope=1'], "unknown long flag '--nope'"],
    [['--config.file'], "expected argument for flag '--config.file'"],
    [['-x'], "unknown short flag '-x'"],
  ])('%j is a usage error', (argv, msg) => {
    expect(() => parseArgs(argv, KNOWN, ['help'])).toThrow(new UsageError(msg));
  });
});
