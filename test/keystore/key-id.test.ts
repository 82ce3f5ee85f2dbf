import { describe, expect, it } from 'vitest';
import {
  ClientKeyFlag,
  DEFAULT_KEY_FEATURES,
  KeyType,
  isUnassignedKeyId,
  keyIdFromClient,
  keyIdToClient,
  makeKeyId,
} from '../../src/keystore/key-id.js';

const ALL = { globalKeys: true, keyWrap: true, hwKeystore: true };
const NONE = { globalKeys: false, keyWrap: false, hwKeystore: false };

describe('key ids (spec-core 4.1)', () => {
  it('packs TYPE, USER and ID, masking each field', () => {
    expect(makeKeyId(KeyType.CRYPTO, 12, 0xff)).toBe(0x1cff);
    expect(makeKeyId(KeyType.COUNTER, 15, 2)).toBe(0x3f02);
    expect(makeKeyId(KeyType.CRYPTO, 0x1f, 0x1ff)).toBe(0x1fff);
  });

  it('unassigned means ID 0 of any type but SHE', () => {
    expect(isUnassignedKeyId(makeKeyId(KeyType.CRYPTO, 3, 0))).toBe(true);
    expect(isUnassignedKeyId(makeKeyId(KeyType.SHE, 3, 0))).toBe(false);
    expect(isUnassignedKeyId(makeKeyId(KeyType.CRYPTO, 3, 1))).toBe(false);
  });

  it('from the client: only the ID and the built-in flags survive; GLOBAL maps to USER 0; HW wins over WRAPPED', () => {
    expect(keyIdFromClient(KeyType.CRYPTO, 7, 0x0005, ALL)).toBe(0x1705);
    expect(keyIdFromClient(KeyType.CRYPTO, 7, 0x0105, ALL)).toBe(0x1005);
    expect(keyIdFromClient(KeyType.CRYPTO, 7, 0x0205, ALL)).toBe(0x4705);
    expect(keyIdFromClient(KeyType.CRYPTO, 7, 0x0605, ALL)).toBe(0x5705);
    expect(keyIdFromClient(KeyType.CRYPTO, 7, 0xf805, ALL)).toBe(0x1705);
    // Flags for features compiled out are ignored: 0x0105 is just local key 5.
    expect(keyIdFromClient(KeyType.CRYPTO, 7, 0x0705, NONE)).toBe(0x1705);
  });

  it('to the client: ID plus the flags that describe it; USER and plain types stay hidden', () => {
    expect(keyIdToClient(0x1cff, DEFAULT_KEY_FEATURES)).toBe(0xff);
    expect(keyIdToClient(0x1005, DEFAULT_KEY_FEATURES)).toBe(0x105);
    expect(keyIdToClient(0x4005, DEFAULT_KEY_FEATURES)).toBe(ClientKeyFlag.GLOBAL | ClientKeyFlag.WRAPPED | 5);
    expect(keyIdToClient(0x5305, ALL)).toBe(ClientKeyFlag.HW | 5);
    expect(keyIdToClient(0x1005, NONE)).toBe(5);
  });

  it('round-trips every client id whose flags are built in', () => {
    for (let req = 0; req < 0x800; req++) {
      const back = keyIdToClient(keyIdFromClient(KeyType.CRYPTO, 9, req, ALL), ALL);
      const expected = req & 0x400 ? (req & 0xff) | 0x400 | (req & 0x100) : req;
      expect(back).toBe(expected);
    }
  });
});
