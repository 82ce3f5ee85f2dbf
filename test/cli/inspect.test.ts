import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HsmClient } from '../../src/client/hsm-client.js';
import { DEFAULT_INSPECT_PORT, SERVE_DEFAULTS, parseServeFlags, serve } from '../../src/cli/serve.js';
import { makeMetadata } from '../../src/nvm/metadata.js';
import { connectTcp } from '../../src/ports/transport/tcp-transport.js';

interface Message {
  type: string;
  name?: string;
  sessionId?: string;
  event?: { type?: string };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** Every form a byte array could take in JSON: hex, base64, a number list, a Uint8Array's {"0":..} object. */
function bytePatterns(bytes: Uint8Array): string[] {
  const list = Array.from(bytes.subarray(0, 8));
  return [
    Buffer.from(bytes).toString('hex'),
    Buffer.from(bytes).toString('base64').slice(0, 16),
    list.join(','),
    `"0":${list[0]},"1":${list[1]},"2":${list[2]}`,
  ];
}

async function startWithInspector() {
  const lines: string[] = [];
  const running = await serve({ ...SERVE_DEFAULTS, port: 0, flash: 'ram', inspectPort: 0 }, (l) => lines.push(l));
  cleanups.push(() => running.stop());
  return { running, lines, inspectPort: running.inspectPort! };
}

/** A real WebSocket client collecting every inspection message. */
async function viewer(port: number, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}`, { headers });
  const raw: string[] = [];
  ws.on('message', (d) => raw.push(String(d)));
  await new Promise<void>((resolve, reject) => (ws.once('open', () => resolve()), ws.once('error', reject)));
  cleanups.push(() => ws.close());
  const closed = new Promise<void>((r) => ws.once('close', () => r()));
  const until = async (pred: (m: Message) => boolean): Promise<void> => {
    for (let i = 0; i < 500; i++) {
      if (raw.some((r) => pred(JSON.parse(r) as Message))) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error('inspection message never arrived');
  };
  return { raw, until, closed };
}

describe('actorhsm serve --inspect', () => {
  it('parses --inspect with and without a port, and ACTORHSM_INSPECT', () => {
    expect(parseServeFlags(['--inspect'])).toMatchObject({ inspectPort: DEFAULT_INSPECT_PORT });
    expect(parseServeFlags(['--inspect', '--port', '9'])).toMatchObject({ inspectPort: DEFAULT_INSPECT_PORT, port: 9 });
    expect(parseServeFlags(['--inspect', '0'])).toMatchObject({ inspectPort: 0 });
    expect(parseServeFlags(['--inspect=9100'])).toMatchObject({ inspectPort: 9100 });
    expect(parseServeFlags([], { ACTORHSM_INSPECT: 'on' })).toMatchObject({ inspectPort: DEFAULT_INSPECT_PORT });
    expect(parseServeFlags([], { ACTORHSM_INSPECT: '9101' })).toMatchObject({ inspectPort: 9101 });
    expect(parseServeFlags(['--inspect', 'x'])).toMatch(/--inspect/);
    expect(parseServeFlags([])).not.toHaveProperty('inspectPort');
  });

  it('a WebSocket viewer sees the owner and a session over TCP, never the key or object bytes; stopping closes it', async () => {
    const { running, lines, inspectPort } = await startWithInspector();
    expect(lines.some((l) => l.includes(`http://127.0.0.1:${inspectPort}/`) && l.includes('inspector'))).toBe(true);
    const view = await viewer(inspectPort);

    const key = Uint8Array.from({ length: 32 }, (_, i) => 0xa5 ^ (i * 7));
    const object = Uint8Array.from({ length: 32 }, (_, i) => 0x3c ^ (i * 11));
    const client = new HsmClient(await connectTcp({ port: running.port }));
    await client.commInit(7);
    expect((await client.keyCache(1, key)).rc).toBe(0);
    expect(await client.nvmAddObject(makeMetadata({ id: 5 }), object)).toBe(0);
    expect(await client.nvmRead(5, 0, 32)).toEqual({ rc: 0, data: object });
    expect((await client.keyExport(1)).data).toEqual(key);
    await view.until((m) => m.type === '@xstate.event' && m.event?.type === 'op');
    await view.until((m) => m.type === '@xstate.snapshot' && m.sessionId !== undefined);
    await client.close();

    const messages = view.raw.map((r) => JSON.parse(r) as Message);
    const names = messages.filter((m) => m.type === '@xstate.actor').map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['nvmOwner', 'clientSession']));
    expect(messages.filter((m) => m.type === '@xstate.event' && m.event?.type === 'request').length).toBeGreaterThanOrEqual(4);
    // The payloads went through, as their length only.
    expect(view.raw.some((r) => r.includes('<32 bytes>'))).toBe(true);
    for (const pattern of [...bytePatterns(key), ...bytePatterns(object)]) {
      expect(view.raw.filter((r) => r.includes(pattern))).toEqual([]);
    }

    await running.stop();
    await view.closed;
    await expect(viewer(inspectPort)).rejects.toThrow();
  });

  it('a late viewer gets the actors replayed; a foreign web page is refused', async () => {
    const { running, inspectPort } = await startWithInspector();
    const client = new HsmClient(await connectTcp({ port: running.port }));
    await client.commInit(3);
    await client.close();
    const late = await viewer(inspectPort);
    await late.until((m) => m.type === '@xstate.actor' && m.name === 'clientSession');
    await late.until((m) => m.type === '@xstate.actor' && m.name === 'nvmOwner');
    await expect(viewer(inspectPort, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    const own = await viewer(inspectPort, { origin: `http://127.0.0.1:${inspectPort}` });
    await own.until((m) => m.type === '@xstate.actor');
  });
});
