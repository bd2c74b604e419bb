// LOG_FORMAT=pretty: pino's JSON lines as short readable ones for a developer's terminal (not for production).
import { styleText } from 'node:util';

const LEVELS: Readonly<Record<number, { name: string; color: Parameters<typeof styleText>[0] }>> = {
  10: { name: 'TRACE', color: 'gray' },
  20: { name: 'DEBUG', color: 'blue' },
  30: { name: 'INFO', color: 'green' },
  40: { name: 'WARN', color: 'yellow' },
  50: { name: 'ERROR', color: 'red' },
  60: { name: 'FATAL', color: 'magenta' },
};

/** Fields every line has, shown in the line's head or not at all. */
const HEAD_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'err']);

const fieldValue = (value: unknown) =>
  typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);

/** One pino JSON line as `HH:MM:SS.mmm LEVEL message key=value ...`, an error's stack below it. */
export function formatPrettyLine(line: string, { colors }: { colors: boolean }): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  const paint = (color: Parameters<typeof styleText>[0], text: string) => (colors ? styleText(color, text) : text);
  const level = LEVELS[entry.level as number] ?? { name: String(entry.level), color: 'white' };
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const fields = Object.entries(entry)
    .filter(([key, value]) => !HEAD_FIELDS.has(key) && value !== undefined)
    .map(([key, value]) => `${paint('gray', `${key}=`)}${fieldValue(value)}`);
  const head = [paint('gray', time), paint(level.color, level.name.padEnd(5)), String(entry.msg ?? ''), ...fields];
  const err = entry.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n${paint('red', err.stack ?? err.message ?? JSON.stringify(err))}` : '';
  return `${head.join(' ')}${stack}\n`;
}
