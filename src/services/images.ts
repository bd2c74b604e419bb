// Seed 004: images, deleted by asynchronous operations (wait, urgent, strict) run by the operation queue's workers.
import { blobDeleteTaskSql } from '../blobs/after-commit.js';
import type { BlobStore, UploadedFile } from '../blobs/store.js';
import { removeBlobs, type StoredUpload, storeUploads, UploadTooLargeError } from '../blobs/store-uploads.js';
import type { Db, PrismaClient, Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { OperationUpdates } from '../events/operation-updates.js';
import { newOperationId } from '../ids.js';
import {
  LostClaimError,
  type OperationHandler,
  type OperationQueue,
  type OperationRun,
  type StepOutcome,
} from '../jobs/operation-queue.js';
import type { Logger } from '../logger.js';
import { hasControlCharacter } from '../util/text.js';
import { InvalidIdError, ValidationError } from './errors.js';
import { type IdempotencyKeyReusedError, keyFor, type SentKey, withIdempotency } from './idempotency.js';
import { findOperation, type Operation } from './operations.js';
import type { UploadLimits } from './parser-results.js';
import type { BackendDeletion, DeletedColumns, Deleter, PendingDeletion } from './pipeline.js';

export interface ImageDeps {
  prisma: PrismaClient;
  blobs: BlobStore;
  log: Logger;
  limits: UploadLimits;
  /** the pipeline's deleter for images (imageDeletion) */
  deleter: Deleter<DeletedImageRow>;
  /** where delete operations are queued */
  queue: Pick<OperationQueue, 'enqueue'>;
  updates: OperationUpdates<Operation>;
  /** OPERATION_WAIT_TIMEOUT: how long `wait` waits before answering with the operation as it stands */
  waitTimeoutMs: number;
}

export interface Image {
  id: string;
  workspaceId: string;
  name: string;
  /** bytes of the stored file; 0 without one */
  size: number;
  sha256: string | null;
  contentType: string | null;
  createdAt: Date;
}

export interface DeleteOptions {
  wait: boolean;
  urgent: boolean;
  strict: boolean;
}

const IMAGE_NOT_FOUND = 'Image not found';
/** A batch that failed as a whole is retried element by element; an element that fails alone says this. */
const ELEMENT_FAILED = 'Internal error: the image was not deleted';
/** Elements per statement: one statement deletes a batch, never a round trip per image. */
export const DELETE_BATCH = 1000;
/** The most elements one operation takes. */
export const MAX_OPERATION_ELEMENTS = 100_000;
/** The most images one createImages call takes. */
export const MAX_CREATE_IMAGES = 10_000;
const MAX_NAME_LENGTH = 255;

/**
 * An image id as the gateway stores it: a positive decimal integer without sign or leading
 * zero, small enough to be exact as a JSON number; null otherwise.
 */
export function parseImageId(raw: string): string | null {
  if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) return null;
  return raw;
}

const invalidId = (raw: string) =>
  new InvalidIdError(
    `Invalid image ID ${JSON.stringify(raw.slice(0, 40))}: image IDs are positive integers up to ${Number.MAX_SAFE_INTEGER}`,
  );

// ---- reads and create -----------------------------------------------------------------------

const imageColumns = Prisma.sql`id::text AS id, workspace_id, name, size::float8 AS size, sha256, content_type, created_at`;

interface ImageRow {
  id: string;
  workspace_id: string;
  name: string;
  size: number;
  sha256: string | null;
  content_type: string | null;
  created_at: Date;
}

const toImage = (r: ImageRow): Image => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  size: r.size,
  sha256: r.sha256,
  contentType: r.content_type,
  createdAt: r.created_at,
});

/** A workspace's image; null when absent, deleted, another workspace's or not an image id. */
export async function findImage(db: Db, workspaceId: string, rawId: string): Promise<Image | null> {
  const id = parseImageId(rawId);
  if (!id) return null;
  const [row] = await db.$queryRaw<ImageRow[]>`
    SELECT ${imageColumns} FROM image WHERE id = ${id}::bigint AND workspace_id = ${workspaceId}`;
  return row ? toImage(row) : null;
}

/**
 * Creates images in one statement, their files stored as blobs first; ids are assigned in
 * input order. Nothing of a refused or failed create stays (blobs already written are removed).
 */
export async function createImages(
  deps: ImageDeps,
  workspaceId: string,
  inputs: readonly { name: string; file?: UploadedFile | null }[],
): Promise<Image[] | ValidationError> {
  if (inputs.length === 0 || inputs.length > MAX_CREATE_IMAGES) {
    return new ValidationError(`Give 1 to ${MAX_CREATE_IMAGES} images`, 'input');
  }
  for (const [i, input] of inputs.entries()) {
    if (input.name.length === 0 || input.name.length > MAX_NAME_LENGTH || hasControlCharacter(input.name)) {
      return new ValidationError(
        `input[${i}].name must be 1 to ${MAX_NAME_LENGTH} characters without control characters`,
        'name',
      );
    }
  }
  const withFiles = inputs.flatMap((input, i) => (input.file ? [{ i, file: input.file }] : []));
  if (withFiles.length > deps.limits.maxFiles) {
    return new ValidationError(`At most ${deps.limits.maxFiles} files per request (MAX_UPLOAD_FILES)`, 'file');
  }
  let stored: StoredUpload[];
  try {
    stored = await storeUploads(
      deps.blobs,
      withFiles.map((f) => f.file),
      { maxBytes: deps.limits.maxFileBytes, log: deps.log },
    );
  } catch (err) {
    if (err instanceof UploadTooLargeError) return new ValidationError(err.message, 'file');
    throw err;
  }
  const fileOf = new Map(withFiles.map((f, j) => [f.i, stored[j]!]));
  try {
    const column = <T>(pick: (f: StoredUpload) => T) =>
      inputs.map((_, i) => (fileOf.has(i) ? pick(fileOf.get(i)!) : null));
    // Arrays, not one parameter per value: 10,000 images stay one statement with a few parameters.
    const rows = await deps.prisma.$queryRaw<ImageRow[]>`
      INSERT INTO image (workspace_id, name, size, sha256, content_type, blob_key)
      SELECT ${workspaceId}, t.name, coalesce(t.size, 0), t.sha256, t.content_type, t.blob_key
        FROM unnest(${inputs.map((x) => x.name)}::text[], ${column((f) => f.size)}::bigint[],
                    ${column((f) => f.sha256)}::text[], ${column((f) => f.contentType)}::text[],
                    ${column((f) => f.key)}::text[]) WITH ORDINALITY AS t(name, size, sha256, content_type, blob_key, ord)
       ORDER BY t.ord
      RETURNING ${imageColumns}`;
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map(toImage);
  } catch (err) {
    await removeBlobs(deps.blobs, stored, deps.log);
    throw err;
  }
}

// ---- delete ------------------------------------------------------------------------------

export interface DeletedImageRow extends DeletedColumns {
  size: number;
}

/**
 * Seed 004 on the deletion pipeline: a hard delete of the images of a batch in one statement
 * (of concurrent deletions of one image exactly one finds it), a HARD_DELETED event each, and a
 * blob.delete task for an image with a file. No queue. Requests carry `args.operationId`.
 */
export const imageDeletion: BackendDeletion = {
  backend: 'IMAGE',
  eventKind: 'HARD_DELETED',
  queue: null,
  statement: (requests) => Prisma.sql`
    img AS (
      DELETE FROM image i USING req
       WHERE i.id = ANY(${requests.map((r) => r.id)}::bigint[]) -- index lookups, then matched to their request
         AND i.id = req.id::bigint AND i.workspace_id = req.workspace_id
      RETURNING i.id, i.workspace_id, i.name, i.size, i.blob_key, req.ord, req.args),
    deleted AS (
      SELECT ord, id::text AS entity_id, workspace_id,
             json_build_object('imageId', id, 'name', name, 'size', size,
                               'operationId', args->>'operationId')::text AS event_data,
             NULL::text AS message, false AS message_held,
             CASE WHEN blob_key IS NOT NULL THEN jsonb_build_array(${blobDeleteTaskSql('blob_key')}) END AS tasks,
             size::float8 AS size
        FROM img)`,
};

/**
 * Queues a delete operation of these images and answers it: with `wait`, once it finished (on
 * whichever instance ran it) or when OPERATION_WAIT_TIMEOUT passed, as it stands then;
 * otherwise at once, queued. Unknown images (another workspace's too) are element errors of
 * the operation, not refusals; ids that cannot be image ids, an empty list and repeated ids are.
 */
export async function deleteImages(
  deps: ImageDeps,
  workspaceId: string,
  rawIds: readonly string[],
  options: DeleteOptions,
  sent?: SentKey | null,
): Promise<Operation | InvalidIdError | ValidationError | IdempotencyKeyReusedError> {
  if (rawIds.length === 0) return new ValidationError('Give at least one image id', 'ids');
  if (rawIds.length > MAX_OPERATION_ELEMENTS) {
    return new ValidationError(`One operation takes at most ${MAX_OPERATION_ELEMENTS} image ids`, 'ids');
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const raw of rawIds) {
    const id = parseImageId(raw);
    if (!id) return invalidId(raw);
    if (seen.has(id)) return new ValidationError(`Image id ${id} is given more than once`, 'ids');
    seen.add(id);
    ids.push(id);
  }
  const idem = keyFor(sent, 'image.delete', { ids, ...options });
  return withIdempotency(deps.prisma, idem, {
    run: async () => {
      const id = newOperationId();
      await deps.queue.enqueue({
        id,
        workspaceId,
        method: 'DEL',
        resource: 'IMAGE',
        elements: ids,
        wait: options.wait,
        urgent: options.urgent,
        strict: options.strict,
        idempotency: idem,
      });
      return answerOperation(deps, workspaceId, id, options.wait);
    },
    // The same operation again, never a second one: finished (wait) or as it stands now.
    replay: (stored) =>
      answerOperation(deps, workspaceId, (stored as { operationId: string }).operationId, options.wait),
  });
}

async function answerOperation(deps: ImageDeps, workspaceId: string, id: string, wait: boolean): Promise<Operation> {
  const op = (await findOperation(deps.prisma, workspaceId, id))!;
  return wait && !op.isFinished ? deps.updates.waitUntilFinished(op, deps.waitTimeoutMs) : op;
}

/** The operation handler that deletes images: the queue's workers run it. */
export function imageDeleteHandler(deps: Pick<ImageDeps, 'deleter' | 'log'>): OperationHandler {
  const { deleter, log } = deps;
  type Rows = PendingDeletion<DeletedImageRow>[];

  /** Deletes the batch in one statement; what it did not find is "Image not found". */
  const deleteBatch = async (run: OperationRun, tx: Tx, ids: readonly string[]): Promise<StepOutcome<Rows>> => {
    const rows = await deleter.deleteInTransaction(
      tx,
      ids.map((id) => ({ workspaceId: run.workspaceId, id, args: { operationId: run.id } })),
    );
    const found = new Set(rows.map((r) => r.entity_id));
    const errors = ids.filter((id) => !found.has(id)).map((id) => ({ id, msg: IMAGE_NOT_FOUND }));
    return { good: rows.length, errors, result: rows };
  };

  /** Every element in one transaction; one failed element undoes them all. */
  const runStrict = async (run: OperationRun) => {
    const rows = await run.step(run.pending().length, async (tx, ids) => {
      const outcomes: StepOutcome<Rows>[] = [];
      for (let i = 0; i < ids.length; i += DELETE_BATCH) {
        outcomes.push(await deleteBatch(run, tx, ids.slice(i, i + DELETE_BATCH)));
      }
      const errors = outcomes.flatMap((o) => o.errors);
      if (errors.length) return { good: 0, errors, rollback: true, result: [] };
      return { good: ids.length, errors: [], result: outcomes.flatMap((o) => o.result) };
    });
    await deleter.committed(rows);
  };

  /** Best effort per element: a batch per statement; a batch that fails is retried one element at a time. */
  const runBestEffort = async (run: OperationRun) => {
    while (!run.stopping && run.pending().length) {
      const count = Math.min(DELETE_BATCH, run.pending().length);
      try {
        await deleter.committed(await run.step(count, (tx, ids) => deleteBatch(run, tx, ids)));
      } catch (err) {
        if (err instanceof LostClaimError) throw err;
        log.warn({ err, operation: run.id }, 'a batch of image deletions failed; deleting its images one by one');
        for (let i = 0; i < count; i++) {
          try {
            await deleter.committed(await run.step(1, (tx, ids) => deleteBatch(run, tx, ids)));
          } catch (elementErr) {
            if (elementErr instanceof LostClaimError) throw elementErr;
            const [id] = run.pending();
            log.error({ err: elementErr, operation: run.id, image: id }, 'an image could not be deleted');
            await run.step(1, async () => ({ good: 0, errors: [{ id: id!, msg: ELEMENT_FAILED }], result: [] }));
          }
        }
      }
    }
  };

  return {
    resource: 'IMAGE',
    method: 'DEL',
    backend: 'IMAGE',
    run: (run) => (run.strict ? runStrict(run) : runBestEffort(run)),
  };
}
