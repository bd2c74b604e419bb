import { type DestinationStream, type Logger, pino } from 'pino';
import { formatPrettyLine } from './log-pretty.js';
import { requestLogFields } from './request-scope.js';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

/**
 * The process's logger. Lines written while a request is served carry its `requestId`.
 * `json` (production) writes pino's JSON lines asynchronously; `pretty` (a developer's
 * terminal) writes short readable lines.
 */
export function createLogger(level: string, format: LogFormat = 'json'): Logger {
  const options = { level, base: { service: 'deletion-gateway' }, mixin: requestLogFields };
  if (format === 'json') return pino(options);
  const colors = process.stdout.isTTY === true;
  const pretty: DestinationStream = { write: (line) => process.stdout.write(formatPrettyLine(line, { colors })) };
  return pino(options, pretty);
}
