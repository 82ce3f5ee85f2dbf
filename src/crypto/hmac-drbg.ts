import { createHmac, randomBytes } from 'node:crypto';

/**
 * HMAC_DRBG with SHA-256 (NIST SP 800-90A rev. 1, 10.1.2), without prediction
 * resistance or additional input: the server's RNG. Seeded from the OS, reseeded
 * from the OS every `reseedInterval` requests; a fixed seed makes it reproducible
 * (tests only: `HmacDrbg.fromSeed`).
 */
export class HmacDrbg {
  private k: Uint8Array = new Uint8Array(32);
  private v: Uint8Array = new Uint8Array(32).fill(1);
  private requests = 0;

  private constructor(
    seedMaterial: Uint8Array,
    private readonly reseedFrom: (() => Uint8Array) | null,
    private readonly reseedInterval: number,
  ) {
    this.update(seedMaterial);
  }

  /** Seeded from the operating system's CSPRNG (entropy 32 bytes, nonce 16). */
  static fromOs(reseedInterval = 10_000): HmacDrbg {
    return new HmacDrbg(randomBytes(48), () => randomBytes(32), reseedInterval);
  }

  /** Reproducible: instantiate from `entropy || nonce || personalization`, never reseeded. */
  static fromSeed(entropy: Uint8Array, nonce: Uint8Array = new Uint8Array(0), personalization: Uint8Array = new Uint8Array(0)): HmacDrbg {
    return new HmacDrbg(Buffer.concat([entropy, nonce, personalization]), null, Number.POSITIVE_INFINITY);
  }

  private hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
    const h = createHmac('sha256', key);
    for (const p of parts) h.update(p);
    return new Uint8Array(h.digest());
  }

  /** HMAC_DRBG_Update. */
  private update(data: Uint8Array | null): void {
    this.k = this.hmac(this.k, this.v, Uint8Array.of(0), ...(data ? [data] : []));
    this.v = this.hmac(this.k, this.v);
    if (!data || data.length === 0) return;
    this.k = this.hmac(this.k, this.v, Uint8Array.of(1), data);
    this.v = this.hmac(this.k, this.v);
  }

  reseed(entropy: Uint8Array): void {
    this.update(entropy);
    this.requests = 0;
  }

  /** HMAC_DRBG_Generate of `n` bytes. */
  generate(n: number): Uint8Array {
    if (this.reseedFrom && this.requests >= this.reseedInterval) this.reseed(this.reseedFrom());
    const out = new Uint8Array(n);
    for (let off = 0; off < n; off += 32) {
      this.v = this.hmac(this.k, this.v);
      out.set(this.v.subarray(0, Math.min(32, n - off)), off);
    }
    this.update(null);
    this.requests++;
    return out;
  }
}
