// GraphQL multipart requests (file uploads): limits applied while the body is read, and a
// malformed body answered 400 (Yoga alone answers some with 200 and a bad `map` with 500).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type FetchAPI, withCheckedBody } from './request-body.js';

export interface MultipartLimits {
  /** MAX_UPLOAD_BYTES: the largest file */
  maxFileBytes: number;
  /** MAX_UPLOAD_FILES: files in one request */
  maxFiles: number;
  /** MAX_JSON_BYTES: the largest text field (`operations` carries the variables, `map` the paths) */
  maxJsonBytes: number;
}

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

const tooLarge = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } } });

type FormDataWithLimits = (options: {
  formDataLimits: { fileSize: number; files: number; fieldSize: number };
}) => Promise<FormData>;

/**
 * Reads a multipart body once, with the limits, and checks its `operations` and `map` before
 * Yoga's own multipart parser maps the files into the variables (it reads the same, cached
 * form). On Node, Yoga's requests read bodies with busboy and take the limits per call: an
 * oversized file or one file too many stops the read there, before anything is stored.
 */
export function useMultipartUploads(limits: MultipartLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (!requestParser || !isMultipart(request)) return;
      const parseOperations = requestParser;
      setRequestParser(async (req) => {
        const checked = withCheckedParts(req, fetchAPI);
        checkForm(await readForm(checked, limits));
        return parseOperations(checked);
      });
    },
  };
}

/**
 * RFC 7578: every part is `Content-Disposition: form-data` with a name. Busboy skips any other
 * part, and a skipped part larger than its 16 KB buffer stalls the read for good (the request
 * never answers), so such a part is refused as the body streams past, before busboy sees it.
 */
function withCheckedParts(request: Request, fetchAPI: FetchAPI): Request {
  const boundary = /\bboundary=(?:"([^"]+)"|([^;\s]+))/i.exec(request.headers.get('content-type') ?? '');
  // without one (or with `boundary=` empty, on which busboy stalls too) no part can be found
  if (!boundary) throw badRequest('The multipart body could not be read: its Content-Type has no boundary');
  if (!request.body) return request;
  const parts = new PartHeaders(boundary[1] ?? boundary[2]!);
  return withCheckedBody(
    request,
    (chunk) => {
      const problem = parts.push(chunk);
      return problem ? badRequest(problem) : null;
    },
    fetchAPI,
  );
}

const CRLF = Buffer.from('\r\n');
const BLANK_LINE = Buffer.from('\r\n\r\n');
/** busboy's own limit of a part's header block: a longer one it refuses itself */
const MAX_PART_HEAD_BYTES = 80 * 1024;

/** Follows a multipart body chunk by chunk; each part's header block is checked once it is whole. */
export class PartHeaders {
  private readonly delimiter: Buffer;
  /** bytes not yet decided; the first delimiter of a body has no CRLF before it */
  private pending: Buffer = CRLF;
  private state: 'delimiter' | 'head' | 'done' = 'delimiter';
  private part = 0;

  constructor(boundary: string) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  /** Why the body breaks RFC 7578 so far, or null. */
  push(chunk: Uint8Array): string | null {
    if (this.state === 'done') return null;
    let data = Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (this.state === 'delimiter') {
        const at = data.indexOf(this.delimiter);
        const after = at + this.delimiter.length;
        const lineEnd = at < 0 ? -1 : data.indexOf(CRLF, after);
        if (lineEnd < 0) {
          // keep what may be the start of a delimiter (or of its line)
          this.pending = at < 0 ? data.subarray(Math.max(0, data.length - this.delimiter.length)) : data.subarray(at);
          if (this.pending.length > MAX_PART_HEAD_BYTES) this.state = 'done';
          return null;
        }
        if (data.subarray(after, after + 2).toString('latin1') === '--') {
          this.state = 'done'; // the close delimiter: what follows is an epilogue
          return null;
        }
        data = data.subarray(lineEnd + 2);
        this.state = 'head';
        this.part++;
      }
      // a head without header fields is the blank line alone
      const end = data.subarray(0, 2).equals(CRLF) ? 0 : data.indexOf(BLANK_LINE);
      if (end < 0) {
        this.pending = data;
        if (data.length > MAX_PART_HEAD_BYTES) this.state = 'done';
        return null;
      }
      const problem = dispositionProblem(data.subarray(0, end).toString('latin1'), this.part);
      if (problem) return problem;
      data = data.subarray(end === 0 ? 2 : end + BLANK_LINE.length);
      this.state = 'delimiter';
    }
  }
}

function dispositionProblem(head: string, part: number): string | null {
  const field = head.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  if (field === undefined) return `Multipart part ${part} has no Content-Disposition header`;
  const value = field.slice(field.indexOf(':') + 1);
  if (/[\r\n]/.test(value)) return `Multipart part ${part} has a bare line break in its Content-Disposition`;
  if (!/^\s*form-data\s*(;|$)/i.test(value)) return `Multipart part ${part} is not Content-Disposition: form-data`;
  return null;
}

export function isMultipart(request: Request): boolean {
  return request.method === 'POST' && /^multipart\/form-data\b/i.test(request.headers.get('content-type') ?? '');
}

async function readForm(req: Request, limits: MultipartLimits): Promise<FormData> {
  try {
    return await (req.formData as unknown as FormDataWithLimits).call(req, {
      formDataLimits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fieldSize: limits.maxJsonBytes },
    });
  } catch (err) {
    // Yoga's own body size limit, or the client going away: answered as they are.
    if (err instanceof GraphQLError || (err as Error)?.name === 'AbortError') throw err;
    const message = String((err as Error)?.message ?? err);
    if (message.startsWith('File size limit exceeded')) {
      throw tooLarge(`An uploaded file is larger than ${limits.maxFileBytes} bytes (MAX_UPLOAD_BYTES)`);
    }
    if (message.startsWith('Files limit exceeded')) {
      throw tooLarge(`A request may carry at most ${limits.maxFiles} files (MAX_UPLOAD_FILES)`);
    }
    if (message.startsWith('Field value size exceeded')) {
      throw tooLarge(`A multipart field is larger than ${limits.maxJsonBytes} bytes (MAX_JSON_BYTES)`);
    }
    // the parser's own words describe its internals, not the request
    throw badRequest(
      'The multipart body could not be read: it is not multipart/form-data with a boundary, part headers and a closing delimiter',
    );
  }
}

/** The multipart request spec's shape: `operations` is a GraphQL request, `map` names file parts. */
function checkForm(form: FormData): void {
  const operations = form.get('operations');
  if (typeof operations !== 'string') throw badRequest('Multipart field "operations" is missing or not a text field');
  const parsed = parseJson(operations);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Multipart field "operations" must be the JSON object of a GraphQL request');
  }
  const map = form.get('map');
  if (map === null) return;
  if (typeof map !== 'string') throw badRequest('Multipart field "map" must be a text field');
  const entries = parseJson(map);
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) {
    throw badRequest('Multipart field "map" must be a JSON object of file part names to arrays of paths');
  }
  for (const [part, paths] of Object.entries(entries)) {
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.startsWith('variables.'))) {
      throw badRequest(`Multipart field "map" must give part ${JSON.stringify(part)} an array of "variables." paths`);
    }
    const file = form.get(part);
    if (file === null || typeof file === 'string') {
      throw badRequest(`Multipart field "map" names part ${JSON.stringify(part)}, which is not a file part`);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
