import { connect, type Socket } from 'node:net';
import { HsmClient } from '../../src/client/hsm-client.js';
import { connectTcp } from '../../src/ports/transport/tcp-transport.js';
import { createHsmServer, type HsmServerOptions } from '../../src/server/hsm-server.js';
import { listenTcp, type TcpListenOptions } from '../../src/server/tcp-listener.js';
import { ramFlash } from './server-fixture.js';

/** An HsmServer listening on an ephemeral loopback port. */
export async function tcpServer(opts: Partial<HsmServerOptions> = {}, listen: TcpListenOptions = {}) {
  const server = createHsmServer({ flash: ramFlash(64 * 1024), ...opts });
  const lines: string[] = [];
  const listener = await listenTcp(server, { port: 0, log: (l) => lines.push(l), ...listen });
  const client = async () => new HsmClient(await connectTcp({ port: listener.port }));
  const stop = async () => {
    await listener.close();
    server.stop();
  };
  return { server, listener, client, lines, stop };
}

/** A raw socket for sending arbitrary bytes; resolves once connected. */
export function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves when the peer has closed `s` (or after `ms`, with false). */
export function closedWithin(s: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (s.destroyed || s.readableEnded) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    s.on('close', () => (clearTimeout(t), resolve(true)));
    s.on('end', () => (clearTimeout(t), resolve(true)));
    s.on('error', () => (clearTimeout(t), resolve(true)));
  });
}
