import { describe, expect, it } from 'vitest';
import { parseDecideRequest } from './bridge-isolated';
import { MAX_OUTGOING_TEXT } from './outgoing-text';

const REQUEST = { kind: 'decide', id: 1, channel: 'request', text: 'a=1', destination: 'https://x.example' };

describe('parseDecideRequest (what the MAIN world may ask)', () => {
  it('accepts a well-formed request', () => {
    expect(parseDecideRequest(REQUEST)).toEqual(REQUEST);
    expect(parseDecideRequest({ ...REQUEST, destination: null })).toEqual({ ...REQUEST, destination: null });
  });

  it.each<[string, unknown]>([
    ['not an object', 'decide'],
    ['null', null],
    ['an array', [REQUEST]],
    ['another kind', { ...REQUEST, kind: 'verdict' }],
    ['an extra field (could smuggle an answer)', { ...REQUEST, blocked: false }],
    ['a zero id', { ...REQUEST, id: 0 }],
    ['a fractional id', { ...REQUEST, id: 1.5 }],
    ['an id as a string', { ...REQUEST, id: '1' }],
    ['a channel the bridge does not serve', { ...REQUEST, channel: 'print' }],
    ['text too long', { ...REQUEST, text: 'x'.repeat(MAX_OUTGOING_TEXT + 65) }],
    ['text missing', { ...REQUEST, text: undefined }],
    ['destination missing', { kind: 'decide', id: 1, channel: 'request', text: '' }],
    ['destination too long', { ...REQUEST, destination: 'x'.repeat(301) }],
  ])('rejects %s', (_name, data) => {
    expect(parseDecideRequest(data)).toBeNull();
  });
});
