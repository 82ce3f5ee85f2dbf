import { describe, expect, it } from 'vitest';
import { hsmDigest, maxInlineInput } from '../../src/client/crypto/hash.js';
import { ALGORITHMS, BLOCK, hashServer, hex, nodeDigest, unhex } from './hash-fixture.js';

const text = (s: string) => new TextEncoder().encode(s);
const ABC = text('abc');
const MSG448 = text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
const MSG896 = text('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu');
const MILLION_A = new Uint8Array(1_000_000).fill(0x61);

/** Published digests (FIPS 180-4 / FIPS 202 examples, NIST "SHA example" documents). */
const PUBLISHED: Record<string, [Uint8Array, string][]> = {
  sha224: [[ABC, '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'], [MSG448, '75388b16512776cc5dba5da1fd890150b0c6455cb4f58b1952522525']],
  sha256: [
    [ABC, 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [MSG448, '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    [MILLION_A, 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ],
  sha384: [[ABC, 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7']],
  sha512: [
    [ABC, 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
    [MSG896, '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909'],
    [MILLION_A, 'e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b'],
  ],
  'sha512-224': [[ABC, '4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa']],
  'sha512-256': [[ABC, '53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23']],
  'sha3-224': [[ABC, 'e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf']],
  'sha3-256': [
    [new Uint8Array(0), 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a'],
    [ABC, '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532'],
    [MILLION_A, '5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1'],
  ],
  'sha3-384': [[ABC, 'ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25']],
  'sha3-512': [[ABC, 'b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0']],
};

/** CAVP byte-oriented ShortMsg entries (SHA256ShortMsg.rsp, SHA3_256ShortMsg.rsp): empty, one byte, around a block, two blocks. */
const CAVP: Record<string, [string, string][]> = {
  sha256: [
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['9e', '35af2d15ebde4d67b29569ec19749e813c76f02286afc5a2a9871c2bfbdaab32'],
    ['177df9f1768f798c8ec59a1f36ed02856a62b090403090511e794d932b1867a90383856aaff60c79d4cef0ca2a33cb6130f92c5d1fc831', '34416b20eef5474b6602ef98fb0b5f018086805b7b2df3ef1d4635502f631642'],
    ['08f645ff0f9a765593bd419ff60a308d3b4e70e816388577455d3c1f237ee14d7b0eb3999aef95a3a87d064138cd53dd1d360b187f11b4b3', '76f082a9a8e45c02a376ee1b42629cfb5db30e0ba1632f19cd28c96363f9da66'],
    ['c3e81f34b716b165addda4fce195ba39e3a496ccf44f3746b3d0c0cef9a87a1501361b8ccc8949d4c3735a759fde5ed486635f5f7619e70be7abc300acae07', '2775a3f9bb46a4fda00eef650b45db52a8e8c948b6eff3b7a8206544de4f3ba0'],
    ['3d007ab1483de3511ce9a7edc7a9610bcacac0ec6f3d7cb45de08fcc6a00a185b01bc4fee3ea6147e29e72c68b6bf2dad44392bf17e4aeb2ae147f55c02b9254', 'b9e850d487a74e6b8e07330b7648b6c1aa84cdcc16b238c96d47613de313e2f9'],
  ],
  'sha3-256': [
    ['e9', 'f0d04dd1e6cfc29a4460d521796852f25d9ef8d28b44ee91ff5b759d72c1e6d6'],
    ['c178ce0f720a6d73c6cf1caa905ee724d5ba941c2e2628136e3aad7d853733ba', '64537b87892835ff0963ef9ad5145ab4cfce5d303a0cb0415b3b03f9d16e7d6b'],
    ['ca88614828f8acdb5fcffab6bb2fb62d932b7808e4d9cc3139a835b0cef471d9f4d8ffc4b744dffebf4f997e74ce80db662538bceb5d768f0a77077e9700149ea0e6a46a088a62717216a14b60119dd19c31038ed870b4709161c6c339c5cc60945a582263f3be9a40cd1a04c921947900f6e266f2390f3c970f7b69', 'fe2d4183ccdaa816b4446a9b6c07d0ba4b42ac743599db5dc482b1941f443c71'],
    ['56ea14d7fcb0db748ff649aaa5d0afdc2357528a9aad6076d73b2805b53d89e73681abfad26bee6c0f3d20215295f354f538ae80990d2281be6de0f6919aa9eb048c26b524f4d91ca87b54c0c54aa9b54ad02171e8bf31e8d158a9f586e92ffce994ecce9a5185cc80364d50a6f7b94849a914242fcb73f33a86ecc83c3403630d20650ddb8cd9c4', '4beae3515ba35ec8cbd1d94567e22b0d7809c466abfbafe9610349597ba15b45'],
  ],
};

describe('HASH known answers through the whole stack (client → wire → handler → engine)', () => {
  it.each(Object.entries(PUBLISHED))('%s: FIPS 180-4 / FIPS 202 examples', async (algorithm, cases) => {
    const { client } = hashServer().connect();
    for (const [msg, md] of cases) {
      const r = await hsmDigest(client, algorithm as never, msg);
      expect({ len: msg.length, rc: r.rc, md: r.digest && hex(r.digest) }).toEqual({ len: msg.length, rc: 0, md });
    }
  });

  it.each(Object.entries(CAVP))('%s: CAVP ShortMsg entries', async (algorithm, cases) => {
    const { client } = hashServer().connect();
    for (const [msg, md] of cases) {
      const r = await hsmDigest(client, algorithm as never, unhex(msg));
      expect({ msg, md: r.digest && hex(r.digest) }).toEqual({ msg, md });
    }
  });

  it.each(ALGORITHMS)('%s: the million "a" spans several requests of the largest inline size and matches node:crypto', async (algorithm) => {
    const { client, counter } = hashServer().connect();
    const r = await hsmDigest(client, algorithm, MILLION_A);
    expect(r.rc).toBe(0);
    expect(hex(r.digest!)).toBe(nodeDigest(algorithm, MILLION_A));
    // The whole blocks in requests of the largest inline size (the last one shorter), then the final with the tail.
    const wholeBlocks = Math.floor(1_000_000 / BLOCK[algorithm]) * BLOCK[algorithm];
    expect(counter.requests).toBe(Math.ceil(wholeBlocks / maxInlineInput(algorithm)) + 1);
  });

  it.each(ALGORITHMS)('%s: the 448- and 896-bit examples and lengths around the block agree with node:crypto', async (algorithm) => {
    const { client } = hashServer().connect();
    for (const msg of [ABC, MSG448, MSG896, new Uint8Array(0), ...[55, 56, 63, 64, 65, 71, 72, 103, 104, 111, 112, 127, 128, 135, 136, 143, 144, 145, 1000].map((n) => new Uint8Array(n).fill(n))]) {
      const r = await hsmDigest(client, algorithm, msg);
      expect({ len: msg.length, md: r.digest && hex(r.digest) }).toEqual({ len: msg.length, md: nodeDigest(algorithm, msg) });
    }
  });
});
