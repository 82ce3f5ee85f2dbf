import type { Socket } from 'node:net';
import { Subject } from 'rxjs';
import { FRAME_PREFIX, FrameDecoder, encodeFrame } from '../../protocol/tcp-framing.js';
import type { ServerTransport } from './transport.js';

export interface TcpServerTransportOptions {
  /** Largest packet accepted: header + DATA_LEN. */
  readonly mtu: number;
  /** A frame not whole this long after its first byte closes the connection (0: never). */
  readonly partialFrameTimeoutMs?: number;
  /**
   * No request for this long closes the connection (0: never). Counted from the
   * last answer handed to the socket (or from accept), never while a request is served.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Received bytes held before reading pauses (default: two largest frames).
   * Raised to one largest frame if smaller, or a big frame could never complete.
   */
  readonly maxBufferedBytes?: number;
  /** Told once, with the reason, when the connection ends (for whatever reason). */
  readonly onClose?: (reason: string) => void;
}

/** What one connection holds and whether it is being read: for tests and diagnostics. */
export interface ConnectionFlow {
  /** Received bytes not yet handed to the session (undecoded requests). */
  readonly bufferedBytes: number;
  readonly peakBufferedBytes: number;
  /** A request has been handed to the session and its answer is not back yet. */
  readonly serving: boolean;
  /** The socket's write buffer is above its high-water mark (the peer is not reading). */
  readonly writeBlocked: boolean;
  /** Reading from the socket is paused (backpressure). */
  readonly readPaused: boolean;
  /** Times reading was paused. */
  readonly pauses: number;
  /** Requests handed to the session. */
  readonly requests: number;
  /** Most requests ever handed over and not yet answered at once (lockstep: 1). */
  readonly peakUnanswered: number;
  readonly bytesRead: number;
}

export interface TcpServerTransport extends ServerTransport {
  readonly flow: ConnectionFlow;
}

/** Keep-alive probes find peers that vanished without a FIN (powered off, cable pulled). */
const KEEPALIVE_MS = 60_000;

/** How long a closing socket may take to flush its last answer (COMM CLOSE) before it is cut. */
const LINGER_MS = 1000;

/** Closes at once, unless an answer is still queued: then it gets a short while to flush. */
function closeSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (socket.writableLength === 0) {
    socket.destroy();
    return;
  }
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/**
 * The server end of one TCP connection as a ServerTransport, in wolfHSM's
 * lockstep: a request is decoded and handed on only once the previous answer is
 * written, and only while the socket's write buffer is below its high-water mark.
 * Undecoded bytes are bounded (reading pauses), so a client that pipelines and
 * never reads costs a few frames of memory and no service time beyond its own
 * turn. Bad framing, a stalled frame, idleness or a vanished peer ends this
 * connection only; undecoded requests of an ended connection are dropped.
 */
export function tcpServerTransport(socket: Socket, opts: TcpServerTransportOptions): TcpServerTransport {
  const packets = new Subject<Uint8Array>();
  const decoder = new FrameDecoder(opts.mtu);
  const largestFrame = FRAME_PREFIX + opts.mtu;
  const maxBuffered = Math.max(opts.maxBufferedBytes ?? 2 * largestFrame, largestFrame);
  const partialMs = opts.partialFrameTimeoutMs ?? 0;
  const idleMs = opts.idleTimeoutMs ?? 0;

  let closeReason: string | undefined;
  let serving = false;
  let nextScheduled = false;
  let writeBlocked = false;
  let readPaused = false;
  let pauses = 0;
  let requests = 0;
  let answers = 0;
  let peakUnanswered = 0;
  let peakBuffered = 0;
  /** When the frame now at the head of the decoder started (its first byte, or when it became the head). */
  let headSince = 0;
  let timer: { kind: 'idle' | 'partial'; since: number; handle: NodeJS.Timeout } | null = null;

  const finish = (reason: string) => {
    if (closeReason !== undefined) return;
    closeReason = reason;
    if (timer) clearTimeout(timer.handle);
    timer = null;
    opts.onClose?.(reason);
    closeSocket(socket);
    packets.complete();
  };

  /** Pause reading while the peer is not taking answers or enough is already held. */
  const updateReading = () => {
    const pause = writeBlocked || decoder.bufferedBytes >= maxBuffered;
    if (pause && !readPaused) {
      readPaused = true;
      pauses++;
      socket.pause();
    } else if (!pause && readPaused) {
      readPaused = false;
      socket.resume();
    }
  };

  /**
   * At most one deadline runs: none while a request is served; the partial-frame
   * deadline (from the head frame's start, never re-armed per chunk) while a frame
   * is coming in; otherwise the idle timeout, from the moment the connection
   * became idle.
   */
  const wantedTimer = (): 'idle' | 'partial' | null => {
    if (serving || nextScheduled) return null;
    if (!writeBlocked && decoder.midFrame) return partialMs > 0 ? 'partial' : null;
    return idleMs > 0 ? 'idle' : null;
  };
  const updateTimer = () => {
    const kind = wantedTimer();
    const since = kind === 'partial' ? headSince : timer?.kind === kind ? timer.since : Date.now();
    if (timer && timer.kind === kind && timer.since === since) return;
    if (timer) clearTimeout(timer.handle);
    timer = null;
    if (kind === null) return;
    const ms = kind === 'partial' ? partialMs : idleMs;
    const reason = kind === 'partial' ? `partial frame deadline: frame not whole ${ms} ms after its first byte` : `idle timeout: no request for ${ms / 1000} s`;
    timer = { kind, since, handle: setTimeout(() => finish(reason), Math.max(0, since + ms - Date.now())) };
  };

  /** Hands the next whole request to the session, if it may have one now. */
  const deliver = () => {
    nextScheduled = false;
    if (closeReason !== undefined) return;
    if (!serving && !writeBlocked) {
      const ev = decoder.next();
      if (ev && 'error' in ev) return finish(`bad frame: ${ev.error}`);
      if (ev) {
        headSince = Date.now();
        serving = true;
        requests++;
        peakUnanswered = Math.max(peakUnanswered, requests - answers);
        packets.next(ev.frame);
        if (closeReason !== undefined) return;
      }
    }
    updateReading();
    updateTimer();
  };

  socket.setNoDelay(true);
  socket.setKeepAlive(true, KEEPALIVE_MS);
  socket.on('data', (chunk: Buffer) => {
    if (closeReason !== undefined) return;
    if (decoder.bufferedBytes === 0) headSince = Date.now();
    decoder.append(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    peakBuffered = Math.max(peakBuffered, decoder.bufferedBytes);
    deliver();
  });
  socket.on('drain', () => {
    writeBlocked = false;
    deliver();
  });
  socket.on('end', () => finish('peer disconnected'));
  socket.on('close', () => finish('peer disconnected'));
  socket.on('error', (e: NodeJS.ErrnoException) =>
    finish(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? `peer disconnected (${e.code})` : `socket error: ${e.message}`),
  );
  updateTimer();

  return {
    packets$: packets.asObservable(),
    send(packet) {
      if (closeReason !== undefined) return;
      serving = false;
      answers++;
      if (!socket.write(encodeFrame(packet))) writeBlocked = true;
      // The next request waits for a turn of the event loop, so one connection's
      // backlog cannot keep the others' I/O waiting.
      if (!nextScheduled && decoder.bufferedBytes > 0 && !writeBlocked) {
        nextScheduled = true;
        setImmediate(deliver);
      }
      updateReading();
      updateTimer();
    },
    close: (reason = 'closed by server') => finish(reason),
    get closeReason() {
      return closeReason;
    },
    get flow(): ConnectionFlow {
      return {
        bufferedBytes: decoder.bufferedBytes,
        peakBufferedBytes: peakBuffered,
        serving,
        writeBlocked,
        readPaused,
        pauses,
        requests,
        peakUnanswered,
        bytesRead: socket.bytesRead,
      };
    },
  };
}
