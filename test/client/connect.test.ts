import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HsmClient, TransportClosedError, TransportTimeoutError } from '../../src/index.js';
import { listenTcp, type TcpListener } from '../../src/server/tcp-listener.js';
import { testServer } from '../helpers/server-fixture.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A plain TCP server doing `onSocket` with each connection (a server that hangs or hangs up). */
async function rawServer(onSocket: (s: Socket) => void): Promise<number> {
  const sockets: Socket[] = [];
  const srv: Server = createServer((s) => {
    sockets.push(s);
    onSocket(s);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((r) => srv.close(() => r()));
  });
  return (srv.address() as { port: number }).port;
}

describe('HsmClient.connect: scripting the HSM from Node over TCP', () => {
  it('connects, does COMM INIT with the given id and serves requests', async () => {
    const { server } = testServer();
    const listener: TcpListener = await listenTcp(server, { port: 0 });
    cleanups.push(async () => {
      await listener.close();
      await server.close();
    });
    const client = await HsmClient.connect({ port: listener.port, clientId: 7 });
    expect(await client.echo(new Uint8Array([1, 2, 3]))).toEqual(new Uint8Array([1, 2, 3]));
    expect((await client.commInfo()).dataLen).toBe(8192);
    client.transport.close();
  });

  it('a server that never answers: the request fails with a timeout error and the connection closes', async () => {
    const port = await rawServer(() => {}); // accepts, reads nothing, answers nothing
    const err = await HsmClient.connect({ port, requestTimeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportTimeoutError);
    expect(String((err as Error).message)).toMatch(/no answer from 127\.0\.0\.1:\d+ within 200 ms/);
  });

  it('a server that hangs up: a clear error naming it; nothing listening: connection refused', async () => {
    const port = await rawServer((s) => s.destroy());
    const err = await HsmClient.connect({ port }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportClosedError);
    expect(String((err as Error).message)).toContain(`127.0.0.1:${port} closed the connection`);
    const closed = await rawServer(() => {});
    await cleanups.pop()!(); // stop it: nothing listens on that port any more
    await expect(HsmClient.connect({ port: closed, connectTimeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
