import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ownBytes } from './download-guard';

describe('ownBytes', () => {
  it("copies an ArrayBuffer of another realm (Firefox: the page's compartment) into a view of this one", () => {
    // A real second realm: its ArrayBuffer is not `instanceof` ours, as in Firefox's content scripts.
    const foreign = runInNewContext('new Uint8Array([0x31, 0x33, 0x38, 0xff]).buffer') as ArrayBuffer;
    expect(foreign instanceof ArrayBuffer).toBe(false);
    const view = ownBytes(foreign);
    expect(view.buffer instanceof ArrayBuffer).toBe(true);
    expect([...view]).toEqual([0x31, 0x33, 0x38, 0xff]);
    // subarray looks up the species through `constructor`: the call that threw in Firefox.
    expect([...view.subarray(1, 3)]).toEqual([0x33, 0x38]);
  });

  it('control: a buffer of this realm is viewed as it is, not copied', () => {
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    const view = ownBytes(buffer);
    expect(view.buffer).toBe(buffer);
    expect([...view]).toEqual([1, 2, 3]);
  });
});
