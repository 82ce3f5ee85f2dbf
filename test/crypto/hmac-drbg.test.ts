import { describe, expect, it } from 'vitest';
import { HmacDrbg } from '../../src/crypto/hmac-drbg.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('HMAC_DRBG SHA-256 (SP 800-90A), the server RNG', () => {
  it('NIST CAVS HMAC_DRBG SHA-256, no reseed, no personalization, count 0: the second 1024-bit output', () => {
    const d = HmacDrbg.fromSeed(hex('ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488'), hex('659ba96c601dc69fc902940805ec0ca8'));
    d.generate(128);
    expect(Buffer.from(d.generate(128)).toString('hex')).toBe(
      'e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc107694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8',
    );
  });

  it('a fixed seed is reproducible; the OS-seeded generator is not', () => {
    const a = HmacDrbg.fromSeed(new Uint8Array(32).fill(1));
    const b = HmacDrbg.fromSeed(new Uint8Array(32).fill(1));
    expect(a.generate(40)).toEqual(b.generate(40));
    expect(HmacDrbg.fromOs().generate(32)).not.toEqual(HmacDrbg.fromOs().generate(32));
  });
});
