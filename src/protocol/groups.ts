/** Message groups and actions (wh_message.h and the per-group headers). */
export const Group = {
  NONE: 0x0000,
  COMM: 0x0100,
  NVM: 0x0200,
  KEY: 0x0300,
  CRYPTO: 0x0400,
  IMAGE: 0x0500,
  PKCS11: 0x0600,
  SHE: 0x0700,
  COUNTER: 0x0800,
  RESERVED: 0x0900,
  CUSTOM: 0x0a00,
  CRYPTO_DMA: 0x0b00,
  CERT: 0x0c00,
  AUTH: 0x0d00,
} as const;

export const CommAction = { NONE: 0x00, INIT: 0x01, KEEPALIVE: 0x02, CLOSE: 0x03, INFO: 0x04, ECHO: 0x05 } as const;

export const NvmAction = {
  INIT: 0x01,
  CLEANUP: 0x02,
  GETAVAILABLE: 0x03,
  ADDOBJECT: 0x04,
  LIST: 0x05,
  GETMETADATA: 0x06,
  DESTROYOBJECTS: 0x07,
  READ: 0x08,
  ADDOBJECTDMA: 0x24,
  READDMA: 0x28,
} as const;

export const KeyAction = {
  CACHE: 0,
  EVICT: 1,
  EXPORT: 2,
  COMMIT: 3,
  ERASE: 4,
  REVOKE: 5,
  CACHE_DMA: 6,
  EXPORT_DMA: 7,
  KEYWRAP: 8,
  KEYUNWRAPEXPORT: 9,
  KEYUNWRAPCACHE: 10,
  DATAWRAP: 11,
  DATAUNWRAP: 12,
  EXPORT_PUBLIC: 13,
  EXPORT_PUBLIC_DMA: 14,
  CACHE_RANDOM: 15,
  KEYWRAPEXPORT: 16,
} as const;

export const CounterAction = { INIT: 0, INCREMENT: 1, READ: 2, DESTROY: 3 } as const;

export const kind = (group: number, action: number): number => (group & 0xff00) | (action & 0xff);
