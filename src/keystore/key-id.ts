/**
 * Key ids (wh_keyid.h). Server-internal ids are u16: TYPE (bits 15..12), USER (the
 * owning client id, 0 = global, bits 11..8) and ID (bits 7..0); they double as NVM
 * object ids. Clients speak a 16-bit "client key id": the ID plus flag bits.
 */
export const KeyType = { NVM: 0, CRYPTO: 1, SHE: 2, COUNTER: 3, WRAPPED: 4, HW: 5 } as const;

export const KEYID_TYPE_MASK = 0xf000;
export const KEYID_USER_MASK = 0x0f00;
export const KEYID_ID_MASK = 0x00ff;
export const KEYID_ERASED = 0;
export const KEYID_IDMAX = 0xff;
export const KEYUSER_GLOBAL = 0;
export const CLIENT_ID_MAX = 15;

/** Flag bits of a client key id. */
export const ClientKeyFlag = { GLOBAL: 0x0100, WRAPPED: 0x0200, HW: 0x0400 } as const;

/** Which compile-time key features the server has (WOLFHSM_CFG_GLOBAL_KEYS, _KEYWRAP, _HWKEYSTORE). */
export interface KeyFeatures {
  readonly globalKeys: boolean;
  readonly keyWrap: boolean;
  readonly hwKeystore: boolean;
}

export const DEFAULT_KEY_FEATURES: KeyFeatures = { globalKeys: true, keyWrap: true, hwKeystore: false };

export const makeKeyId = (type: number, user: number, id: number): number =>
  ((type << 12) & KEYID_TYPE_MASK) | ((user << 8) & KEYID_USER_MASK) | (id & KEYID_ID_MASK);

export const keyType = (keyId: number): number => (keyId & KEYID_TYPE_MASK) >> 12;
export const keyUser = (keyId: number): number => (keyId & KEYID_USER_MASK) >> 8;
export const keyNumber = (keyId: number): number => keyId & KEYID_ID_MASK;

export const isErasedKeyId = (keyId: number): boolean => keyNumber(keyId) === KEYID_ERASED;

/** "Please assign one": ID 0, except SHE slot 0, which is a real key. */
export const isUnassignedKeyId = (keyId: number): boolean => isErasedKeyId(keyId) && keyType(keyId) !== KeyType.SHE;

/** wh_KeyId_TranslateFromClient: a client can name only the ID and the flags its server was built for. */
export function keyIdFromClient(type: number, clientId: number, reqId: number, f: KeyFeatures): number {
  const user = f.globalKeys && reqId & ClientKeyFlag.GLOBAL ? KEYUSER_GLOBAL : clientId;
  let t = type;
  if (f.keyWrap && reqId & ClientKeyFlag.WRAPPED) t = KeyType.WRAPPED;
  if (f.hwKeystore && reqId & ClientKeyFlag.HW) t = KeyType.HW;
  return makeKeyId(t, user, reqId);
}

/** wh_KeyId_TranslateToClient: the ID plus the flags that describe it; USER and other types stay hidden. */
export function keyIdToClient(keyId: number, f: KeyFeatures): number {
  let id = keyNumber(keyId);
  if (f.globalKeys && keyUser(keyId) === KEYUSER_GLOBAL) id |= ClientKeyFlag.GLOBAL;
  if (f.keyWrap && keyType(keyId) === KeyType.WRAPPED) id |= ClientKeyFlag.WRAPPED;
  if (f.hwKeystore && keyType(keyId) === KeyType.HW) id |= ClientKeyFlag.HW;
  return id;
}
