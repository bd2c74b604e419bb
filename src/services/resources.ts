import type { Logger } from 'pino';
import type { Db, PrismaClient } from '../db/client.js';
import type { ExecutionLogEntry, Resource, Wrapper } from '../db/generated/client.js';
import type { CommitSignals } from '../events/commit-signals.js';
import { appendDeletionEventsSql } from '../events/event-log.js';
import { enqueueMessagesSql, RESOURCE_DELETION_QUEUE } from '../events/outbox.js';
import type { Failpoints } from '../failpoints.js';
import { isObjectId, newObjectId, newUuidV7, newWrapperId } from '../ids.js';
import type { WrapperSupervisor } from '../wrappers/supervisor.js';
import { MicroBatcher } from './batcher.js';
import { InvalidIdError, NotFoundError, ValidationError, WrapperStopTimeoutError } from './errors.js';

export interface ResourceDeps {
  prisma: PrismaClient;
  supervisor: WrapperSupervisor;
  instanceId: string;
  failpoints: Failpoints;
  log: Logger;
  /** how long a deletion waits for another instance to stop the wrapper process it runs */
  remoteStopTimeoutMs: number;
  /** wakes live tails and relays after a deletion committed */
  signals: CommitSignals;
  /** runs the deletion statement, batching concurrent deletions */
  deleter: ReturnType<typeof createResourceDeleter>;
}

export type { ExecutionLogEntry, Resource, Wrapper };

interface DeletedResourceRow {
  id: string;
  workspace_id: string;
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

/** Live resources of a workspace in id order (ObjectIds grow with time). */
export function listResources(db: Db, workspaceId: string, page: PageRequest): Promise<Resource[]> {
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
  return db.wrapper.findFirst({ where: { id: wrapperId, resource: { workspaceId } } });
}

// ---- create ------------------------------------------------------------------------------

export async function createResource(
  deps: ResourceDeps,
  workspaceId: string,
  input: { name: string; wrapperKind?: string | null },
): Promise<Resource | ValidationError> {
  const name = input.name.trim();
  if (!name || name.length > 200) return new ValidationError('name must be 1 to 200 characters', 'name');
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
export async function startWrapper(deps: ResourceDeps, wrapperId: string, kind: string): Promise<void> {
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

/**
 * Soft-deletes a resource. One statement, and so one transaction, marks the resource deleted,
 * records the wrapper's stop request, queues the deletion message in the outbox and appends
 * the deletion event; the commit is then signalled to live tails and relays. After
 * commit the wrapper process is stopped and STOPPED is recorded with its log entry. A crash
 * between the two is finished by `reconcileWrappers` at the next start.
 *
 * The conditional update is the lock: of concurrent deletions exactly one matches, the others
 * wait for its row lock, see the row deleted and change nothing. Doing it all in one statement
 * (data-modifying CTEs) instead of an interactive transaction saves five round trips, and
 * concurrent deletions share that statement (deleteResourcesStatement, MicroBatcher).
 */
export async function deleteResource(
  deps: ResourceDeps,
  workspaceId: string,
  rawId: string,
): Promise<DeleteResourcePayload | InvalidIdError | NotFoundError | WrapperStopTimeoutError> {
  if (!isObjectId(rawId)) return new InvalidIdError('Invalid resource ID');
  const id = rawId.toLowerCase();
  const row = await deps.deleter.call({ workspaceId, id });
  if (!row) return new NotFoundError('Resource not found');
  deps.signals.committed();
  const committed = {
    resource: {
      id: row.id,
      workspaceId: row.workspace_id,
      name: row.name,
      deleted: row.deleted,
      deletedAt: row.deleted_at,
      createdAt: row.created_at,
    } satisfies Resource,
    wrapper:
      row.w_id === null
        ? null
        : ({
            id: row.w_id,
            resourceId: row.id,
            kind: row.w_kind!,
            status: row.w_status as Wrapper['status'],
            statusChangedAt: row.w_status_changed_at,
            pid: row.w_pid,
            instanceId: row.w_instance_id,
            stopRequestedAt: row.w_stop_requested_at,
            createdAt: row.w_created_at!,
          } satisfies Wrapper),
  };
  deps.failpoints.hit('after-resource-delete-commit');

  let wrapper: Wrapper | null = committed.wrapper;
  if (wrapper?.instanceId && wrapper.instanceId !== deps.instanceId) {
    // Only the instance that started the process may signal it (pids are per machine).
    wrapper = await awaitRemoteWrapperStop(deps, wrapper);
    if (!wrapper) {
      const w = committed.wrapper!;
      return new WrapperStopTimeoutError(id, w.id, w.instanceId!, deps.remoteStopTimeoutMs);
    }
  } else if (wrapper) {
    wrapper = await completeWrapperStop(deps, wrapper);
  }
  return { id, deleted: true, resource: committed.resource, wrapper };
}

export interface ResourceDeletion {
  workspaceId: string;
  id: string;
}

/**
 * Soft-deletes a batch of resources in one statement (one transaction): each resource, its
 * wrapper's stop request, its queue message and its event. Resolves per request with the
 * deleted row, or null when the resource does not exist, is another workspace's or was
 * already deleted. A resource asked for twice in one batch is deleted by its first request.
 */
export async function deleteResourcesStatement(prisma: PrismaClient, requests: ResourceDeletion[]) {
  const first = new Map<string, number>();
  requests.forEach((r, i) => {
    const key = `${r.workspaceId}\u0000${r.id}`;
    if (!first.has(key)) first.set(key, i);
  });
  const unique = [...first.values()].map((i) => requests[i]!).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows = await prisma.$queryRaw<DeletedResourceRow[]>`
    WITH req AS (
      SELECT * FROM unnest(${unique.map((r) => r.id)}::bpchar[], ${unique.map((r) => r.workspaceId)}::text[],
                           ${unique.map(() => newUuidV7())}::uuid[]) AS req(id, workspace_id, message_id)),
    r AS (
      UPDATE resource SET deleted = true, deleted_at = now()
        FROM req
       WHERE resource.id = ANY(${unique.map((r) => r.id)}::bpchar[]) -- char(24): index lookups, not a scan
         AND resource.id = req.id AND resource.workspace_id = req.workspace_id AND NOT resource.deleted
      RETURNING resource.id, resource.workspace_id, resource.name, resource.deleted, resource.deleted_at,
                resource.created_at, req.message_id),
    w AS (
      UPDATE wrapper SET stop_requested_at = r.deleted_at FROM r
       WHERE wrapper.resource_id = r.id
      RETURNING wrapper.*),
    deleted AS (
      SELECT r.id AS entity_id, r.workspace_id, r.message_id,
             '{"resource_id":' || to_json(r.id::text)::text || ',"wrapper_id":'
               || coalesce(to_json(w.id)::text, 'null') || '}' AS payload
        FROM r LEFT JOIN w ON w.resource_id = r.id),
    q AS (${enqueueMessagesSql(RESOURCE_DELETION_QUEUE, 'deleted')}),
    e AS (${appendDeletionEventsSql('RESOURCE', 'SOFT_DELETED', 'deleted')})
    SELECT r.id, r.workspace_id, r.name, r.deleted, r.deleted_at, r.created_at,
           w.id AS w_id, w.kind AS w_kind, w.status::text AS w_status, w.status_changed_at AS w_status_changed_at,
           w.pid AS w_pid, w.instance_id AS w_instance_id, w.stop_requested_at AS w_stop_requested_at,
           w.created_at AS w_created_at
      FROM r LEFT JOIN w ON w.resource_id = r.id`;
  const byKey = new Map(rows.map((row) => [`${row.workspace_id}\u0000${row.id}`, row]));
  return requests.map((r, i) => {
    const key = `${r.workspaceId}\u0000${r.id}`;
    return first.get(key) === i ? (byKey.get(key) ?? null) : null;
  });
}

/** Concurrent deletions share statements (see MicroBatcher). */
export const createResourceDeleter = (prisma: PrismaClient) =>
  new MicroBatcher((requests: ResourceDeletion[]) => deleteResourcesStatement(prisma, requests));

/** The signal an instance listens for: "you have wrappers to stop". */
export const WRAPPER_STOP_CHANNEL = 'wrapper_stop';

/**
 * Asks the owning instance to stop the wrapper and waits until it has recorded STOPPED;
 * null when it did not within the timeout. The owner also finds the request on its own at
 * its next reconciliation, so a missed signal only delays the stop.
 */
async function awaitRemoteWrapperStop(deps: ResourceDeps, wrapper: Wrapper): Promise<Wrapper | null> {
  await deps.prisma.$executeRaw`SELECT pg_notify(${WRAPPER_STOP_CHANNEL}, ${wrapper.instanceId})`;
  const deadline = Date.now() + deps.remoteStopTimeoutMs;
  for (;;) {
    const current = await deps.prisma.wrapper.findUniqueOrThrow({ where: { id: wrapper.id } });
    if (current.status === 'STOPPED') return current;
    if (Date.now() >= deadline) return null;
    await new Promise((r) => setTimeout(r, Math.min(50, Math.max(1, deadline - Date.now()))));
  }
}

/**
 * Stops a wrapper whose resource was deleted and records STOPPED with one log entry.
 * Idempotent: the status change is conditional, so a retry or a second instance records nothing twice.
 */
export async function completeWrapperStop(deps: ResourceDeps, wrapper: Wrapper): Promise<Wrapper> {
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
 * Start-up and periodic repair of this instance's wrappers: finish stops that a crash
 * interrupted, start wrappers that were created but never started, and record processes
 * that died while nobody watched.
 */
export async function reconcileWrappers(
  deps: ResourceDeps,
): Promise<{ stopped: number; started: number; failed: number }> {
  const wrappers = await deps.prisma.wrapper.findMany({
    where: { instanceId: deps.instanceId, status: { in: ['PENDING', 'RUNNING', 'FAILED'] } },
  });
  let stopped = 0;
  let started = 0;
  let failed = 0;
  for (const w of wrappers) {
    if (w.stopRequestedAt) {
      await completeWrapperStop(deps, w);
      stopped++;
    } else if (w.status === 'PENDING') {
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
  return { stopped, started, failed };
}
