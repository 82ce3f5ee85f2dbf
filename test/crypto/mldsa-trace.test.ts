import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WcAlgo, WcPk } from '../../src/crypto/wolfcrypt.js';
import { Group, kind } from '../../src/protocol/groups.js';
import { readTrace } from '../helpers/trace.js';

const PQC_TYPES = new Set<number>([
  WcPk.PQC_KEM_KEYGEN,
  WcPk.PQC_KEM_ENCAPS,
  WcPk.PQC_KEM_DECAPS,
  WcPk.PQC_SIG_KEYGEN,
  WcPk.PQC_SIG_SIGN,
  WcPk.PQC_SIG_VERIFY,
  WcPk.PQC_SIG_CHECK_PRIV_KEY,
]);

describe('golden traces and the PQC PK types (18-24)', () => {
  it('the recorded builds had ML-DSA and ML-KEM compiled out: no trace carries one of their requests (nothing to replay byte-exact)', () => {
    const dir = fileURLToPath(new URL('../fixtures/traces/', import.meta.url));
    let pkRequests = 0;
    const pqc: string[] = [];
    for (const name of readdirSync(dir).filter((f) => f.endsWith('.trace'))) {
      for (const e of readTrace(dir + name)) {
        if (e.t !== 'frame' || e.dir !== 'C->S' || e.header.kind !== kind(Group.CRYPTO, WcAlgo.PK)) continue;
        pkRequests++;
        const algoType = new DataView(e.bytes.buffer, e.bytes.byteOffset + 8).getUint32(0, true);
        if (PQC_TYPES.has(algoType)) pqc.push(`${name}:${e.line}`);
      }
    }
    expect(pkRequests).toBeGreaterThan(100); // the traces do exercise the PK class
    expect(pqc).toEqual([]);
  });
});
