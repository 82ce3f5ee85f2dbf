import { destination, pino, stdTimeFunctions, type DestinationStream } from 'pino';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What serve and the TCP listener log through: one human-readable line per event. */
export type LogLine = (line: string) => void;

/** The level a serve line deserves, from the prefix serve already gives warnings and errors. */
function levelOf(line: string): 'error' | 'warn' | 'info' {
  if (line.startsWith('error:') || line.startsWith('flash: write failed')) return 'error';
  if (line.startsWith('warning:')) return 'warn';
  return 'info';
}

/**
 * The server's log. 'text' (default): `ISO-time line`, for a terminal. 'json': one
 * pino JSON object per line (level, time, msg), for log collectors; written
 * synchronously so nothing is lost when the process exits after a signal.
 */
export function createLogger(format: LogFormat, out: DestinationStream = process.stdout): LogLine {
  if (format === 'text') return (line) => void out.write(`${new Date().toISOString()} ${line}\n`);
  const logger = pino({ base: { name: 'actorhsm' }, timestamp: stdTimeFunctions.isoTime }, out === process.stdout ? destination({ dest: 1, sync: true }) : out);
  return (line) => logger[levelOf(line)](line);
}
