import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { generateSigningKeyPair, keyIdOf, signPayload, type SigningKeyPair } from '../crypto/signing';
import { deriveRegisterKeys, storeKeys } from '../register/keys';
import { buildRegisterPayload, emptyRegisterPayload, type RegisterPayload } from '../register/structure';
import { indexOfStored } from '../register/register-storage';
import { lookupNumber } from '../register/match';
import type { Enrollment } from '../storage';
import { readStoredRegister, REGISTER_STORAGE_KEY, syncRegister, type StoredRegister } from './register-sync';

const HASH_KEY = 'h'.repeat(43);

async function payloadOf(version: number, level: '秘密' | '绝密'): Promise<RegisterPayload> {
  const salt = `salt-${version}`;
  const keys = await deriveRegisterKeys(HASH_KEY, salt);
  return buildRegisterPayload([{ level, customerHash: 'abcdefabcdef', numbers: ['13812345678'], names: ['北京星辰科技有限公司'] }], keys, {
    version,
    createdAt: '2026-12-05T00:00:00.000Z',
    salt,
  });
}

describe('syncRegister', () => {
  let signing: SigningKeyPair;
  let enrollment: Enrollment;
  beforeEach(async () => {
    fakeBrowser.reset();
    signing = await generateSigningKeyPair();
    enrollment = {
      serverUrl: 'https://baomi.example',
      deviceId: 'd1',
      deviceToken: 'tok',
      publicKey: signing.publicKey,
      keyId: await keyIdOf(signing.publicKey),
      hashKey: HASH_KEY,
      userId: 'zhang.san',
      enrolledAt: '2026-12-05T00:00:00.000Z',
    };
  });

  const answer = (body: unknown, status = 200, etag = '"r1-x"') =>
    (async () =>
      new Response(status === 304 ? null : JSON.stringify(body), {
        status,
        headers: { ETag: etag, 'Content-Type': 'application/json' },
      })) as typeof fetch;

  it('stores a verified register the guard can look numbers up in', async () => {
    const signed = await signPayload('register', await payloadOf(1, '绝密'), signing);
    expect(await syncRegister(enrollment, answer({ ok: true, signed }))).toBe('updated');
    const stored = await readStoredRegister();
    expect(stored?.version).toBe(1);
    expect(stored?.etag).toBe('"r1-x"');
    const index = indexOfStored(stored);
    expect(index && lookupNumber(index, '13812345678')).toBe(0);
    expect(index && lookupNumber(index, '13700001111')).toBe(-1);
    expect(JSON.stringify(stored)).not.toContain('13812345678');
    // The numbers are stored once, as the lookup table, not also as the payload's sorted entries.
    expect(stored?.payload.numbers).toBe('');
    expect(stored?.numberTable?.count).toBe(1);
  });

  it('gives a register stored before the number table existed its table on the next 304', async () => {
    const payload = await payloadOf(1, '绝密');
    const keys = await deriveRegisterKeys(HASH_KEY, payload.salt);
    const old: StoredRegister = { version: 1, etag: '"r1-x"', payload, keys: storeKeys(keys) };
    await fakeBrowser.storage.local.set({ [REGISTER_STORAGE_KEY]: old });
    expect(lookupNumber(indexOfStored(old)!, '13812345678')).toBe(0); // usable meanwhile (the frame builds the table)
    expect(await syncRegister(enrollment, answer(null, 304))).toBe('unchanged');
    const stored = await readStoredRegister();
    expect(stored?.numberTable?.count).toBe(1);
    expect(stored?.payload.numbers).toBe('');
    expect(lookupNumber(indexOfStored(stored)!, '13812345678')).toBe(0);
  });

  it('sends its ETag and keeps the register on 304', async () => {
    const signed = await signPayload('register', await payloadOf(1, '绝密'), signing);
    await syncRegister(enrollment, answer({ ok: true, signed }));
    let sent: string | null = null;
    const fetch304 = (async (_url: RequestInfo | URL, init?: RequestInit) => {
      sent = new Headers(init?.headers).get('If-None-Match');
      return new Response(null, { status: 304 });
    }) as typeof fetch;
    expect(await syncRegister(enrollment, fetch304)).toBe('unchanged');
    expect(sent).toBe('"r1-x"');
    expect((await readStoredRegister())?.version).toBe(1);
  });

  it.each([
    [
      'a payload changed under its signature',
      async (s: SigningKeyPair) => ({
        ...(await signPayload('register', await payloadOf(2, '绝密'), s)),
        payload: await payloadOf(2, '秘密'),
      }),
    ],
    // the pinned key id, another key's signature: the signature check itself must refuse it
    [
      'a register signed by another key',
      async () => ({
        ...(await signPayload('register', await payloadOf(2, '绝密'), await generateSigningKeyPair())),
        keyId: enrollment.keyId,
      }),
    ],
    ['a policy signature presented as a register', async (s: SigningKeyPair) => signPayload('policy', await payloadOf(2, '绝密'), s)],
    [
      'an older version (replay that could lower a level)',
      async (s: SigningKeyPair) => signPayload('register', await payloadOf(0, '秘密'), s),
    ],
    [
      'a truncated structure, validly signed',
      async (s: SigningKeyPair) => signPayload('register', { ...(await payloadOf(2, '绝密')), numbers: 'AAAA' }, s),
    ],
  ])('refuses %s and keeps the last good register', async (_name, make) => {
    const good = await signPayload('register', await payloadOf(1, '绝密'), signing);
    await syncRegister(enrollment, answer({ ok: true, signed: good }));
    const signed = await make(signing);
    const result = await syncRegister(enrollment, answer({ ok: true, signed }, 200, '"r2-x"'));
    expect(result).toMatchObject({ rejected: expect.any(String) });
    expect((await readStoredRegister())?.version).toBe(1);
  });

  it('has nothing to do before the first import (404)', async () => {
    expect(await syncRegister(enrollment, answer({ ok: false }, 404))).toBe('none');
    expect(await readStoredRegister()).toBeNull();
  });
  it('a cleared register (signed, empty, newer) replaces the held one: nothing is looked up, the old one cannot come back', async () => {
    const first = await signPayload('register', await payloadOf(1, '绝密'), signing);
    expect(await syncRegister(enrollment, answer({ ok: true, signed: first }))).toBe('updated');
    const cleared = await signPayload(
      'register',
      emptyRegisterPayload({ version: 2, createdAt: '2026-12-05T01:00:00.000Z', salt: 'salt-2' }),
      signing,
    );
    expect(await syncRegister(enrollment, answer({ ok: true, signed: cleared }, 200, '"r2-x"'))).toBe('updated');
    const stored = await readStoredRegister();
    expect(stored?.version).toBe(2);
    expect(indexOfStored(stored)).toBeNull(); // the guard has no register: default levels
    // A replay of version 1 (which made 13812345678 绝密) is refused; the clear stays.
    expect(await syncRegister(enrollment, answer({ ok: true, signed: first }))).toEqual({ rejected: 'older register version 1 refused' });
    expect((await readStoredRegister())?.version).toBe(2);
    // A clear changed under its signature is refused like any register.
    const forged = { ...cleared, payload: { ...cleared.payload, version: 3 } };
    expect(await syncRegister(enrollment, answer({ ok: true, signed: forged }, 200, '"r3-x"'))).toEqual({
      rejected: 'register signature does not verify',
    });
  });
});
