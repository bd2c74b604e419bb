import net from 'node:net';

// HTTP/1.1 written by hand over a TCP socket: a request reaches the server exactly as written
// (bad percent-encoding, control bytes in headers, duplicate or lying framing headers), which
// fetch and node:http refuse to send. One request per connection (`Connection: close`).

export interface RawRequest {
  method: string;
  /** the request-target as written on the request line */
  target: string;
  /** written in order (UTF-8); `host` and `connection` are added unless given */
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  /** the whole head as written instead of the one built from the fields above (request-line tests) */
  rawHead?: string;
}

export interface RawResponse {
  /** 0: the connection closed without a complete status line */
  status: number;
  headers: Array<[string, string]>;
  /** the decoded body (chunked framing removed); for an event stream, what arrived up to its first whole event */
  body: Buffer;
  /** the connection closed before the response was complete */
  truncated: boolean;
  /** an event stream that sent no event (a live subscription waiting for one): read up to then, and closed */
  openStream?: boolean;
}

/** How long an event stream with no event yet may stay quiet before the client closes it as an open stream. */
const STREAM_QUIET_MS = 500;

/** The first value of a header, by case-insensitive name. */
export const header = (res: Pick<RawResponse, 'headers'>, name: string): string | undefined =>
  res.headers.find(([n]) => n.toLowerCase() === name)?.[1];

/** Sends one request and reads its response; an event stream is read up to its first event and then closed. */
export function sendRaw(port: number, req: RawRequest, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let settled = false;
    let quiet: NodeJS.Timeout | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(quiet);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no complete answer within ${timeoutMs} ms`))),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(encodeRequest(req, port)));
    socket.on('data', (data) => {
      chunks.push(data);
      const received = Buffer.concat(chunks);
      const parsed = parseResponse(received, req.method, false);
      if (parsed) return finish(() => resolve(parsed));
      const partial = parseResponse(received, req.method, true);
      if (partial && /^text\/event-stream/i.test(header(partial, 'content-type') ?? '')) {
        // a stream may rightly send nothing for long (no deletion yet): once quiet, it counts as open
        clearTimeout(quiet);
        quiet = setTimeout(
          () => finish(() => resolve({ ...partial, truncated: false, openStream: true })),
          STREAM_QUIET_MS,
        );
      }
    });
    // The server may reset a connection it refused while the rest of the request was still sent.
    socket.on('error', () => finish(() => resolve(closedResponse(Buffer.concat(chunks), req.method))));
    socket.on('close', () => finish(() => resolve(closedResponse(Buffer.concat(chunks), req.method))));
  });
}

function encodeRequest(req: RawRequest, port: number): Buffer {
  const body = req.body ?? Buffer.alloc(0);
  if (req.rawHead !== undefined) return Buffer.concat([Buffer.from(req.rawHead, 'latin1'), body]);
  return Buffer.concat([Buffer.from(encodeHead(req, port), 'utf8'), body]);
}

/** The head sendRaw writes for `req` (not for a `rawHead` one): request line, headers, blank line. */
export function encodeHead(req: RawRequest, port: number): string {
  const bodyLength = req.body?.length ?? 0;
  const names = new Set(req.headers.map(([n]) => n.toLowerCase()));
  const lines = [`${req.method} ${req.target} HTTP/1.1`];
  if (!names.has('host')) lines.push(`Host: 127.0.0.1:${port}`);
  if (!names.has('connection')) lines.push('Connection: close');
  for (const [name, value] of req.headers) lines.push(`${name}: ${value}`);
  if (!names.has('content-length') && !names.has('transfer-encoding') && bodyLength > 0) {
    lines.push(`Content-Length: ${bodyLength}`);
  }
  // header values as UTF-8, as clients send them (obs-text); control bytes only where written
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function closedResponse(data: Buffer, method: string): RawResponse {
  return parseResponse(data, method, true) ?? { status: 0, headers: [], body: data, truncated: true };
}

/** The response in `data` once complete (or, when `closed`, as far as it came); null while more is due. */
function parseResponse(data: Buffer, method: string, closed: boolean): RawResponse | null {
  const end = data.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = data.subarray(0, end).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '');
  if (!status) return closed ? { status: 0, headers: [], body: data, truncated: true } : null;
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
  });
  const code = Number(status[1]);
  const rest = data.subarray(end + 4);
  // an interim answer (100 Continue to `Expect: 100-continue`): the final one follows
  if (code >= 100 && code < 200 && code !== 101) return parseResponse(rest, method, closed);
  const res = { status: code, headers, truncated: false };
  if (method === 'HEAD' || code === 204 || code === 304 || code === 101) {
    return { ...res, body: Buffer.alloc(0) };
  }
  const stream = /^text\/event-stream/i.test(header(res, 'content-type') ?? '');
  const chunked = /chunked/i.test(header(res, 'transfer-encoding') ?? '');
  const length = header(res, 'content-length');
  let body: Buffer;
  let complete: boolean;
  if (chunked) ({ body, complete } = dechunk(rest));
  else if (length !== undefined) {
    body = rest.subarray(0, Number(length));
    complete = rest.length >= Number(length);
  } else {
    body = rest;
    complete = false; // delimited by the close
  }
  if (stream && hasEvent(body.toString('utf8'))) return { ...res, body };
  if (complete) return { ...res, body };
  return closed ? { ...res, body, truncated: !(length === undefined && !chunked) } : null;
}

/** An event stream has delivered a whole event (a keep-alive comment such as `:` is none). */
const hasEvent = (text: string) =>
  text
    .split('\n\n')
    .slice(0, -1)
    .some((block) => block.split('\n').some((line) => line.startsWith('data:')));

function dechunk(data: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) return { body: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (Number.isNaN(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: true };
    const start = lineEnd + 2;
    if (data.length < start + size) {
      parts.push(data.subarray(start));
      return { body: Buffer.concat(parts), complete: false };
    }
    parts.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
}
