import type { Db, PrismaClient } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import type { DeletionBackend, DeletionEventKind } from '../db/generated/enums.js';
import { hasControlCharacter } from '../util/text.js';

export interface DeletionEventRecord {
  id: bigint;
  txid: bigint;
  cursor: string;
  backend: DeletionBackend;
  kind: DeletionEventKind;
  entityId: string;
  workspaceId: string;
  occurredAt: Date;
  data: unknown;
}

export interface DeletionEventFilter {
  backends?: DeletionBackend[] | null;
  kinds?: DeletionEventKind[] | null;
  entityId?: string | null;
}

/**
 * The one way into the event log: an INSERT to embed as a CTE of a deletion statement, so each
 * event commits in the deletion's own transaction. It appends one event per row of `rows`, a
 * CTE of the statement with the columns `ord` (the order of the events), `entity_id`,
 * `workspace_id` and `event_data` (the event's data as JSON text).
 */
export function appendDeletionEventsSql(backend: DeletionBackend, kind: DeletionEventKind, rows: string) {
  return Prisma.sql`
      INSERT INTO deletion_event (backend, kind, entity_id, workspace_id, data)
      SELECT ${backend}::"DeletionBackend", ${kind}::"DeletionEventKind", entity_id, workspace_id, event_data::jsonb
        FROM ${Prisma.raw(rows)} ORDER BY ord
      RETURNING id`;
}

// A cursor is (writing transaction id, event id), each as 16 hex digits, so that cursors
// compare as strings in the order events are handed out.
export function encodeCursor(txid: bigint, id: bigint): string {
  return txid.toString(16).padStart(16, '0') + id.toString(16).padStart(16, '0');
}

export interface EventPosition {
  txid: bigint;
  id: bigint;
}

export function decodeCursor(cursor: string): EventPosition | null {
  if (!/^[0-9a-f]{32}$/.test(cursor)) return null;
  return { txid: BigInt(`0x${cursor.slice(0, 16)}`), id: BigInt(`0x${cursor.slice(16)}`) };
}

interface EventRow {
  id: bigint;
  txid: string;
  backend: DeletionBackend;
  kind: DeletionEventKind;
  entity_id: string;
  workspace_id: string;
  occurred_at: Date;
  data: unknown;
}

/**
 * Events after `after`, in hand-out order. Only events of transactions older than every
 * transaction still running are visible: a sequence id is drawn before commit, so a slower
 * transaction can commit an event behind one already handed out; ordering by the writing
 * transaction and stopping at the snapshot's xmin closes that gap.
 */
export async function readDeletionEvents(
  db: Db,
  opts: {
    after?: EventPosition | null;
    before?: EventPosition | null;
    /** newest first (paging backwards from `before`) */
    inverted?: boolean;
    workspaceId?: string | null;
    filter?: DeletionEventFilter | null;
    limit: number;
  },
): Promise<DeletionEventRecord[]> {
  // no entity has such an id (and PostgreSQL text cannot hold U+0000)
  if (opts.filter?.entityId != null && hasControlCharacter(opts.filter.entityId)) return [];
  const after = opts.after ?? { txid: 0n, id: 0n };
  const before = opts.before ?? { txid: 1n << 63n, id: 1n << 62n };
  const f = opts.filter ?? {};
  const direction = opts.inverted ? 'DESC' : 'ASC';
  const rows = await db.$queryRawUnsafe<EventRow[]>(
    `SELECT id, txid::text AS txid, backend, kind, entity_id, workspace_id, occurred_at, data
       FROM deletion_event
      WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
        AND (txid, id) > ($1::xid8, $2::bigint)
        AND (txid, id) < ($3::xid8, $4::bigint)
        AND ($5::text IS NULL OR workspace_id = $5)
        AND ($6::text[] IS NULL OR backend::text = ANY($6))
        AND ($7::text[] IS NULL OR kind::text = ANY($7))
        AND ($8::text IS NULL OR entity_id = $8)
      ORDER BY txid ${direction}, id ${direction}
      LIMIT $9`,
    after.txid.toString(),
    after.id,
    before.txid.toString(),
    before.id,
    opts.workspaceId ?? null,
    f.backends?.length ? f.backends : null,
    f.kinds?.length ? f.kinds : null,
    f.entityId ?? null,
    opts.limit,
  );
  return rows.map((r) => {
    const txid = BigInt(r.txid);
    return {
      id: r.id,
      txid,
      cursor: encodeCursor(txid, r.id),
      backend: r.backend,
      kind: r.kind,
      entityId: r.entity_id,
      workspaceId: r.workspace_id,
      occurredAt: r.occurred_at,
      data: r.data,
    };
  });
}

/**
 * The newest position a reader can see now. Every event that becomes visible later belongs
 * to a transaction at or after the snapshot's xmin, so it sorts after this position.
 */
export async function readHeadPosition(db: Db): Promise<EventPosition | null> {
  const [row] = await db.$queryRaw<{ txid: string; id: bigint }[]>`
    SELECT txid::text AS txid, id FROM deletion_event
     WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY txid DESC, id DESC LIMIT 1`;
  return row ? { txid: BigInt(row.txid), id: row.id } : null;
}

export interface DeletionEventCount {
  backend: DeletionBackend;
  kind: DeletionEventKind;
  count: number;
  /** when the oldest event counted occurred */
  since: Date;
}

/**
 * A workspace's events counted by backend and kind, with the position a stream resumes from
 * to keep counting: no event counted twice, none missed. Counts and position come from one
 * snapshot: every event not counted belongs to a transaction at or after its xmin, so it sorts
 * after the newest visible event of any workspace (or, with none, after the pruning horizon or
 * the start of the log).
 */
export async function countDeletionEvents(
  db: Db,
  workspaceId: string,
): Promise<{ counts: DeletionEventCount[]; position: EventPosition }> {
  const [row] = await db.$queryRaw<
    {
      counts: { backend: DeletionBackend; kind: DeletionEventKind; count: number; since: string }[];
      head_txid: string | null;
      head_id: bigint | null;
      horizon_txid: string | null;
      horizon_id: bigint | null;
    }[]
  >`
    WITH snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
    counts AS (
      SELECT backend, kind, count(*)::int AS count, min(occurred_at) AS since
        FROM deletion_event, snap
       WHERE workspace_id = ${workspaceId} AND txid < snap.xmin
       GROUP BY backend, kind),
    head AS (
      SELECT txid, id FROM deletion_event, snap WHERE txid < snap.xmin ORDER BY txid DESC, id DESC LIMIT 1)
    SELECT (SELECT coalesce(json_agg(counts ORDER BY backend, kind), '[]'::json) FROM counts) AS counts,
           (SELECT txid::text FROM head) AS head_txid, (SELECT id FROM head) AS head_id,
           (SELECT txid::text FROM event_log_horizon WHERE id = 1) AS horizon_txid,
           (SELECT event_id FROM event_log_horizon WHERE id = 1) AS horizon_id`;
  const position =
    row?.head_txid != null && row.head_id != null
      ? { txid: BigInt(row.head_txid), id: row.head_id }
      : row?.horizon_txid != null && row.horizon_id != null
        ? { txid: BigInt(row.horizon_txid), id: row.horizon_id }
        : { txid: 0n, id: 0n };
  return {
    counts: (row?.counts ?? []).map((c) => ({ ...c, since: new Date(c.since) })),
    position,
  };
}

// ---- retention ---------------------------------------------------------------------------

const comparePositions = (a: EventPosition, b: EventPosition) =>
  a.txid === b.txid ? (a.id === b.id ? 0 : a.id < b.id ? -1 : 1) : a.txid < b.txid ? -1 : 1;

/** The position of the last pruned event, or null when nothing was ever pruned. */
export async function readHorizon(db: Db): Promise<EventPosition | null> {
  const rows = await db.$queryRaw<{ txid: string; event_id: bigint }[]>`
    SELECT txid::text AS txid, event_id FROM event_log_horizon WHERE id = 1`;
  const row = rows[0];
  return row ? { txid: BigInt(row.txid), id: row.event_id } : null;
}

/**
 * True when events after `position` may already have been pruned, so resuming from it would
 * silently skip them. A position at the horizon itself is fine: its reader saw the last
 * pruned event.
 */
export async function isPruned(db: Db, position: EventPosition): Promise<boolean> {
  const horizon = await readHorizon(db);
  return horizon !== null && comparePositions(position, horizon) < 0;
}

const PRUNE_LOCK = 0x6465_6c65; // advisory lock key: one instance prunes at a time

/**
 * Deletes events older than `retentionMs`. What goes is always a prefix of the log in
 * hand-out order (everything up to the newest expired, visible event), and the horizon
 * moves to its end in the same transaction, so a cursor is either resumable without a gap
 * or recognisably expired.
 */
export async function pruneDeletionEvents(prisma: PrismaClient, retentionMs: number): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${PRUNE_LOCK}) AS locked`;
    if (!lock?.locked) return 0;
    const cutoff = new Date(Date.now() - retentionMs);
    const [last] = await tx.$queryRaw<{ txid: string; id: bigint }[]>`
      SELECT txid::text AS txid, id FROM deletion_event
       WHERE occurred_at < ${cutoff} AND txid < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY txid DESC, id DESC LIMIT 1`;
    if (!last) return 0;
    const deleted = await tx.$executeRaw`
      DELETE FROM deletion_event WHERE (txid, id) <= (${last.txid}::xid8, ${last.id}::bigint)`;
    await tx.$executeRaw`
      INSERT INTO event_log_horizon (id, txid, event_id, pruned_at) VALUES (1, ${last.txid}::xid8, ${last.id}, now())
      ON CONFLICT (id) DO UPDATE SET txid = EXCLUDED.txid, event_id = EXCLUDED.event_id, pruned_at = EXCLUDED.pruned_at`;
    return deleted;
  });
}
