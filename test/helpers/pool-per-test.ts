import { afterEach } from 'vitest';
import { PoolEngine, type PoolEngineOptions } from '../../src/crypto/pool-engine.js';

/** Opens a PoolEngine for the running test and closes it after the test, so its worker threads never outlive it. */
export function poolPerTest(): (options: PoolEngineOptions) => PoolEngine {
  let engine: PoolEngine | null = null;
  afterEach(async () => {
    await engine?.close();
    engine = null;
  });
  return (options) => (engine = new PoolEngine(options));
}
