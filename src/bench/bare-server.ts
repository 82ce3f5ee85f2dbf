import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CommAction, Group, kind } from '../protocol/groups.js';
import { DEFAULT_DATA_LEN, HEADER_SIZE, decodePacket, encodePacket } from '../protocol/header.js';
import { CommInitResponse } from '../protocol/messages/comm.js';
import { FrameDecoder, encodeFrame } from '../protocol/tcp-framing.js';

export interface BareServer {
  readonly port: number;
  close(): Promise<void>;
}

const COMM_INIT = kind(Group.COMM, CommAction.INIT);

/**
 * The answer to one packet: COMM INIT gets its fixed-size response (so the project's
 * clients can connect), every other packet is sent back unchanged, which is what the
 * real server answers to ECHO.
 */
export function bareAnswer(packet: Uint8Array): Uint8Array {
  const p = decodePacket(packet);
  if (p && p.header.kind === COMM_INIT && p.payload.length >= 4) {
    const clientId = new DataView(p.payload.buffer, p.payload.byteOffset, 4).getUint32(0, p.header.littleEndian);
    return encodePacket(p.header, CommInitResponse.encode({ clientId, serverId: 0 }, p.header.littleEndian));
  }
  return packet;
}

/**
 * The ceiling for Node on this machine: a plain node:net server speaking wolfHSM's
 * TCP framing with no actors, handlers or sessions. Used only by the bench.
 */
export function listenBare(port = 0, host = '127.0.0.1'): Promise<BareServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder(HEADER_SIZE + DEFAULT_DATA_LEN);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of decoder.push(chunk)) {
        if ('error' in ev) return void socket.destroy();
        socket.write(encodeFrame(bareAnswer(ev.frame)));
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
