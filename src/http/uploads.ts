// GraphQL multipart requests (file uploads): limits applied while the body is read, and a
// malformed body answered 400 (Yoga alone answers some with 200 and a bad `map` with 500).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

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
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (!requestParser || !isMultipart(request)) return;
      const parseOperations = requestParser;
      setRequestParser(async (req) => {
        checkForm(await readForm(req, limits));
        return parseOperations(req);
      });
    },
  };
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
