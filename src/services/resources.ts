// Seed 000: resources, soft-deleted with their wrapper process stopped and a message queued.
import type { Logger } from 'pino';
import type { Db, PrismaClient } from '../db/client.js';
import { type ExecutionLogEntry, Prisma, type Resource, type Wrapper } from '../db/generated/client.js';
import { RESOURCE_DELETION_QUEUE, releaseMessage } from '../events/outbox.js';
import { isObjectId, newObjectId, newWrapperId } from '../ids.js';
import type { AfterCommitHandler } from '../jobs/after-commit.js';
import { hasControlCharacter } from '../util/text.js';
import type { WrapperSupervisor } from '../wrappers/supervisor.js';
import { InvalidIdError, NotFoundError, ValidationError, WrapperStopTimeoutError } from './errors.js';
import { type IdempotencyKeyReusedError, keyFor, reviveRow, type SentKey, withIdempotency } from './idempotency.js';
import type { BackendDeletion, DeletedColumns, Deleter } from './pipeline.js';

/** What starting and stopping wrapper processes needs. */
export interface WrapperDeps {
  prisma: PrismaClient;
  supervisor: WrapperSupervisor;
  instanceId: string;
  log: Logger;
}

export interface ResourceDeps extends WrapperDeps {
  /** how long a deletion waits for another instance to stop the wrapper process it runs */
  remoteStopTimeoutMs: number;
  /** the pipeline's deleter for resources (resourceDeletion) */
  deleter: Deleter<DeletedResourceRow>;
}

export type { ExecutionLogEntry, Resource, Wrapper };

export interface DeleteResourcePayload {
  id: string;
  deleted: true;
  resource: Resource;
  wrapper: Wrapper | null;
}

// ---- reads -------------------------------------------------------------------------------

export function findResource(db: Db, workspaceId: string, id: string): Promise<Resource | null> {
  if (!isObjectId(id)) return Promise.resolve(null);
  return db.resource.findFirst({ where: { id: id.toLowerCase(), workspaceId, deleted: false } });
}

export interface PageRequest {
  after: string | null;
  before: string | null;
  limit: number;
  /** true when paging backwards from `before`: rows come newest first */
  inverted: boolean;
}

/** Live resources of a workspace in id order (ObjectIds grow with time); a cursor is a resource id. */
export async function listResources(
  db: Db,
  workspaceId: string,
  page: PageRequest,
): Promise<Resource[] | ValidationError> {
  for (const field of ['after', 'before'] as const) {
    const cursor = page[field];
    if (cursor !== null && !isObjectId(cursor)) {
      return new ValidationError('Malformed cursor: use a cursor this list returned', field);
    }
  }
  return db.resource.findMany({
    where: {
      workspaceId,
      deleted: false,
      id: { ...(page.after ? { gt: page.after } : {}), ...(page.before ? { lt: page.before } : {}) },
    },
    orderBy: { id: page.inverted ? 'desc' : 'asc' },
    take: page.limit,
  });
}

/** Batch function for a DataLoader: the wrapper of each resource (or null). */
export async function loadWrappersByResource(db: Db, resourceIds: readonly string[]): Promise<(Wrapper | null)[]> {
  const rows = await db.wrapper.findMany({ where: { resourceId: { in: [...resourceIds] } } });
  const byResource = new Map(rows.map((w) => [w.resourceId, w]));
  return resourceIds.map((id) => byResource.get(id) ?? null);
}

/** Batch function for a DataLoader: the last `last` entries of each wrapper's log, oldest first. */
export async function loadExecutionLogs(
  db: Db,
  keys: readonly { wrapperId: string; last: number }[],
): Promise<ExecutionLogEntry[][]> {
  const wrapperIds = [...new Set(keys.map((k) => k.wrapperId))];
  const max = Math.max(0, ...keys.map((k) => k.last));
  const rows = await db.$queryRaw<{ id: bigint; wrapper_id: string; at: Date; event: string; message: string }[]>`
    SELECT id, wrapper_id, at, event, message FROM (
      SELECT e.*, row_number() OVER (PARTITION BY wrapper_id ORDER BY id DESC) AS rn
        FROM execution_log_entry e WHERE wrapper_id = ANY(${wrapperIds})
    ) ranked WHERE rn <= ${max} ORDER BY id`;
  const byWrapper = new Map<string, ExecutionLogEntry[]>();
  for (const r of rows) {
    const list = byWrapper.get(r.wrapper_id) ?? [];
    list.push({ id: r.id, wrapperId: r.wrapper_id, at: r.at, event: r.event, message: r.message });
    byWrapper.set(r.wrapper_id, list);
  }
  return keys.map((k) => (k.last <= 0 ? [] : (byWrapper.get(k.wrapperId) ?? []).slice(-k.last)));
}

export async function findWrapperAnyState(db: Db, workspaceId: string, wrapperId: string) {
  if (hasControlCharacter(wrapperId)) return null; // no wrapper has such an id
  return db.wrapper.findFirst({ where: { id: wrapperId, resource: { workspaceId } } });
}

// ---- create ------------------------------------------------------------------------------

export async function createResource(
  deps: ResourceDeps,
  workspaceId: string,
  input: { name: string; wrapperKind?: string | null },
): Promise<Resource | ValidationError> {
  const name = input.name.trim();
  if (!name || name.length > 200 || hasControlCharacter(name)) {
    return new ValidationError('name must be 1 to 200 characters, without control characters', 'name');
  }
  if (input.wrapperKind != null && !deps.supervisor.isKnownKind(input.wrapperKind)) {
    return new ValidationError(`Unknown wrapper kind "${input.wrapperKind}"`, 'wrapperKind');
  }
  const id = newObjectId();
  const wrapperId = input.wrapperKind != null ? newWrapperId() : null;
  const resource = await deps.prisma.resource.create({
    data: {
      id,
      workspaceId,
      name,
      ...(wrapperId
        ? { wrapper: { create: { id: wrapperId, kind: input.wrapperKind!, instanceId: deps.instanceId } } }
        : {}),
    },
  });
  if (wrapperId) await startWrapper(deps, wrapperId, input.wrapperKind!);
  return resource;
}

/**
 * Starts a PENDING wrapper's process and records RUNNING (or FAILED) with a log entry. If the
 * resource was deleted while the process was starting, the process is stopped at once and the
 * deletion's STOPPED is what stands.
 */
export async function startWrapper(deps: WrapperDeps, wrapperId: string, kind: string): Promise<void> {
  try {
    const pid = await deps.supervisor.start(kind, wrapperId);
    const recorded = await deps.prisma.$transaction(async (tx) => {
      const { count } = await tx.wrapper.updateMany({
        where: { id: wrapperId, status: 'PENDING', stopRequestedAt: null },
        data: { status: 'RUNNING', pid, statusChangedAt: new Date(), instanceId: deps.instanceId },
      });
      if (count === 0) return false;
      await tx.executionLogEntry.create({
        data: { wrapperId, event: 'WRAPPER_STARTED', message: `Started ${kind} wrapper process ${pid}` },
      });
      return true;
    });
    if (!recorded) {
      // Deleted meanwhile: stop the process (recording STOPPED unless the deletion already
      // did, then with "no process was running"), and make sure it is gone either way.
      const wrapper = await deps.prisma.wrapper.update({ where: { id: wrapperId }, data: { pid } });
      await completeWrapperStop(deps, wrapper);
      await deps.supervisor.stop(pid, wrapperId);
    }
  } catch (err) {
    deps.log.error({ err, wrapperId }, 'wrapper failed to start');
    await deps.prisma.$transaction(async (tx) => {
      const { count } = await tx.wrapper.updateMany({
        where: { id: wrapperId, status: 'PENDING' },
        data: { status: 'FAILED', statusChangedAt: new Date() },
      });
      if (count === 0) return;
      await tx.executionLogEntry.create({
        data: {
          wrapperId,
          event: 'WRAPPER_FAILED',
          message: `Could not start ${kind} wrapper: ${(err as Error).message}`,
        },
      });
    });
  }
}

// ---- delete ------------------------------------------------------------------------------

export interface DeletedResourceRow extends DeletedColumns {
  name: string;
  deleted: boolean;
  deleted_at: Date;
  created_at: Date;
  w_id: string | null;
  w_kind: string | null;
  w_status: string | null;
  w_status_changed_at: Date | null;
  w_pid: number | null;
  w_instance_id: string | null;
  w_stop_requested_at: Date | null;
  w_created_at: Date | null;
}

/** After-commit work: stop a deleted resource's wrapper process, then let its queue message go. */
export const WRAPPER_STOP_TASK = 'wrapper.stop';

/**
 * Seed 000 on the deletion pipeline: the resource is marked deleted (the conditional update is
 * the lock: of concurrent deletions exactly one matches), its wrapper's stop is requested and
 * scheduled as after-commit work on the instance that owns the process, and the message
 * `{"resource_id","wrapper_id"}` is queued, held until the wrapper is STOPPED (the seed lists
 * the message after the stop).
 */
export const resourceDeletion: BackendDeletion = {
  backend: 'RESOURCE',
  eventKind: 'SOFT_DELETED',
  queue: RESOURCE_DELETION_QUEUE,
  afterCommitFailpoint: 'after-resource-delete-commit',
  statement: (requests) => Prisma.sql`
    r AS (
      UPDATE resource SET deleted = true, deleted_at = now()
        FROM req
       WHERE resource.id = ANY(${requests.map((r) => r.id)}::bpchar[]) -- char(24): index lookups, not a scan
         AND resource.id = req.id::bpchar AND resource.workspace_id = req.workspace_id AND NOT resource.deleted
      RETURNING resource.*, req.ord, req.message_id),
    w AS (
      UPDATE wrapper SET stop_requested_at = r.deleted_at FROM r
       WHERE wrapper.resource_id = r.id
      RETURNING wrapper.*),
    deleted AS (
      SELECT r.ord, r.id::text AS entity_id, r.workspace_id,
             '{"resource_id":' || to_json(r.id::text)::text || ',"wrapper_id":'
               || coalesce(to_json(w.id)::text, 'null') || '}' AS event_data,
             '{"resource_id":' || to_json(r.id::text)::text || ',"wrapper_id":'
               || coalesce(to_json(w.id)::text, 'null') || '}' AS message,
             w.id IS NOT NULL AS message_held,
             CASE WHEN w.id IS NOT NULL THEN jsonb_build_array(jsonb_build_object(
               'kind', ${WRAPPER_STOP_TASK}::text, 'instanceId', w.instance_id,
               'payload', jsonb_build_object('wrapperId', w.id, 'messageId', r.message_id))) END AS tasks,
             r.name, r.deleted, r.deleted_at, r.created_at,
             w.id AS w_id, w.kind AS w_kind, w.status::text AS w_status, w.status_changed_at AS w_status_changed_at,
             w.pid AS w_pid, w.instance_id AS w_instance_id, w.stop_requested_at AS w_stop_requested_at,
             w.created_at AS w_created_at
        FROM r LEFT JOIN w ON w.resource_id = r.id)`,
};

/** The after-commit handler that stops a deleted resource's wrapper (on the instance that owns it). */
export function wrapperStopHandler(deps: WrapperDeps): AfterCommitHandler {
  return {
    kind: WRAPPER_STOP_TASK,
    async run(task) {
      const { wrapperId, messageId } = task.payload as { wrapperId: string; messageId: string };
      const wrapper = await deps.prisma.wrapper.findUniqueOrThrow({ where: { id: wrapperId } });
      await completeWrapperStop(deps, wrapper);
      if (messageId) await releaseMessage(deps.prisma, messageId);
    },
  };
}

/**
 * Soft-deletes a resource through the pipeline; answers once the wrapper is STOPPED. This
 * instance's wrapper is stopped by the deletion's own after-commit work, run at once; another
 * instance's is stopped by that instance, which this one asks and waits for. A crash between
 * commit and the stop is finished by the after-commit worker at the next start.
 */
export async function deleteResource(
  deps: ResourceDeps,
  workspaceId: string,
  rawId: string,
  sent?: SentKey | null,
): Promise<
  DeleteResourcePayload | InvalidIdError | NotFoundError | WrapperStopTimeoutError | IdempotencyKeyReusedError
> {
  if (!isObjectId(rawId)) return new InvalidIdError('Invalid resource ID');
  const id = rawId.toLowerCase();
  const idem = keyFor(sent, 'resource.delete', { id });
  return withIdempotency(deps.prisma, idem, {
    run: async () => {
      const deleted = await deps.deleter.delete({ workspaceId, id, idempotency: idem });
      if (!deleted) return new NotFoundError('Resource not found');
      return answerDeletion(
        deps,
        deleted.row,
        deleted.tasks.every((t) => t.outcome === 'done'),
      );
    },
    // The first answer again: the resource as it was deleted, its wrapper STOPPED (waited for
    // when the first request's stop is still under way, or was cut off by a crash).
    replay: (answer) => answerDeletion(deps, reviveRow<DeletedResourceRow>(answer), false),
    empty: (result) => result instanceof NotFoundError,
  });
}

/** The answer to a deletion: once the wrapper is STOPPED (`stopped`: this instance's work did it). */
async function answerDeletion(
  deps: ResourceDeps,
  row: DeletedResourceRow,
  stopped: boolean,
): Promise<DeleteResourcePayload | WrapperStopTimeoutError> {
  const id = row.entity_id;
  const resource = {
    id,
    workspaceId: row.workspace_id,
    name: row.name,
    deleted: row.deleted,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
  } satisfies Resource;
  if (row.w_id === null) return { id, deleted: true, resource, wrapper: null };

  let wrapper: Wrapper | null;
  if (row.w_instance_id && row.w_instance_id !== deps.instanceId) {
    // Only the instance that started the process may signal it (pids are per machine).
    await deps.prisma.$executeRaw`SELECT pg_notify(${WRAPPER_STOP_CHANNEL}, ${row.w_instance_id})`;
    wrapper = await awaitWrapperStopped(deps, row.w_id, deps.remoteStopTimeoutMs);
    if (!wrapper) return new WrapperStopTimeoutError(id, row.w_id, row.w_instance_id, deps.remoteStopTimeoutMs);
  } else {
    // Run at once by the deletion; if a worker holds it or it failed and will be retried, wait for it.
    wrapper = stopped
      ? await deps.prisma.wrapper.findUniqueOrThrow({ where: { id: row.w_id } })
      : await awaitWrapperStopped(deps, row.w_id, deps.remoteStopTimeoutMs);
    if (!wrapper) return new WrapperStopTimeoutError(id, row.w_id, deps.instanceId, deps.remoteStopTimeoutMs);
  }
  return { id, deleted: true, resource, wrapper };
}

/** The signal an instance listens for: "you have wrappers to stop". */
export const WRAPPER_STOP_CHANNEL = 'wrapper_stop';

/**
 * Waits until the wrapper is STOPPED; null when it is not within the timeout. The owner finds
 * its after-commit work on its own at its next poll, so a missed signal only delays the stop.
 */
async function awaitWrapperStopped(deps: ResourceDeps, wrapperId: string, timeoutMs: number): Promise<Wrapper | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = await deps.prisma.wrapper.findUniqueOrThrow({ where: { id: wrapperId } });
    if (current.status === 'STOPPED') return current;
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
}

/**
 * Stops a wrapper whose resource was deleted and records STOPPED with one log entry.
 * Idempotent: the status change is conditional, so a retry or a second instance records nothing twice.
 */
export async function completeWrapperStop(deps: WrapperDeps, wrapper: Wrapper): Promise<Wrapper> {
  if (wrapper.status === 'STOPPED') return wrapper;
  const outcome = wrapper.pid != null ? await deps.supervisor.stop(wrapper.pid, wrapper.id) : 'not-running';
  const how = {
    terminated: `process ${wrapper.pid} stopped with SIGTERM`,
    killed: `process ${wrapper.pid} did not exit within the grace period and was killed with SIGKILL`,
    'not-running': 'no process was running',
  }[outcome];
  return deps.prisma.$transaction(async (tx) => {
    const updated = await tx.wrapper.updateManyAndReturn({
      where: { id: wrapper.id, status: { not: 'STOPPED' } },
      data: { status: 'STOPPED', statusChangedAt: new Date() },
    });
    if (updated.length === 0) return tx.wrapper.findUniqueOrThrow({ where: { id: wrapper.id } });
    await tx.executionLogEntry.create({
      data: {
        wrapperId: wrapper.id,
        event: 'RESOURCE_DELETED',
        message: `Resource ${wrapper.resourceId} deleted; wrapper ${how} by instance ${deps.instanceId}; status STOPPED`,
      },
    });
    return updated[0]!;
  });
}

/**
 * Start-up and periodic repair of this instance's wrappers: start wrappers that were created
 * but never started, and record processes that died while nobody watched. (Stops a crash
 * interrupted are after-commit work, finished by the worker.)
 */
export async function reconcileWrappers(deps: WrapperDeps): Promise<{ started: number; failed: number }> {
  const wrappers = await deps.prisma.wrapper.findMany({
    where: { instanceId: deps.instanceId, status: { in: ['PENDING', 'RUNNING'] }, stopRequestedAt: null },
  });
  let started = 0;
  let failed = 0;
  for (const w of wrappers) {
    if (w.status === 'PENDING') {
      await startWrapper(deps, w.id, w.kind);
      started++;
    } else if (w.status === 'RUNNING' && (w.pid == null || !deps.supervisor.owns(w.pid, w.id))) {
      await deps.prisma.$transaction(async (tx) => {
        const { count } = await tx.wrapper.updateMany({
          where: { id: w.id, status: 'RUNNING' },
          data: { status: 'FAILED', statusChangedAt: new Date() },
        });
        if (count) {
          await tx.executionLogEntry.create({
            data: {
              wrapperId: w.id,
              event: 'WRAPPER_EXITED',
              message: `Wrapper process ${w.pid} is no longer running`,
            },
          });
        }
      });
      failed++;
    }
  }
  return { started, failed };
}
