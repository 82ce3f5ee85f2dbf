import { HsmClient } from '../client/hsm-client.js';
import { makeMetadata } from '../nvm/metadata.js';
import { RamFlash } from '../ports/flash/ram-flash.js';
import { connectTcp } from '../ports/transport/tcp-transport.js';
import { createHsmServer } from '../server/hsm-server.js';
import { listenTcp } from '../server/tcp-listener.js';

export interface TcpBenchFlags {
  readonly ops: number;
  readonly clients: readonly number[];
  readonly rounds: number;
}

type Workload = { name: string; run: (c: HsmClient) => Promise<unknown> };
const PAYLOAD = new Uint8Array(16).fill(0x42);
const WORKLOADS: Workload[] = [
  { name: 'echo 16 B', run: (c) => c.echo(PAYLOAD) },
  { name: 'nvm read 16 B', run: (c) => c.nvmRead(1, 0, 16) },
];

async function rate(clients: HsmClient[], total: number, run: (c: HsmClient) => Promise<unknown>): Promise<number> {
  const per = Math.ceil(total / clients.length);
  const t0 = performance.now();
  await Promise.all(clients.map(async (c) => {
    for (let i = 0; i < per; i++) await run(c);
  }));
  return (per * clients.length) / ((performance.now() - t0) / 1000);
}

/** Whole requests over loopback TCP beside the same workload over the in-memory transport. */
export async function tcpBench(flags: TcpBenchFlags, fmt: (n: number) => string): Promise<void> {
  console.log('\nwhole requests over TCP (loopback) beside the in-memory transport (requests/s, best of rounds)');
  console.log('workload        clients       memory          tcp   tcp/memory');
  const server = createHsmServer({ flash: new RamFlash({ size: 2 * 131072, sectorSize: 131072, pageSize: 8 }) });
  await server.nvmFor('setup').addObject(makeMetadata({ id: 1 }), new Uint8Array(16).fill(7));
  const listener = await listenTcp(server, { port: 0, maxClients: 64 });
  const total = Math.max(2000, Math.floor(flags.ops / 4));
  try {
    for (const w of WORKLOADS) {
      for (const n of flags.clients) {
        const mem = Array.from({ length: n }, () => new HsmClient(server.connectMemory().client));
        const tcp = await Promise.all(Array.from({ length: n }, async () => new HsmClient(await connectTcp({ port: listener.port }))));
        let bestMem = 0;
        let bestTcp = 0;
        for (let r = 0; r <= flags.rounds; r++) {
          const m = await rate(mem, total, w.run);
          const t = await rate(tcp, total, w.run);
          if (r > 0) (bestMem = Math.max(bestMem, m)), (bestTcp = Math.max(bestTcp, t)); // round 0 warms up
        }
        console.log(`${w.name.padEnd(15)} ${String(n).padStart(4)} ${fmt(bestMem)}  ${fmt(bestTcp)}   ${(bestTcp / bestMem).toFixed(2).padStart(6)}`);
        for (const c of [...mem, ...tcp]) c.transport.close();
      }
    }
  } finally {
    await listener.close();
    server.stop();
  }
}
