import { describe, expect, it } from 'vitest';
import { errorFamily } from './errors.js';

describe('errorFamily', () => {
  it.each([
    ['/api/v2/alerts', 'alertmanager'],
    ['/alertmanager/api/v2/silence/x?y=1', 'alertmanager'],
    ['/api/v2', 'alertmanager'],
    ['/api/v2x/alerts', 'text'],
    ['/prometheus/api/v1/query?query=up', 'prometheus'],
    ['/prometheus/config/v1/rules', 'text'],
    ['/api/herald/v1/thresholds', 'herald'],
    ['/api/v1/alerts', 'text'],
    ['/api/v1/push', 'text'],
    ['/metrics', 'text'],
    ['/?next=/api/v2/alerts', 'text'],
  ])('%s -> %s', (url, family) => {
    expect(errorFamily(url)).toBe(family);
  });
});
