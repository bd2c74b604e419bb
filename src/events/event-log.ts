import type { Db, Tx } from '../db/client.js';
import type { DeletionBackend, DeletionEventKind } from '../db/generated/enums.js';

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

export interface NewDeletionEvent {
  backend: DeletionBackend;
  kind: DeletionEventKind;
  entityId: string;
  workspaceId: string;
  data: Record<string, unknown>;
}

/** Written inside the deletion's own transaction, so the event exists iff the deletion does. */
export async function appendDeletionEvent(tx: Tx, event: NewDeletionEvent): Promise<void> {
  await tx.deletionEvent.create({
    data: {
      backend: event.backend,
      kind: event.kind,
      entityId: event.entityId,
      workspaceId: event.workspaceId,
      data: event.data as object,
    },
  });
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
  const after = opts.after ?? { txid: 0n, id: 0n };
  const before = opts.before ?? { txid: 1n << 63n, id: 1n << 62n };
  const f = opts.filter ?? {};
  const direction = opts.inverted ? 'DESC' : 'ASC';
  const rows = await db.$queryRawUnsafe<EventRow[]>(
    `SELECT id, txid::text AS txid, backend, kind, entity_id, workspace_id, occurred_at, data
       FROM deletion_event
      WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
        AND (txid::text::numeric, id) > ($1::numeric, $2::bigint)
        AND (txid::text::numeric, id) < ($3::numeric, $4::bigint)
        AND ($5::text IS NULL OR workspace_id = $5)
        AND ($6::text[] IS NULL OR backend::text = ANY($6))
        AND ($7::text[] IS NULL OR kind::text = ANY($7))
        AND ($8::text IS NULL OR entity_id = $8)
      ORDER BY txid::text::numeric ${direction}, id ${direction}
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
