// Seed 002: parser results, hard-deleted with all their rows and stored files; the files' blobs are unlinked after commit.
import { blobDeleteTasksSql } from '../blobs/after-commit.js';
import type { BlobStore, UploadedFile } from '../blobs/store.js';
import { removeBlobs, type StoredUpload, storeUploads, UploadTooLargeError } from '../blobs/store-uploads.js';
import type { Db, PrismaClient } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { newParserRequestId } from '../ids.js';
import type { Logger } from '../logger.js';
import { hasControlCharacter } from '../util/text.js';
import { ConflictError, NotFoundError, ValidationError } from './errors.js';
import { type IdempotencyKeyReusedError, keyFor, type SentKey, withIdempotency } from './idempotency.js';
import type { BackendDeletion, DeletedColumns, Deleter } from './pipeline.js';

export interface UploadLimits {
  /** MAX_UPLOAD_BYTES: the largest file */
  maxFileBytes: number;
  /** MAX_UPLOAD_FILES: files per result */
  maxFiles: number;
}

export interface ParserResultDeps {
  prisma: PrismaClient;
  blobs: BlobStore;
  log: Logger;
  limits: UploadLimits;
  /** the pipeline's deleter for parser results (parserResultDeletion) */
  deleter: Deleter<DeletedParserResultRow>;
}

/** Which result: request ids are unique per workspace only. */
export interface ParserResultKey {
  workspaceId: string;
  requestId: string;
}

export interface ParserResult extends ParserResultKey {
  createdAt: Date;
}

export interface ParserFile {
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

export interface ParserResultContent extends ParserResult {
  files: ParserFile[];
  data: unknown;
}

export interface DeleteParserResultPayload {
  success: true;
  message: string;
  requestId: string;
  deletedFiles: number;
  deletedRows: number;
  deletedBytes: number;
}

const NOT_FOUND = 'Parser result not found';
const MAX_REQUEST_ID_LENGTH = 255;
const MAX_FILE_NAME_BYTES = 1024;

/** Why `id` cannot be a request id, or null. Ids are opaque; they only have to fit a text key. */
function requestIdProblem(id: string): string | null {
  if (id.length === 0 || id.length > MAX_REQUEST_ID_LENGTH) {
    return `requestId must be 1 to ${MAX_REQUEST_ID_LENGTH} characters`;
  }
  if (hasControlCharacter(id)) return 'requestId must not contain control characters';
  return null;
}

// ---- data as rows ------------------------------------------------------------------------

export interface DataRow {
  /** the top-level property the element belongs to; '' when `data` itself is the array */
  key: string;
  ord: number;
  /** the element as JSON text */
  value: string;
}

/**
 * A result's `data` as it is stored: the elements of its top-level arrays (its pages, fields,
 * tables, rows) are rows of their own, so a result of 10,000 rows is 10,000 rows; the rest is
 * the head, in which each array stays in its place, empty, so the order of keys survives.
 */
export function splitData(data: unknown): { head: unknown; rows: DataRow[] } {
  const rows: DataRow[] = [];
  const take = (key: string, elements: unknown[]) => {
    for (const [ord, element] of elements.entries()) rows.push({ key, ord, value: JSON.stringify(element ?? null) });
  };
  if (Array.isArray(data)) {
    take('', data);
    return { head: [], rows };
  }
  if (data === null || typeof data !== 'object') return { head: data, rows };
  const head: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (Array.isArray(value)) take(key, value);
    defineOwn(head, key, Array.isArray(value) ? [] : value);
  }
  return { head, rows };
}

/** The inverse of splitData: `arrays` holds each key's elements in order. */
export function joinData(head: unknown, arrays: ReadonlyMap<string, unknown[]>): unknown {
  if (Array.isArray(head)) return arrays.get('') ?? [];
  if (head === null || typeof head !== 'object') return head;
  const data = head as Record<string, unknown>;
  for (const [key, elements] of arrays) defineOwn(data, key, elements);
  return data;
}

// A key such as "__proto__" is data here, never a prototype.
function defineOwn(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

// ---- reads -------------------------------------------------------------------------------

export async function findParserResult(db: Db, workspaceId: string, requestId: string): Promise<ParserResult | null> {
  if (requestIdProblem(requestId)) return null;
  return db.parserResult.findUnique({
    where: { workspaceId_requestId: { workspaceId, requestId } },
    select: { workspaceId: true, requestId: true, createdAt: true },
  });
}

/** Batch function for a DataLoader: each result's files in upload order. */
export async function loadParserFiles(db: Db, keys: readonly ParserResultKey[]): Promise<ParserFile[][]> {
  const files = await db.parserFile.findMany({
    where: { OR: keys.map((k) => ({ workspaceId: k.workspaceId, requestId: k.requestId })) },
    orderBy: [{ workspaceId: 'asc' }, { requestId: 'asc' }, { ord: 'asc' }],
  });
  const byResult = new Map<string, ParserFile[]>();
  for (const f of files) {
    const list = byResult.get(keyOf(f)) ?? [];
    list.push({
      name: Buffer.from(f.name).toString('utf8'),
      size: Number(f.size),
      sha256: f.sha256,
      contentType: f.contentType,
    });
    byResult.set(keyOf(f), list);
  }
  return keys.map((k) => byResult.get(keyOf(k)) ?? []);
}

/** Batch function for a DataLoader: each result's `data`, joined from its head and rows in one statement. */
export async function loadParserData(db: Db, keys: readonly ParserResultKey[]): Promise<unknown[]> {
  const found = await db.$queryRaw<{ workspace_id: string; request_id: string; head: string; arrays: string | null }[]>`
    SELECT p.workspace_id, p.request_id, p.data::text AS head,
           (SELECT json_object_agg(g.key, g.elements)::text
              FROM (SELECT x.key, json_agg(x.value ORDER BY x.ord) AS elements
                      FROM parser_result_row x
                     WHERE x.workspace_id = p.workspace_id AND x.request_id = p.request_id
                     GROUP BY x.key) g) AS arrays
      FROM parser_result p
      JOIN unnest(${keys.map((k) => k.workspaceId)}::text[], ${keys.map((k) => k.requestId)}::text[]) AS k(w, r)
        ON p.workspace_id = k.w AND p.request_id = k.r`;
  const byResult = new Map(
    found.map((r) => {
      const arrays = new Map(Object.entries((r.arrays ? JSON.parse(r.arrays) : {}) as Record<string, unknown[]>));
      return [keyOf({ workspaceId: r.workspace_id, requestId: r.request_id }), joinData(JSON.parse(r.head), arrays)];
    }),
  );
  return keys.map((k) => byResult.get(keyOf(k)) ?? null);
}

const keyOf = (k: ParserResultKey) => `${k.workspaceId}\u0000${k.requestId}`;

/** The whole result (REST's GET /files): its files and data. */
export async function readParserResult(
  db: Db,
  workspaceId: string,
  requestId: string,
): Promise<ParserResultContent | NotFoundError> {
  const result = await findParserResult(db, workspaceId, requestId);
  if (!result) return new NotFoundError(NOT_FOUND);
  const [[files], [data]] = await Promise.all([loadParserFiles(db, [result]), loadParserData(db, [result])]);
  return { ...result, files: files!, data };
}

// ---- create ------------------------------------------------------------------------------

/**
 * Stores the files as blobs, then the result with its rows and files in one statement. Nothing
 * of a refused or failed create stays: blobs already written are removed again (and a crash in
 * between leaves only unreferenced blobs, which the blob sweep removes).
 */
export async function createParserResult(
  deps: ParserResultDeps,
  workspaceId: string,
  input: { requestId?: string | null; files: readonly UploadedFile[]; data: unknown },
): Promise<ParserResultContent | ValidationError | ConflictError> {
  const requestId = input.requestId ?? newParserRequestId();
  const idProblem = requestIdProblem(requestId);
  if (idProblem) return new ValidationError(idProblem, 'requestId');
  if (input.data === undefined || input.data === null) return new ValidationError('data is required', 'data');
  const { maxFiles, maxFileBytes } = deps.limits;
  if (input.files.length > maxFiles) {
    return new ValidationError(`A result may have at most ${maxFiles} files (MAX_UPLOAD_FILES)`, 'files');
  }
  for (const file of input.files) {
    if (Buffer.byteLength(file.name) > MAX_FILE_NAME_BYTES) {
      return new ValidationError(`File names may be at most ${MAX_FILE_NAME_BYTES} bytes long`, 'files');
    }
  }
  // the keys of top-level arrays name their rows, in a text column that cannot hold U+0000
  if (
    input.data !== null &&
    typeof input.data === 'object' &&
    Object.keys(input.data).some((k) => k.includes('\u0000'))
  ) {
    return new ValidationError('The keys of data must not contain the NUL character (U+0000)', 'data');
  }
  if (await findParserResult(deps.prisma, workspaceId, requestId)) return conflict(requestId);

  let stored: StoredUpload[];
  try {
    stored = await storeUploads(deps.blobs, input.files, { maxBytes: maxFileBytes, log: deps.log });
  } catch (err) {
    if (err instanceof UploadTooLargeError) return new ValidationError(err.message, 'files');
    throw err;
  }
  try {
    const { head, rows } = splitData(input.data);
    const created = await insertParserResult(deps.prisma, workspaceId, requestId, head, rows, stored);
    if (!created) {
      await removeBlobs(deps.blobs, stored, deps.log);
      return conflict(requestId);
    }
    return {
      workspaceId,
      requestId,
      createdAt: created,
      files: stored.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, contentType: f.contentType })),
      data: input.data,
    };
  } catch (err) {
    await removeBlobs(deps.blobs, stored, deps.log);
    throw err;
  }
}

const conflict = (requestId: string) =>
  new ConflictError(`A parser result with requestId ${JSON.stringify(requestId)} already exists`);

/** One statement: the result, its rows and its files; null when the request id is taken. */
async function insertParserResult(
  db: Db,
  workspaceId: string,
  requestId: string,
  head: unknown,
  rows: DataRow[],
  files: StoredUpload[],
): Promise<Date | null> {
  // Arrays, not one parameter per value: 10,000 rows stay one statement with ten parameters.
  const [created] = await db.$queryRaw<{ created_at: Date }[]>`
    WITH r AS (
      INSERT INTO parser_result (workspace_id, request_id, data)
      VALUES (${workspaceId}, ${requestId}, ${JSON.stringify(head)}::json)
      ON CONFLICT DO NOTHING
      RETURNING workspace_id, request_id, created_at),
    r_rows AS (
      INSERT INTO parser_result_row (workspace_id, request_id, key, ord, value)
      SELECT r.workspace_id, r.request_id, t.key, t.ord, t.value::json
        FROM r CROSS JOIN unnest(${rows.map((x) => x.key)}::text[], ${rows.map((x) => x.ord)}::int[],
                                 ${rows.map((x) => x.value)}::text[]) AS t(key, ord, value)),
    r_files AS (
      INSERT INTO parser_file (workspace_id, request_id, ord, name, size, sha256, content_type, blob_key)
      SELECT r.workspace_id, r.request_id, t.ord - 1, decode(t.name, 'hex'), t.size, t.sha256, t.content_type, t.blob_key
        FROM r CROSS JOIN unnest(${files.map((f) => Buffer.from(f.name, 'utf8').toString('hex'))}::text[],
                                 ${files.map((f) => f.size)}::bigint[], ${files.map((f) => f.sha256)}::text[],
                                 ${files.map((f) => f.contentType)}::text[], ${files.map((f) => f.key)}::text[])
                   WITH ORDINALITY AS t(name, size, sha256, content_type, blob_key, ord))
    SELECT created_at FROM r`;
  return created?.created_at ?? null;
}

// ---- delete ------------------------------------------------------------------------------

export interface DeletedParserResultRow extends DeletedColumns {
  deleted_rows: number;
  deleted_files: number;
  deleted_bytes: bigint;
}

/**
 * Seed 002 on the deletion pipeline: a hard delete of the result, its rows and its files in one
 * statement (of concurrent deletions exactly one finds the result), with one blob.delete task
 * per file, run at once after commit so the answer comes after the unlink; a failed unlink is
 * retried by the after-commit worker. No queue.
 */
export const parserResultDeletion: BackendDeletion = {
  backend: 'PARSER_RESULT',
  eventKind: 'HARD_DELETED',
  queue: null,
  afterCommitFailpoint: 'after-parser-result-delete-commit',
  statement: () => Prisma.sql`
    pr AS (
      DELETE FROM parser_result p USING req
       WHERE p.workspace_id = req.workspace_id AND p.request_id = req.id
      RETURNING p.workspace_id, p.request_id, req.ord),
    pr_rows AS (
      DELETE FROM parser_result_row x USING pr
       WHERE x.workspace_id = pr.workspace_id AND x.request_id = pr.request_id
      RETURNING x.workspace_id, x.request_id),
    pr_files AS (
      DELETE FROM parser_file f USING pr
       WHERE f.workspace_id = pr.workspace_id AND f.request_id = pr.request_id
      RETURNING f.workspace_id, f.request_id, f.size, f.blob_key),
    pr_row_counts AS (
      SELECT workspace_id, request_id, count(*)::int AS n FROM pr_rows GROUP BY workspace_id, request_id),
    pr_file_counts AS (
      SELECT workspace_id, request_id, count(*)::int AS n, sum(size)::bigint AS bytes,
             ${blobDeleteTasksSql('blob_key')} AS tasks
        FROM pr_files GROUP BY workspace_id, request_id),
    deleted AS (
      SELECT pr.ord, pr.request_id AS entity_id, pr.workspace_id,
             json_build_object('requestId', pr.request_id, 'rows', coalesce(rc.n, 0),
                               'files', coalesce(fc.n, 0), 'bytes', coalesce(fc.bytes, 0))::text AS event_data,
             NULL::text AS message, false AS message_held, fc.tasks,
             coalesce(rc.n, 0) AS deleted_rows, coalesce(fc.n, 0) AS deleted_files,
             coalesce(fc.bytes, 0::bigint) AS deleted_bytes
        FROM pr
        LEFT JOIN pr_row_counts rc ON rc.workspace_id = pr.workspace_id AND rc.request_id = pr.request_id
        LEFT JOIN pr_file_counts fc ON fc.workspace_id = pr.workspace_id AND fc.request_id = pr.request_id)`,
};

/**
 * Hard-deletes a result through the pipeline; answers after its files' blobs were unlinked (a
 * failed unlink is retried by the worker: the result is gone either way). Absent, already
 * deleted and another workspace's results are all "not found".
 */
export async function deleteParserResult(
  deps: ParserResultDeps,
  workspaceId: string,
  requestId: string,
  sent?: SentKey | null,
): Promise<DeleteParserResultPayload | NotFoundError | IdempotencyKeyReusedError> {
  if (requestIdProblem(requestId)) return new NotFoundError(NOT_FOUND);
  const idem = keyFor(sent, 'parser-result.delete', { requestId });
  const answer = (row: DeletedParserResultRow): DeleteParserResultPayload => ({
    success: true,
    message: 'File deleted successfully',
    requestId,
    deletedFiles: row.deleted_files,
    deletedRows: row.deleted_rows,
    deletedBytes: Number(row.deleted_bytes),
  });
  return withIdempotency(deps.prisma, idem, {
    run: async () => {
      const deleted = await deps.deleter.delete({ workspaceId, id: requestId, idempotency: idem });
      if (!deleted) return new NotFoundError(NOT_FOUND);
      const unfinished = deleted.tasks.filter((t) => t.outcome !== 'done').length;
      if (unfinished) {
        deps.log.warn(
          { requestId, unfinished },
          'blobs of a deleted parser result are left to the after-commit worker',
        );
      }
      return answer(deleted.row);
    },
    replay: (stored) => answer(stored as DeletedParserResultRow),
    empty: (result) => result instanceof NotFoundError,
  });
}
