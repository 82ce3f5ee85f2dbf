import { isIPv4, isIPv6 } from 'node:net';

/**
 * True when `host` can only be reached from this machine: 127.0.0.0/8, ::1 (also
 * IPv4-mapped), or the name localhost. wolfHSM's TCP transport has neither
 * authentication nor encryption, so anything else deserves a warning.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (isIPv6(h)) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    if (mapped) return mapped[1]!.startsWith('127.');
    return h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h);
  }
  return false;
}
