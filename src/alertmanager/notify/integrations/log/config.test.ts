import { describe, expect, it } from 'vitest';
import { GLOBAL_DEFAULTS } from '../../../config/global.js';
import type { GlobalConfig } from '../../../config/types.js';
import { logConfig } from './config.js';

const GLOBAL: GlobalConfig = { resolveTimeoutMs: 300_000, settings: GLOBAL_DEFAULTS };

describe('log_configs entry', () => {
  it('applies defaults and has a notifier', () => {
    expect(logConfig.validate({}, GLOBAL)).toEqual({ ok: true, value: { send_resolved: true, message: '{{ template "__subject" . }}' } });
    expect(logConfig.validate({ send_resolved: false, message: 'x' }, GLOBAL)).toEqual({ ok: true, value: { send_resolved: false, message: 'x' } });
    expect(logConfig.create).toBeTypeOf('function');
  });

  it.each([
    [{ bogus: 1 }, 'field bogus not found in type log.plain'],
    [{ http_config: {} }, 'field http_config not found in type log.plain'],
    [{ send_resolved: 'maybe' }, 'cannot unmarshal !!str `maybe` into bool'],
  ])('refuses %j', (raw, message) => {
    const r = logConfig.validate(raw, GLOBAL);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues.map((i) => i.message).join('\n')).toContain(message);
  });
});
