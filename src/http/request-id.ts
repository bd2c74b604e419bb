import { randomUUID } from 'node:crypto';

// A request's id: the caller's when it sends a usable one, so logs join across services.

/** An `x-request-id` longer than this is not taken (it goes into every log line). */
export const MAX_REQUEST_ID_LENGTH = 128;

/** Letters, digits and `-._~:/+=@`: no spaces, quotes or control characters to forge log output with. */
const SAFE_REQUEST_ID = new RegExp(`^[A-Za-z0-9\\-._~:/+=@]{1,${MAX_REQUEST_ID_LENGTH}}$`);

/** W3C Trace Context: version-traceid-parentid-flags, lower-case hex; later versions may append fields. */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/** The caller's `x-request-id` when it is safe to log, else null. */
export function validRequestId(value: string | null | undefined): string | null {
  return value && SAFE_REQUEST_ID.test(value) ? value : null;
}

/** The trace id of a valid W3C `traceparent` header, else null. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  const m = traceparent ? TRACEPARENT.exec(traceparent.trim()) : null;
  if (!m) return null;
  const [, version, traceId, parentId, rest] = m;
  // ff is forbidden; version 00 has exactly four fields; zero ids are invalid
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZEROS.test(traceId!) || ALL_ZEROS.test(parentId!)) return null;
  return traceId!;
}

/**
 * The id of a request: its `x-request-id` when valid, else the trace id of its `traceparent`,
 * else a new UUID.
 */
export function requestIdOf(header: (name: 'x-request-id' | 'traceparent') => string | null | undefined): string {
  return validRequestId(header('x-request-id')) ?? traceIdOf(header('traceparent')) ?? randomUUID();
}
