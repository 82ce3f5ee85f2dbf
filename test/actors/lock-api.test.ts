import { describe, expect, it } from 'vitest';
import { WhError } from '../../src/errors.js';
import { serverNvmLock, serverNvmUnlock, nvmLock, nvmUnlock } from '../../src/actors/nvm-proxy.js';
import { WhLock, type LockConfig } from '../../src/ports/lock/lock.js';
import { LEASE_LOCK_CB, leaseLockConfig } from '../../src/ports/lock/lease-lock.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { testServer } from '../helpers/server-fixture.js';

/** The backends under test: the owner lease, and no config at all (no-op mode). */
function backends() {
  const { server } = testServer();
  return [
    { name: 'lease', server, config: leaseLockConfig(server.owner.connect('custom')) as LockConfig<unknown>, real: true },
    { name: 'no-op (null config)', server, config: null, real: false },
  ];
}

describe('lock API (spec-core 1.4), on both backends', () => {
  for (const b of backends()) {
    it(`${b.name}: lifecycle init → acquire → release → cleanup → BADARGS after cleanup → cleanup again OK`, async () => {
      const lock = new WhLock<unknown>();
      expect(lock.init(b.config)).toBe(WhError.OK);
      expect(await lock.acquire()).toBe(WhError.OK);
      if (b.real) expect(b.server.owner.holder).toBe('custom');
      expect(await lock.release()).toBe(WhError.OK);
      expect(b.server.owner.holder).toBe(null);
      expect(lock.cleanup()).toBe(WhError.OK);
      expect(await lock.acquire()).toBe(WhError.BADARGS);
      expect(await lock.release()).toBe(WhError.BADARGS);
      expect(lock.cleanup()).toBe(WhError.OK);
    });

    it(`${b.name}: an uninitialised lock answers BADARGS to acquire/release and OK to cleanup`, async () => {
      const lock = new WhLock<unknown>();
      expect(await lock.acquire()).toBe(WhError.BADARGS);
      expect(await lock.release()).toBe(WhError.BADARGS);
      expect(lock.cleanup()).toBe(WhError.OK);
      expect(lock.init(b.config)).toBe(WhError.OK);
      expect(lock.isInitialized).toBe(true);
    });

    it(`${b.name}: releasing a lock that is not held: LOCKED from the lease (an error-checking mutex's EPERM), OK in no-op mode`, async () => {
      const lock = new WhLock<unknown>();
      lock.init(b.config);
      expect(await lock.release()).toBe(b.real ? WhError.LOCKED : WhError.OK);
      lock.cleanup();
    });

    it(`${b.name}: NVM with a lock: add "Hello, NVM with lock!" and read it back`, async () => {
      const nvm = b.server.nvmFor(`lock-test-${b.name}`);
      const msg = new TextEncoder().encode('Hello, NVM with lock!\0');
      expect(await nvmLock(nvm)).toBe(WhError.OK);
      expect(await nvm.addObject(makeMetadata({ id: 1 }), msg)).toBe(WhError.OK);
      expect(await nvm.read(1, 0, msg.length)).toEqual({ rc: 0, value: msg });
      expect(await nvmUnlock(nvm)).toBe(WhError.OK);
    });
  }

  it('a NULL-config lock is a no-op: acquire and release are OK', async () => {
    const lock = new WhLock();
    expect(lock.init(null)).toBe(WhError.OK);
    expect(await lock.acquire()).toBe(WhError.OK);
    expect(await lock.acquire()).toBe(WhError.OK);
    expect(await lock.release()).toBe(WhError.OK);
    expect(lock.cleanup()).toBe(WhError.OK);
  });

  it('a failing init callback returns its error and leaves the lock uninitialised, callbacks cleared', async () => {
    let acquired = 0;
    const lock = new WhLock<object>();
    const rc = lock.init({
      cb: { init: () => WhError.NOTREADY, acquire: () => (acquired++, WhError.OK) },
      context: {},
    });
    expect(rc).toBe(WhError.NOTREADY);
    expect(lock.isInitialized).toBe(false);
    expect(await lock.acquire()).toBe(WhError.BADARGS);
    expect(acquired).toBe(0);
  });

  it('missing acquire/release callbacks are OK no-ops; a failing backend gives ABORTED', async () => {
    const bare = new WhLock<object>();
    expect(bare.init({ cb: {}, context: {} })).toBe(WhError.OK);
    expect(await bare.acquire()).toBe(WhError.OK);
    const broken = new WhLock<object>();
    broken.init({
      cb: {
        acquire: () => Promise.reject(new Error('backend died')),
        release: () => {
          throw new Error('backend died');
        },
      },
      context: {},
    });
    expect(await broken.acquire()).toBe(WhError.ABORTED);
    expect(await broken.release()).toBe(WhError.ABORTED);
  });

  it('lease backend: acquire/release before the backend init answer NOTREADY (as the POSIX backend)', async () => {
    const { server } = testServer();
    const ctx = leaseLockConfig(server.owner.connect('x')).context;
    expect(await LEASE_LOCK_CB.acquire!(ctx)).toBe(WhError.NOTREADY);
    expect(await LEASE_LOCK_CB.release!(ctx)).toBe(WhError.NOTREADY);
  });

  it('lease backend: not recursive: the holder acquiring again gets ABORTED, never a deadlock', async () => {
    const { server } = testServer();
    const lock = new WhLock<unknown>();
    lock.init(leaseLockConfig(server.owner.connect('a')) as LockConfig<unknown>);
    expect(await lock.acquire()).toBe(WhError.OK);
    expect(await lock.acquire()).toBe(WhError.ABORTED);
    expect(server.owner.holder).toBe('a');
    expect(await lock.release()).toBe(WhError.OK);
  });

  it('lease backend: cleanup while holding revokes the lease', async () => {
    const { server } = testServer();
    const a = new WhLock<unknown>();
    a.init(leaseLockConfig(server.owner.connect('a')) as LockConfig<unknown>);
    await a.acquire();
    const b = server.nvmFor('b');
    const waiting = b.lock.acquire();
    a.cleanup();
    expect(await waiting).toBe(WhError.OK);
    expect(server.owner.holder).toBe('b');
  });

  it('lease backend: after the owner stops, acquire answers ABORTED', async () => {
    const { server } = testServer();
    const nvm = server.nvmFor('late');
    server.stop();
    expect(await nvm.lock.acquire()).toBe(WhError.ABORTED);
    expect((await nvm.getAvailable()).rc).toBe(WhError.ABORTED);
  });

  it('server helpers: BADARGS without a server, OK without an NVM, the NVM lock otherwise', async () => {
    const { server } = testServer();
    expect(await serverNvmLock(null)).toBe(WhError.BADARGS);
    expect(await serverNvmUnlock(null)).toBe(WhError.BADARGS);
    expect(await serverNvmLock({ nvm: null })).toBe(WhError.OK);
    expect(await serverNvmUnlock({ nvm: null })).toBe(WhError.OK);
    const s = { nvm: server.nvmFor('srv') };
    expect(await serverNvmLock(s)).toBe(WhError.OK);
    expect(server.owner.holder).toBe('srv');
    expect(await serverNvmUnlock(s)).toBe(WhError.OK);
    expect(await nvmLock(null)).toBe(WhError.BADARGS);
  });
});
