import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listenBare, type BareServer } from '../../src/bench/bare-server.js';
import { HsmClient } from '../../src/client/hsm-client.js';
import { connectTcp } from '../../src/ports/transport/tcp-transport.js';
import { createHsmServer, type HsmServer } from '../../src/server/hsm-server.js';
import { listenTcp, type TcpListener } from '../../src/server/tcp-listener.js';
import { ramFlash } from '../helpers/server-fixture.js';
import { echoFrame } from '../server/wire-helpers.js';

/** Five ECHO frames of different sizes (one empty, one 1 KiB) and sequence numbers. */
const FRAMES = [0, 1, 16, 255, 1024].map((n, i) => echoFrame(100 + i, Uint8Array.from({ length: n }, (_, k) => (k * 7 + i) & 0xff)));
const STREAM = Buffer.concat(FRAMES.map((f) => Buffer.from(f)));

/** Sends `chunks` one write (and one macrotask) apart, and collects `expected` answer bytes. */
async function exchange(port: number, chunks: Uint8Array[], expected: number): Promise<Buffer> {
  const s: Socket = connect({ port, host: '127.0.0.1' });
  s.setNoDelay(true);
  await new Promise<void>((r) => s.once('connect', () => r()));
  const got: Buffer[] = [];
  let size = 0;
  const done = new Promise<Buffer>((resolve, reject) => {
    s.on('data', (c: Buffer) => {
      got.push(c);
      size += c.length;
      if (size >= expected) resolve(Buffer.concat(got));
    });
    s.on('error', reject);
    s.on('close', () => reject(new Error(`closed after ${size} of ${expected} bytes`)));
  });
  for (const c of chunks) {
    s.write(c);
    await new Promise((r) => setTimeout(r, 1));
  }
  const out = await done;
  s.destroy();
  return out;
}

/** The stream cut at every frame boundary's neighbourhood: prefixes and packets split across writes. */
function split(stream: Buffer): Uint8Array[] {
  const cuts = [1, 3, 5, 9, 14, 40, 300, 301, 700, stream.length - 2];
  const out: Uint8Array[] = [];
  let at = 0;
  for (const c of cuts) (out.push(stream.subarray(at, c)), (at = c));
  out.push(stream.subarray(at));
  return out;
}

describe('bench bare server', () => {
  let bare: BareServer | null = null;
  let server: HsmServer | null = null;
  let listener: TcpListener | null = null;
  afterEach(async () => {
    await bare?.close();
    await listener?.close();
    server?.stop();
    bare = server = listener = null;
  });

  async function both(): Promise<{ bare: number; real: number }> {
    bare = await listenBare();
    server = createHsmServer({ flash: ramFlash() });
    listener = await listenTcp(server, { port: 0, host: '127.0.0.1' });
    return { bare: bare.port, real: listener.port };
  }

  it('answers coalesced ECHO frames byte for byte like the real server', async () => {
    const ports = await both();
    const real = await exchange(ports.real, [STREAM], STREAM.length);
    const got = await exchange(ports.bare, [STREAM], STREAM.length);
    expect(real.equals(STREAM)).toBe(true); // the real server's ECHO answer is the request itself
    expect(got.equals(real)).toBe(true);
  });

  it('answers split ECHO frames byte for byte like the real server', async () => {
    const ports = await both();
    const chunks = split(STREAM);
    expect(chunks.length).toBeGreaterThan(FRAMES.length);
    const real = await exchange(ports.real, chunks, STREAM.length);
    const got = await exchange(ports.bare, chunks, STREAM.length);
    expect(got.equals(real)).toBe(true);
  });

  it('lets the project client connect (COMM INIT) and echo', async () => {
    bare = await listenBare();
    const c = new HsmClient(await connectTcp({ host: '127.0.0.1', port: bare.port }));
    expect(await c.commInit(7)).toEqual({ clientId: 7, serverId: 0 });
    const data = Uint8Array.from([1, 2, 3, 4]);
    expect(await c.echo(data)).toEqual(data);
    c.transport.close();
  });

  it('closes the connection on a framing error', async () => {
    bare = await listenBare();
    const s = connect({ port: bare.port, host: '127.0.0.1' });
    const closed = new Promise<void>((r) => s.on('close', () => r()));
    s.on('error', () => {});
    s.write(Uint8Array.from([0, 0, 0, 0])); // length 0: below the header
    await closed;
    expect(s.destroyed).toBe(true);
  });
});
