// Seed 003: datasets. Deleting one marks it (its expiry becomes now); the scheduled purge
// (src/services/dataset-purge.ts) hard-deletes marked datasets later. Marked means
// `expires_at <= now()`, exactly the seed's "expiry before now", so a dataset whose own expiry
// passes is marked too, with no write at all.
import { timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import { isContentType } from '../blobs/content-type.js';
import type { BlobStore, UploadedFile } from '../blobs/store.js';
import { removeBlobs, storeUploads, UploadTooLargeError } from '../blobs/store-uploads.js';
import type { CronSchedule } from '../config/cron.js';
import type { Db, PrismaClient } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { DatasetType } from '../db/generated/enums.js';
import { isDatasetId, isDatasetShareId, newDatasetId, newDatasetShareId, randomToken } from '../ids.js';
import type { Logger } from '../logger.js';
import { hasControlCharacter } from '../util/text.js';
import { ConflictError, InvalidIdError, NotFoundError, ValidationError } from './errors.js';
import { type IdempotencyKeyReusedError, keyFor, reviveRow, type SentKey, withIdempotency } from './idempotency.js';
import type { BackendDeletion, DeletedColumns, Deleter } from './pipeline.js';

export interface DatasetDeps {
  prisma: PrismaClient;
  blobs: BlobStore;
  log: Logger;
  /** MAX_UPLOAD_BYTES: the largest file */
  maxFileBytes: number;
  /** the purge schedule (PURGE_CRON in PURGE_TZ); null when it is off */
  schedule: CronSchedule | null;
  /** the pipeline's deleter that marks datasets (datasetMarking) */
  marker: Deleter<DatasetChangeRow>;
  /** the pipeline's writer that brings marked datasets back (datasetRestoration) */
  restorer: Deleter<DatasetChangeRow>;
}

export interface DatasetShare {
  /** the public link, relative to the gateway: `/v1/share/dsx_...?token=...` */
  url: string;
  token: string;
  /** the link's own expiry; null: it works as long as the dataset is not marked */
  expiresAt: Date | null;
}

export interface Dataset {
  id: string;
  workspaceId: string;
  type: DatasetType;
  fileName: string;
  fileExt: string;
  fileSize: number;
  itemCount: number;
  mimeType: string;
  createdAt: Date;
  updatedAt: Date | null;
  expiresAt: Date | null;
  markedForDeletion: boolean;
  share: DatasetShare | null;
}

export interface DeleteDatasetPayload {
  success: true;
  total: 1;
  data: Dataset;
}

export interface CreateDatasetInput {
  type: DatasetType;
  fileName: string;
  fileExt: string;
  mimeType: string;
  file: UploadedFile;
  items: readonly unknown[];
  keys?: readonly string[] | null;
  vectors?: readonly (readonly number[])[] | null;
  expiresAt?: Date | null;
  share?: boolean | null;
  shareExpiresAt?: Date | null;
}

export interface PageRequest {
  after: string | null;
  before: string | null;
  limit: number;
  inverted: boolean;
}

const NOT_FOUND = 'Dataset not found';
const INVALID_ID = 'Invalid dataset id: expected ds_ followed by 16 url-safe characters';
const MAX_NAME_LENGTH = 255;
const MAX_KEY_LENGTH = 1024;
const MAX_VECTOR_DIMENSIONS = 16_384;
const SHARE_TOKEN_LENGTH = 24;

// ---- rows --------------------------------------------------------------------------------

/** A dataset as the statements here select it (`marked` computed by the database's clock). */
interface DatasetRow {
  id: string;
  workspace_id: string;
  type: DatasetType;
  file_name: string;
  file_ext: string;
  file_size: bigint;
  item_count: number;
  mime_type: string;
  created_at: Date;
  updated_at: Date | null;
  expires_at: Date | null;
  marked: boolean;
  share_id: string | null;
  share_token: string | null;
  share_expires_at: Date | null;
}

/** The columns of DatasetRow but workspace_id, from the table or CTE `alias`. */
const datasetColumns = (alias: string) => {
  const a = Prisma.raw(alias);
  return Prisma.sql`${a}.id, ${a}.type, ${a}.file_name, ${a}.file_ext, ${a}.file_size, ${a}.item_count, ${a}.mime_type,
    ${a}.created_at, ${a}.updated_at, ${a}.expires_at, ${isMarkedSql(alias)} AS marked,
    ${a}.share_id, ${a}.share_token, ${a}.share_expires_at`;
};

/** The seed's rule, in SQL: expired (marked for deletion) once the expiry is not after now. */
export const isMarkedSql = (alias: string) =>
  Prisma.sql`(${Prisma.raw(alias)}.expires_at IS NOT NULL AND ${Prisma.raw(alias)}.expires_at <= now())`;

function toDataset(row: DatasetRow): Dataset {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    type: row.type,
    fileName: row.file_name,
    fileExt: row.file_ext,
    fileSize: Number(row.file_size),
    itemCount: row.item_count,
    mimeType: row.mime_type,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    markedForDeletion: row.marked,
    share:
      row.share_id && row.share_token
        ? { url: shareUrl(row.share_id, row.share_token), token: row.share_token, expiresAt: row.share_expires_at }
        : null,
  };
}

const shareUrl = (shareId: string, token: string) => `/v1/share/${shareId}?token=${encodeURIComponent(token)}`;

// ---- reads -------------------------------------------------------------------------------

/** A dataset of the workspace until it is purged, marked or not; null for a malformed id too. */
export async function findDataset(db: Db, workspaceId: string, id: string): Promise<Dataset | null> {
  if (!isDatasetId(id)) return null;
  const [row] = await db.$queryRaw<DatasetRow[]>`
    SELECT d.workspace_id, ${datasetColumns('d')} FROM dataset d WHERE d.id = ${id} AND d.workspace_id = ${workspaceId}`;
  return row ? toDataset(row) : null;
}

/** REST's and the mutations' read: a typed error for a malformed or unknown id. */
export async function readDataset(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<Dataset | InvalidIdError | NotFoundError> {
  if (!isDatasetId(id)) return new InvalidIdError(INVALID_ID);
  return (await findDataset(db, workspaceId, id)) ?? new NotFoundError(NOT_FOUND);
}

/** Keyset cursor over (created_at, id): `<epoch ms>.<id>`. */
export const datasetCursor = (d: Pick<Dataset, 'createdAt' | 'id'>) => `${d.createdAt.getTime()}.${d.id}`;

function parseDatasetCursor(cursor: string): { ms: number; id: string } | null {
  const m = /^(\d{1,15})\.(ds_[A-Za-z0-9_-]{16})$/.exec(cursor);
  return m ? { ms: Number(m[1]), id: m[2]! } : null;
}

/** Datasets of the workspace, oldest first; marked ones only when `showExpired`. */
export async function listDatasets(
  db: Db,
  workspaceId: string,
  page: PageRequest,
  showExpired: boolean,
): Promise<Dataset[] | ValidationError> {
  const after = page.after === null ? null : parseDatasetCursor(page.after);
  const before = page.before === null ? null : parseDatasetCursor(page.before);
  if ((page.after !== null && !after) || (page.before !== null && !before)) {
    return new ValidationError(
      'Malformed cursor: use a cursor this list returned',
      page.after !== null ? 'after' : 'before',
    );
  }
  const key = Prisma.sql`(d.created_at, d.id)`;
  const position = (c: { ms: number; id: string }) =>
    Prisma.sql`(${new Date(c.ms).toISOString()}::timestamptz, ${c.id}::text)`;
  const rows = await db.$queryRaw<DatasetRow[]>`
    SELECT d.workspace_id, ${datasetColumns('d')} FROM dataset d
     WHERE d.workspace_id = ${workspaceId}
       ${showExpired ? Prisma.empty : Prisma.sql`AND NOT ${isMarkedSql('d')}`}
       ${after ? Prisma.sql`AND ${key} > ${position(after)}` : Prisma.empty}
       ${before ? Prisma.sql`AND ${key} < ${position(before)}` : Prisma.empty}
     ORDER BY d.created_at ${page.inverted ? Prisma.sql`DESC` : Prisma.sql`ASC`}, d.id ${page.inverted ? Prisma.sql`DESC` : Prisma.sql`ASC`}
     LIMIT ${page.limit}`;
  return rows.map(toDataset);
}

/**
 * When the schedule removes the dataset: the next run for a marked one (DESIGN.md), the first
 * run after its expiry for one that will expire; null without expiry or without a schedule.
 */
export function purgeAt(schedule: CronSchedule | null, dataset: Dataset, now = new Date()): Date | null {
  if (!schedule || !dataset.expiresAt) return null;
  if (dataset.markedForDeletion) return schedule.nextRun(now);
  // a run at the very millisecond of the expiry takes it: the run's cutoff is its start
  return schedule.nextRun(new Date(dataset.expiresAt.getTime() - 1));
}

/** The file behind a public share link, or null: unknown link, wrong token, link expired, dataset marked. */
export async function openSharedFile(
  deps: Pick<DatasetDeps, 'prisma' | 'blobs'>,
  shareId: string,
  token: string,
): Promise<{ dataset: Dataset; stream: Readable } | null> {
  if (!isDatasetShareId(shareId) || token === '') return null;
  const [row] = await deps.prisma.$queryRaw<(DatasetRow & { blob_key: string })[]>`
    SELECT d.workspace_id, d.blob_key, ${datasetColumns('d')} FROM dataset d
     WHERE d.share_id = ${shareId} AND NOT ${isMarkedSql('d')}
       AND (d.share_expires_at IS NULL OR d.share_expires_at > now())`;
  if (!row?.share_token || !sameToken(row.share_token, token)) return null;
  const stream = await deps.blobs.get(row.blob_key);
  return stream ? { dataset: toDataset(row), stream } : null;
}

function sameToken(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

// ---- create ------------------------------------------------------------------------------

function createProblem(input: CreateDatasetInput): ValidationError | null {
  const text = (field: string, value: string, pattern: RegExp, what: string) =>
    value.length === 0 || value.length > MAX_NAME_LENGTH || hasControlCharacter(value) || !pattern.test(value)
      ? new ValidationError(`${field} must be ${what}, 1 to ${MAX_NAME_LENGTH} characters`, field)
      : null;
  const problem =
    text('fileName', input.fileName, /^[^/\\]+$/, 'a file name without slashes or control characters') ??
    text(
      'fileExt',
      input.fileExt,
      /^[A-Za-z0-9][A-Za-z0-9_+-]*$/,
      'an extension of letters and digits, without the dot',
    ) ??
    (isContentType(input.mimeType)
      ? null
      : new ValidationError('mimeType must be a MIME type such as application/pdf', 'mimeType'));
  if (problem) return problem;
  const keys = input.keys ?? [];
  // PostgreSQL text cannot hold U+0000
  if (keys.some((k) => k.length === 0 || k.length > MAX_KEY_LENGTH || k.includes('\u0000'))) {
    return new ValidationError(
      `keys must be 1 to ${MAX_KEY_LENGTH} characters long, without the NUL character`,
      'keys',
    );
  }
  if (new Set(keys).size !== keys.length) return new ValidationError('keys must be unique', 'keys');
  const vectors = input.vectors ?? [];
  const dims = vectors[0]?.length ?? 0;
  if (vectors.some((v) => v.length === 0 || v.length > MAX_VECTOR_DIMENSIONS)) {
    return new ValidationError(`vectors must have 1 to ${MAX_VECTOR_DIMENSIONS} dimensions`, 'vectors');
  }
  if (vectors.some((v) => v.length !== dims)) {
    return new ValidationError(`vectors must all have the same dimensions (the first has ${dims})`, 'vectors');
  }
  if (input.items.some((item) => item === null || item === undefined)) {
    return new ValidationError('items must not contain null', 'items');
  }
  if (input.shareExpiresAt && !input.share) {
    return new ValidationError('shareExpiresAt needs share: true', 'shareExpiresAt');
  }
  return null;
}

/**
 * Stores the file as a blob, then the dataset with its items, keys and vectors in one
 * statement. A refused or failed create leaves nothing (a crash in between leaves only an
 * unreferenced blob, which the blob sweep removes). A past `expiresAt` makes it marked at once.
 */
export async function createDataset(
  deps: DatasetDeps,
  workspaceId: string,
  input: CreateDatasetInput,
): Promise<Dataset | ValidationError> {
  const problem = createProblem(input);
  if (problem) return problem;
  const stored = await storeUploads(deps.blobs, [input.file], { maxBytes: deps.maxFileBytes, log: deps.log }).catch(
    (err) => {
      if (err instanceof UploadTooLargeError) {
        return new ValidationError(`The file is larger than ${err.limit} bytes (MAX_UPLOAD_BYTES)`, 'file');
      }
      throw err;
    },
  );
  if (stored instanceof ValidationError) return stored;
  const blob = stored[0]!;
  const id = newDatasetId();
  const keys = input.keys ?? [];
  const vectors = input.vectors ?? [];
  const share = input.share ? { id: newDatasetShareId(), token: randomToken(SHARE_TOKEN_LENGTH) } : null;
  try {
    // Arrays, not a parameter per value: 100,000 items stay one statement.
    const [row] = await deps.prisma.$queryRaw<DatasetRow[]>`
      WITH d AS (
        INSERT INTO dataset (id, workspace_id, type, file_name, file_ext, file_size, mime_type, sha256, blob_key,
                             item_count, key_count, vector_count, created_at, updated_at, expires_at,
                             share_id, share_token, share_expires_at)
        VALUES (${id}, ${workspaceId}, ${input.type}::"DatasetType", ${input.fileName}, ${input.fileExt}, ${blob.size},
                ${input.mimeType.trim().toLowerCase()}, ${blob.sha256}, ${blob.key},
                ${input.items.length}, ${keys.length}, ${vectors.length},
                date_trunc('milliseconds', now()), date_trunc('milliseconds', now()), ${input.expiresAt ?? null}::timestamptz,
                ${share?.id ?? null}, ${share?.token ?? null}, ${input.shareExpiresAt ?? null}::timestamptz)
        RETURNING *),
      i AS (
        INSERT INTO dataset_item (dataset_id, ord, data)
        SELECT d.id, t.ord - 1, t.data::json
          FROM d CROSS JOIN unnest(${input.items.map((item) => JSON.stringify(item))}::text[]) WITH ORDINALITY AS t(data, ord)),
      k AS (
        INSERT INTO dataset_key (dataset_id, key) SELECT d.id, t.key FROM d CROSS JOIN unnest(${[...keys]}::text[]) AS t(key)),
      v AS (
        INSERT INTO dataset_vector (dataset_id, ord, value)
        SELECT d.id, t.ord - 1, translate(t.value, '[]', '{}')::float8[]
          FROM d CROSS JOIN unnest(${vectors.map((v) => JSON.stringify(v))}::text[]) WITH ORDINALITY AS t(value, ord))
      SELECT d.workspace_id, ${datasetColumns('d')} FROM d`;
    return toDataset(row!);
  } catch (err) {
    await removeBlobs(deps.blobs, stored, deps.log);
    throw err;
  }
}

// ---- delete (mark) and restore --------------------------------------------------------------

/** What the mark and restore statements give back: the pipeline's columns and the dataset. */
export type DatasetChangeRow = DeletedColumns & DatasetRow;

/** The `deleted` CTE over a CTE `changed` of updated dataset rows with their request's `ord`. */
const changedDatasetsSql = (eventData: Prisma.Sql) => Prisma.sql`
    deleted AS (
      SELECT c.ord, c.id AS entity_id, c.workspace_id, ${eventData}::text AS event_data,
             NULL::text AS message, false AS message_held, NULL::jsonb AS tasks, ${datasetColumns('c')}
        FROM changed c)`;

/**
 * Seed 003's delete on the pipeline: the expiry becomes now (truncated to the stored
 * millisecond, so the dataset is marked at once), one MARKED_FOR_DELETION event. A dataset
 * already marked matches nothing: no write, no second event.
 */
export const datasetMarking: BackendDeletion = {
  backend: 'DATASET',
  eventKind: 'MARKED_FOR_DELETION',
  queue: null,
  statement: () => Prisma.sql`
    changed AS (
      UPDATE dataset d SET expires_at = date_trunc('milliseconds', now()), updated_at = date_trunc('milliseconds', now())
        FROM req
       WHERE d.id = req.id AND d.workspace_id = req.workspace_id AND NOT ${isMarkedSql('d')}
      RETURNING d.*, req.ord),
    ${changedDatasetsSql(Prisma.sql`json_build_object('expiresAt', c.expires_at, 'fileName', c.file_name,
                                                      'itemCount', c.item_count, 'fileSize', c.file_size)`)}`,
};

/**
 * Undelete (AIP-164): a marked dataset gets its expiry back (null or the given future time)
 * with one RESTORED event. A dataset the purge is removing stays locked until it is gone, and
 * then this matches nothing.
 */
export const datasetRestoration: BackendDeletion = {
  backend: 'DATASET',
  eventKind: 'RESTORED',
  queue: null,
  statement: () => Prisma.sql`
    changed AS (
      UPDATE dataset d SET expires_at = (req.args->>'expiresAt')::timestamptz, updated_at = date_trunc('milliseconds', now())
        FROM req
       WHERE d.id = req.id AND d.workspace_id = req.workspace_id AND ${isMarkedSql('d')}
      RETURNING d.*, req.ord),
    ${changedDatasetsSql(Prisma.sql`json_build_object('expiresAt', c.expires_at)`)}`,
};

/**
 * Marks the dataset for deletion and answers the seed's body. Deleting a marked dataset
 * answers the same body again (its expiry kept); a purged or unknown one is not found.
 */
export async function deleteDataset(
  deps: DatasetDeps,
  workspaceId: string,
  id: string,
  sent?: SentKey | null,
): Promise<DeleteDatasetPayload | InvalidIdError | NotFoundError | IdempotencyKeyReusedError> {
  if (!isDatasetId(id)) return new InvalidIdError(INVALID_ID);
  const idem = keyFor(sent, 'dataset.delete', { id });
  const answer = (dataset: Dataset): DeleteDatasetPayload => ({ success: true, total: 1, data: dataset });
  return withIdempotency(deps.prisma, idem, {
    run: async () => {
      const marked = await deps.marker.delete({ workspaceId, id, idempotency: idem });
      const dataset = marked ? toDataset(marked.row) : await findDataset(deps.prisma, workspaceId, id);
      return dataset ? answer(dataset) : new NotFoundError(NOT_FOUND);
    },
    // As it was marked, also once the purge has removed it.
    replay: (stored) => answer(toDataset(reviveRow<DatasetChangeRow>(stored))),
    empty: (result) => result instanceof NotFoundError,
  });
}

/** Brings a marked dataset back before the purge; `expiresAt` (future) or no expiry. */
export async function restoreDataset(
  deps: DatasetDeps,
  workspaceId: string,
  id: string,
  expiresAt: Date | null,
): Promise<Dataset | InvalidIdError | NotFoundError | ConflictError | ValidationError> {
  if (!isDatasetId(id)) return new InvalidIdError(INVALID_ID);
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    return new ValidationError(
      'expiresAt must be in the future (a past expiry leaves the dataset marked)',
      'expiresAt',
    );
  }
  const restored = await deps.restorer.delete({
    workspaceId,
    id,
    args: { expiresAt: expiresAt?.toISOString() ?? null },
  });
  if (restored) return toDataset(restored.row);
  const dataset = await findDataset(deps.prisma, workspaceId, id);
  if (!dataset) return new NotFoundError(NOT_FOUND);
  return new ConflictError(`Dataset ${id} is not marked for deletion; there is nothing to restore`);
}
