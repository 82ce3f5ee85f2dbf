import { DEFAULT_DATA_LEN } from '../protocol/header.js';
import type { KeyCacheConfig } from '../keystore/key-cache.js';
import { DEFAULT_KEY_FEATURES, type KeyFeatures } from '../keystore/key-id.js';

/** Settings a client can observe (COMM INFO) or that bound request sizes. */
export interface ServerConfig {
  /** Reported in COMM INIT and NVM INIT (the example server uses 57). */
  readonly serverId: number;
  /** WOLFHSM_CFG_COMM_DATA_LEN: the largest payload. */
  readonly dataLen: number;
  readonly nvmObjectCount: number;
  readonly keyCacheCount: number;
  readonly keyCacheBufSize: number;
  readonly keyCacheBigCount: number;
  readonly keyCacheBigBufSize: number;
  readonly customCbCount: number;
  readonly dmaAddrCount: number;
  /** Key id features the server is built with (global keys, wrapped and hardware flags). */
  readonly keyFeatures: KeyFeatures;
}

/** The configuration of wolfHSM's POSIX example server, whose traces we replay. */
export const EXAMPLE_SERVER_CONFIG: ServerConfig = {
  serverId: 57,
  dataLen: DEFAULT_DATA_LEN,
  nvmObjectCount: 30,
  keyCacheCount: 9,
  keyCacheBufSize: 256,
  keyCacheBigCount: 3,
  keyCacheBigBufSize: 1200,
  customCbCount: 6,
  dmaAddrCount: 10,
  keyFeatures: DEFAULT_KEY_FEATURES,
};

export function serverConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...EXAMPLE_SERVER_CONFIG, ...overrides };
}

/** The key cache geometry a ServerConfig describes (local and global caches alike). */
export function keyCacheConfig(c: ServerConfig): KeyCacheConfig {
  return { count: c.keyCacheCount, bufSize: c.keyCacheBufSize, bigCount: c.keyCacheBigCount, bigBufSize: c.keyCacheBigBufSize };
}
