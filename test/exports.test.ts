import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { import: string } | string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe('package entry points (subpath exports for separate audiences)', () => {
  it('maps ".", "./lin" and "./testing" to their own entry files', () => {
    expect(Object.keys(pkg.exports).sort()).toEqual(['.', './lin', './package.json', './testing']);
    expect(pkg.exports['./lin']).toMatchObject({ import: './dist/lin/index.js' });
    expect(pkg.exports['./testing']).toMatchObject({ import: './dist/testing/index.js' });
  });

  it('the server entry has no checker and no testing primitives; each lives in its own subpath', async () => {
    const root = await import('../src/index.js');
    const lin = await import('../src/lin/index.js');
    const testing = await import('../src/testing/index.js');
    expect('createHsmServer' in root && 'HsmClient' in root && 'RamFlash' in root).toBe(true);
    expect('checkOperations' in root || 'runPhase' in root || 'testingOwnerOps' in root).toBe(false);
    expect(typeof lin.checkOperations).toBe('function');
    expect(typeof testing.runPhase).toBe('function');
    expect(Object.keys(testing.testingOwnerOps)).toContain('key.cacheUnchecked');
  });

  it('a production server does not run the testing primitives', async () => {
    const { createHsmServer, RamFlash } = await import('../src/index.js');
    const { testingOwnerOps } = await import('../src/testing/index.js');
    const { KeyCache } = await import('../src/keystore/key-cache.js');
    const { makeMetadata } = await import('../src/nvm/metadata.js');
    const args = { local: new KeyCache(), meta: makeMetadata({ id: 5, len: 1 }), data: new Uint8Array([1]) };
    const plain = createHsmServer({ flash: new RamFlash({ size: 2 * 16384, sectorSize: 16384, pageSize: 8 }) });
    const nvm = plain.nvmFor('x');
    expect(await nvm.client.call('key.cacheUnchecked' as never, args as never)).toEqual({ rc: -2002 });
    expect(plain.metrics().failures.owner).toBe(1);
    const testing = createHsmServer({ flash: new RamFlash({ size: 2 * 16384, sectorSize: 16384, pageSize: 8 }), extraOps: testingOwnerOps });
    expect(await testing.nvmFor('x').client.call('key.cacheUnchecked' as never, args as never)).toEqual({ rc: 0 });
  });

  it('fast-check is a development dependency: production code does not use it', () => {
    expect(pkg.dependencies['fast-check']).toBeUndefined();
    expect(pkg.devDependencies['fast-check']).toBeDefined();
  });
});
