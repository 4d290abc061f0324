import { describe, expect, it } from 'vitest';
import { errorMessage, queryString } from './client.js';

describe('errorMessage', () => {
  it('takes the message out of each API family error body', () => {
    expect(errorMessage(400, '"error parsing regexp: missing )"')).toBe('error parsing regexp: missing )');
    expect(errorMessage(400, '{"error":"labels: required"}')).toBe('labels: required');
    expect(errorMessage(400, '{"status":"error","errorType":"bad_data","error":"parse error"}')).toBe('parse error');
    expect(errorMessage(409, 'read-only namespace\n')).toBe('read-only namespace');
    expect(errorMessage(502, '')).toBe('HTTP 502');
    expect(errorMessage(400, '{not json')).toBe('{not json');
  });
});

describe('queryString', () => {
  it('repeats array parameters and leaves out undefined ones', () => {
    expect(queryString({ filter: ['a="b"', 'c=~"d"'], silenced: false, receiver: undefined })).toBe('?filter=a%3D%22b%22&filter=c%3D%7E%22d%22&silenced=false');
    expect(queryString({})).toBe('');
  });
});
