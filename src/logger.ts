import { type DestinationStream, type Logger, pino } from 'pino';
import { formatPrettyLine } from './log-pretty.js';
import { requestLogFields } from './request-scope.js';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * Lines are written to stdout in chunks of about this size: a write per line (one per request)
 * cost more of the event loop's time than serialising it.
 */
const WRITE_CHUNK_BYTES = 4096;
/** The longest a line waits for its chunk to fill. */
const WRITE_DELAY_MS = 50;

/**
 * stdout written asynchronously in chunks. A line is written at the latest WRITE_DELAY_MS after
 * it was logged; at exit pino writes what is left (a SIGKILL loses at most that much).
 */
function chunkedStdout(): DestinationStream {
  const out = pino.destination({ dest: 1, sync: false, minLength: WRITE_CHUNK_BYTES });
  let timer: NodeJS.Timeout | null = null;
  // A flush while a chunk is being written does nothing: flush again once it is done. (Not
  // flush(callback): that also fsyncs.)
  const flush = () => {
    timer = null;
    out.flush();
    out.once('drain', () => out.flush());
  };
  return {
    write(line: string) {
      out.write(line);
      if (timer) return;
      timer = setTimeout(flush, WRITE_DELAY_MS);
      timer.unref();
    },
  };
}

/**
 * The process's logger. Lines written while a request is served carry its `requestId`.
 * `json` (production) writes pino's JSON lines; `pretty` (a developer's terminal) writes short
 * readable lines.
 */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const options = { level, base: { service: 'deletion-gateway' }, mixin: requestLogFields };
  if (format === 'json') return pino(options, chunkedStdout());
  const colors = process.stdout.isTTY === true;
  const pretty: DestinationStream = { write: (line) => process.stdout.write(formatPrettyLine(line, { colors })) };
  return pino(options, pretty);
}
