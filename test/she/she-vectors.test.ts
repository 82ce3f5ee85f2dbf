import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesMp, sheKdf } from '../../src/she/aes-mp.js';
import { bootMacPrefix } from '../../src/she/she-boot.js';
import { KEY_UPDATE_ENC_C, KEY_UPDATE_MAC_C, PRNG_KEY_C, PRNG_SEED_KEY_C, SheFlag } from '../../src/she/she-constants.js';
import { SheFid, counterOf, makeKeyUpdate, messageTwoPlain, openKeyUpdate, storedFlagsOf } from '../../src/she/key-update.js';
import { sheKeyMeta, sheLabel } from '../../src/she/she-label.js';
import { SPEC, hex, unhex } from './she-helpers.js';

const aesEcb = (key: Uint8Array, block: Uint8Array) => {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return new Uint8Array(c.update(block));
};

/*
 * Vectors: the AUTOSAR SHE specification's key-update example (M1-M5, K1) and its
 * Miyaguchi-Preneel example, as quoted in spec-cert-she-custom 2.6 and reproduced by
 * independent open implementations; RFC 4493 for CMAC. Facts, not code.
 */
describe('SHE primitives against the SHE specification examples', () => {
  it('Miyaguchi-Preneel: the specification example (its message with the SHE padding appended)', () => {
    const m = unhex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' + '80000000000000000000000000000100');
    expect(hex(aesMp(m))).toBe('c7277a0dc1fb853b5f4d9cbd26be40c6');
  });

  it('Miyaguchi-Preneel: one block is AES(0, m) xor m, a short block is zero-padded', () => {
    const m = unhex('00112233445566778899aabbccddeeff');
    const e = aesEcb(new Uint8Array(16), m);
    expect(hex(aesMp(m))).toBe(hex(e.map((b, i) => b ^ m[i]!)));
    expect(hex(aesMp(m.subarray(0, 5)))).toBe(hex(aesMp(Uint8Array.from([...m.subarray(0, 5), ...new Uint8Array(11)]))));
  });

  it('KDF: K1 of the specification example, and the four constants differ only in their second byte', () => {
    expect(hex(sheKdf(SPEC.authKey, KEY_UPDATE_ENC_C))).toBe('118a46447a770d87828a69c222e2d17e');
    expect([KEY_UPDATE_ENC_C, KEY_UPDATE_MAC_C, PRNG_KEY_C, PRNG_SEED_KEY_C].map((c) => hex(c))).toEqual([
      '010153484500800000000000000000b0',
      '010253484500800000000000000000b0',
      '010453484500800000000000000000b0',
      '010553484500800000000000000000b0',
    ]);
  });

  it('M1-M5: the specification example (slot 4 under MASTER_ECU_KEY, counter 1, no flags)', () => {
    const m = makeKeyUpdate({ uid: SPEC.uid, targetSlot: 4, authSlot: 1, authKey: SPEC.authKey, newKey: SPEC.newKey, counter: 1 });
    expect([hex(m.m1), hex(m.m2), hex(m.m3), hex(m.m4), hex(m.m5)]).toEqual([SPEC.m1, SPEC.m2, SPEC.m3, SPEC.m4, SPEC.m5]);
  });

  it('the receiver opens M2 only with the right M3 and reads the counter and key back', () => {
    const plain = openKeyUpdate(SPEC.authKey, unhex(SPEC.m1), unhex(SPEC.m2), unhex(SPEC.m3))!;
    expect(counterOf(plain)).toBe(1);
    expect(hex(plain.subarray(16))).toBe(hex(SPEC.newKey));
    const badMac = unhex(SPEC.m3);
    badMac[0]! ^= 1;
    expect(openKeyUpdate(SPEC.authKey, unhex(SPEC.m1), unhex(SPEC.m2), badMac)).toBeNull();
    expect(openKeyUpdate(SPEC.newKey, unhex(SPEC.m1), unhex(SPEC.m2), unhex(SPEC.m3))).toBeNull();
  });

  it('stored flags follow wolfHSM bit for bit: FID WRITE_PROTECTION lands in bit 7, WILDCARD in bit 0 (WRITE_PROTECT)', () => {
    const k = new Uint8Array(16);
    expect(storedFlagsOf(messageTwoPlain(5, SheFid.WILDCARD, k))).toBe(SheFlag.WRITE_PROTECT);
    expect(storedFlagsOf(messageTwoPlain(5, SheFid.WRITE_PROTECTION, k))).toBe(0x80);
    expect(storedFlagsOf(messageTwoPlain(5, SheFid.KEY_USAGE, k))).toBe(0x10);
    expect(counterOf(messageTwoPlain(0x0abcdef1, 0x1f, k))).toBe(0x0abcdef1);
  });

  it('labels carry counter and flags big-endian in bytes 0..7', () => {
    const l = sheLabel(0x01020304, SheFlag.WILDCARD);
    expect(hex(l.subarray(0, 8))).toBe('0102030400000010');
    expect(l.length).toBe(24);
    expect(sheKeyMeta(l)).toEqual({ counter: 0x01020304, flags: 0x10 });
  });

  it('the boot MAC prefix is twelve zeros and the size in little-endian order', () => {
    expect(hex(bootMacPrefix(0x200))).toBe('000000000000000000000000' + '00020000');
  });
});
