import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInspector } from '@statelyai/inspect';
import { WebSocket, WebSocketServer } from 'ws';
import type { InspectionEvent, Observer } from 'xstate';
import { redactBytes } from '../actors/redact-inspection.js';

const STATELY_INSPECTOR_URL = 'https://stately.ai/inspect';
/** A viewer that connects late still gets every live actor's definition and the latest events. */
const REPLAY_ACTORS = 500;
const REPLAY_EVENTS = 200;

export interface InspectServer {
  readonly host: string;
  readonly port: number;
  /** The page that embeds Stately's inspector and feeds it this server's events. */
  readonly pageUrl: string;
  /** Raw Stately inspection messages (the @statelyai/inspect WebSocket protocol), one JSON text per frame. */
  readonly wsUrl: string;
  /** Hand this to createHsmServer({ inspect }). */
  readonly inspect: Observer<InspectionEvent>;
  close(): Promise<void>;
}

/** Stately's inspector takes events by postMessage from the page that embeds it; this page relays them from our socket. */
const bridgePage = (): string => `<!DOCTYPE html>
<html><head><title>actorhsm inspector</title>
<style>html,body,iframe{margin:0;width:100%;height:100%;border:0}</style></head>
<body><iframe id="i" src="${STATELY_INSPECTOR_URL}"></iframe>
<script>
const frame = document.getElementById('i'); const held = []; let ready = false;
addEventListener('message', (e) => {
  if (e.data && e.data.type === '@statelyai.connected') { ready = true; held.splice(0).forEach((m) => frame.contentWindow.postMessage(m, '*')); }
});
new WebSocket('ws://' + location.host).onmessage = (e) => {
  const m = JSON.parse(e.data); if (ready) frame.contentWindow.postMessage(m, '*'); else held.push(m);
};
</script></body></html>`;

/** JSON with byte arrays as their length, again: @statelyai/inspect builds its actor message from the actor's live snapshot, past the server's redactor. */
function toJson(event: unknown): string {
  return JSON.stringify(redactBytes(event), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Serves xstate inspection on 127.0.0.1 only: a bridge page for Stately's inspector
 * and a WebSocket of @statelyai/inspect messages. Viewers only listen; a browser may
 * connect only from this server's own page (a WebSocket is not bound by the
 * same-origin policy, so any site could otherwise read the events).
 */
export async function startInspectServer(port: number): Promise<InspectServer> {
  const host = '127.0.0.1';
  const http = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(bridgePage());
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, host, () => (http.off('error', reject), resolve()));
  });
  const bound = (http.address() as AddressInfo).port;
  const ownOrigins = new Set([`http://${host}:${bound}`, `http://localhost:${bound}`]);
  const wss = new WebSocketServer({
    server: http,
    verifyClient: ({ req }: { req: IncomingMessage }, done: (ok: boolean, code?: number) => void) =>
      done(req.headers.origin === undefined || ownOrigins.has(req.headers.origin), 403),
  });
  const actors = new Map<string, string>();
  const recent: string[] = [];
  wss.on('connection', (socket) => {
    for (const m of [...actors.values(), ...recent]) socket.send(m);
  });
  const inspector = createInspector({
    send(event) {
      const json = toJson(event);
      if (event.type === '@xstate.actor') {
        actors.set(event.sessionId, json);
        if (actors.size > REPLAY_ACTORS) actors.delete(actors.keys().next().value!);
      } else if (recent.push(json) > REPLAY_EVENTS) recent.shift();
      for (const c of wss.clients) if (c.readyState === WebSocket.OPEN) c.send(json);
    },
  });
  return {
    host,
    port: bound,
    pageUrl: `http://${host}:${bound}/`,
    wsUrl: `ws://${host}:${bound}`,
    inspect: inspector.inspect,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => http.close(() => r()));
    },
  };
}
