// After a crash run: every deletion done exactly once with every side effect, or not at all;
// survivors untouched; nothing half deleted, nothing left behind. Read from the database, the
// blob directory, /proc and the broker's deliveries; each finding is a violation in words.
import fs from 'node:fs';
import path from 'node:path';
import { WrapperSupervisor } from '../../src/wrappers/supervisor.js';
import type { HarnessData } from './data.js';
import type { HarnessDatabase } from './database.js';
import { type Deletion, failureOf, operationIdOf, payloadOf } from './deletions.js';

/** What the data looked like before the first deletion (blob keys are not in any answer). */
export interface Snapshot {
  parserBlobs: Map<string, string[]>;
  datasetBlobs: Map<string, string>;
  imageBlobs: Map<string, string>;
  endpointIds: Map<string, string>;
}

export async function takeSnapshot(db: HarnessDatabase): Promise<Snapshot> {
  const parserBlobs = new Map<string, string[]>();
  for (const r of await db.query<{ request_id: string; blob_key: string }>(
    'SELECT request_id, blob_key FROM parser_file ORDER BY request_id, ord',
  )) {
    parserBlobs.set(r.request_id, [...(parserBlobs.get(r.request_id) ?? []), r.blob_key]);
  }
  const pairs = async (sql: string) =>
    new Map((await db.query<{ k: string; v: string }>(sql)).map((r) => [r.k, r.v] as const));
  return {
    parserBlobs,
    datasetBlobs: await pairs('SELECT id AS k, blob_key AS v FROM dataset'),
    imageBlobs: await pairs('SELECT id::text AS k, blob_key AS v FROM image WHERE blob_key IS NOT NULL'),
    endpointIds: await pairs(`SELECT company || '/' || "group" || '/' || endpoint AS k, id::text AS v FROM endpoint`),
  };
}

/** A message as the harness's consumer received it. */
export interface Delivery {
  messageId: string | undefined;
  body: string;
}

export interface CheckInput {
  db: HarnessDatabase;
  data: HarnessData;
  snapshot: Snapshot;
  deletions: Deletion[];
  deliveries: readonly Delivery[];
  blobDir: string;
  /** the deletions' API key id: the caller of every idempotency key */
  callerId: string;
}

export interface CheckResult {
  violations: string[];
  events: number;
  queueMessages: number;
  datasetsPurged: number;
  datasetsMarkedOnly: number;
  purgeRuns: { finished: number; interrupted: number };
  blobsRemoved: number;
  blobsKept: number;
  /** deletions whose answer is not what their committed deletion answers */
  badAnswers: Set<number>;
}

type EventRow = { backend: string; kind: string; entity_id: string; data: Record<string, unknown> };

export async function checkCrashRun(input: CheckInput): Promise<CheckResult> {
  const { db, data, snapshot, deletions, deliveries, blobDir, callerId } = input;
  const violations: string[] = [];
  const v = (message: string) => violations.push(message);
  const supervisor = new WrapperSupervisor(0, []);
  const onDisk = (key: string) => fs.existsSync(path.join(blobDir, key));
  let blobsRemoved = 0;
  const blobGone = (what: string, key: string) => {
    if (onDisk(key)) v(`${what}: blob ${key} is still in BLOB_DIR`);
    else blobsRemoved++;
  };
  const blobKept = (what: string, key: string) => {
    if (!onDisk(key)) v(`${what}: blob ${key} is missing from BLOB_DIR`);
  };

  // ---- the event log: each expected event exactly once, nothing else ----------------------
  const events = await db.query<EventRow>(
    'SELECT backend::text, kind::text, entity_id, data FROM deletion_event ORDER BY id',
  );
  const eventKey = (backend: string, kind: string, entity: string) => `${backend} ${kind} ${entity}`;
  const actual = new Map<string, EventRow[]>();
  for (const e of events) {
    const key = eventKey(e.backend, e.kind, e.entity_id);
    actual.set(key, [...(actual.get(key) ?? []), e]);
  }
  const expected = new Set<string>();
  /** Expects exactly one such event; returns its data (or null). */
  const expectEvent = (backend: string, kind: string, entity: string) => {
    const key = eventKey(backend, kind, entity);
    expected.add(key);
    const found = actual.get(key) ?? [];
    return found.length === 1 ? found[0]!.data : null;
  };

  const byKind = <K extends Deletion['kind']>(kind: K) =>
    deletions.filter((d): d is Extract<Deletion, { kind: K }> => d.kind === kind);
  const badAnswers = new Set<number>();
  const answered = (d: Deletion, problem: string) => {
    badAnswers.add(d.index);
    v(`deletion ${d.index} (${d.kind}, ${d.transport}): ${problem}`);
  };
  for (const d of deletions) {
    if (!d.answer) answered(d, 'never answered');
    else {
      const failure = failureOf(d, d.answer);
      if (failure) answered(d, `answered ${failure}`);
    }
  }

  // ---- seed 000: resources, wrappers, execution log, queue messages ------------------------
  const resources = new Map(
    (
      await db.query<{
        id: string;
        deleted: boolean;
        deleted_at: Date | null;
        wrapper_id: string | null;
        status: string | null;
        status_changed_at: Date | null;
        stop_requested_at: Date | null;
        pid: number | null;
        stop_entries: number;
      }>(`SELECT r.id, r.deleted, r.deleted_at, w.id AS wrapper_id, w.status::text AS status, w.status_changed_at,
                 w.stop_requested_at, w.pid,
                 (SELECT count(*)::int FROM execution_log_entry e
                   WHERE e.wrapper_id = w.id AND e.event = 'RESOURCE_DELETED') AS stop_entries
            FROM resource r LEFT JOIN wrapper w ON w.resource_id = r.id`)
    ).map((r) => [r.id, r]),
  );
  const queueRows = await db.query<{ id: string; body: string; state: string }>(
    'SELECT id::text, body, state::text FROM queue_message',
  );
  const rowsByResource = new Map<string, typeof queueRows>();
  for (const row of queueRows) {
    const rid = (JSON.parse(row.body) as { resource_id: string }).resource_id;
    rowsByResource.set(rid, [...(rowsByResource.get(rid) ?? []), row]);
    if (row.state !== 'SENT') v(`queue message ${row.id} is ${row.state}, not SENT`);
  }
  const deliveredIds = new Map<string, Set<string>>();
  const rowIds = new Set(queueRows.map((r) => r.id));
  for (const m of deliveries) {
    if (!m.messageId || !rowIds.has(m.messageId)) v(`the broker delivered a message no outbox row has: ${m.messageId}`);
    const rid = (JSON.parse(m.body) as { resource_id: string }).resource_id;
    deliveredIds.set(rid, (deliveredIds.get(rid) ?? new Set()).add(m.messageId ?? ''));
  }
  for (const d of byKind('resource')) {
    const { id, wrapperId, pid } = d.entity;
    const r = resources.get(id);
    const what = `resource ${id}`;
    if (!r?.deleted || !r.deleted_at) {
      v(`${what}: not deleted`);
      continue;
    }
    expectEvent('RESOURCE', 'SOFT_DELETED', id);
    if (r.stop_requested_at === null) v(`${what}: deleted without its wrapper's stop requested`);
    if (r.status !== 'STOPPED' || !r.status_changed_at) v(`${what}: wrapper ${wrapperId} is ${r.status}, not STOPPED`);
    if (r.stop_entries !== 1) v(`${what}: ${r.stop_entries} RESOURCE_DELETED execution-log entries, not 1`);
    if (supervisor.owns(pid, wrapperId)) v(`${what}: wrapper process ${pid} is still running`);
    const rows = rowsByResource.get(id) ?? [];
    if (rows.length !== 1) v(`${what}: ${rows.length} queue messages, not 1`);
    const seen = deliveredIds.get(id) ?? new Set();
    if (seen.size !== 1 || (rows[0] && !seen.has(rows[0].id))) {
      v(
        `${what}: the broker delivered ${seen.size} distinct message_ids (${[...seen].join(', ')}), not its one message`,
      );
    }
    if (d.answer && !failureOf(d, d.answer)) {
      const p = payloadOf(d, d.answer);
      if (d.transport === 'rest') {
        if (p?.id !== id || p?.deleted !== true) answered(d, `answered ${JSON.stringify(p)}`);
      } else {
        const resource = p?.resource as { deletedAt?: string } | undefined;
        const wrapper = p?.wrapper as { status?: string } | undefined;
        if (p?.id !== id || resource?.deletedAt !== r.deleted_at.toISOString() || wrapper?.status !== 'STOPPED') {
          answered(d, `answered ${JSON.stringify(p)}, but the resource was deleted at ${r.deleted_at.toISOString()}`);
        }
      }
    }
  }
  for (const s of data.survivors.resource) {
    const r = resources.get(s.id);
    const what = `surviving resource ${s.id}`;
    if (!r || r.deleted || r.stop_requested_at) v(`${what}: deleted or stop requested`);
    if (r?.status !== 'RUNNING') v(`${what}: wrapper is ${r?.status}, not RUNNING`);
    if (!supervisor.owns(s.pid, s.wrapperId)) v(`${what}: wrapper process ${s.pid} is gone`);
    if (rowsByResource.has(s.id) || deliveredIds.has(s.id)) v(`${what}: a queue message was sent for it`);
  }

  // ---- seed 001: endpoint records, delete-all, task runs ---------------------------------
  const records = new Map(
    (
      await db.query<{ id: string; endpoint_id: string; ref_count: number; references: string[] }>(
        'SELECT id::text, endpoint_id::text, ref_count, "references"::text[] AS "references" FROM endpoint_record',
      )
    ).map((r) => [r.id, r]),
  );
  const referrers = new Map<string, number>();
  for (const r of records.values()) {
    for (const ref of r.references) {
      if (!records.has(ref)) v(`endpoint record ${r.id} references ${ref}, which is gone`);
      referrers.set(ref, (referrers.get(ref) ?? 0) + 1);
    }
  }
  for (const r of records.values()) {
    if (r.ref_count !== (referrers.get(r.id) ?? 0)) {
      v(`endpoint record ${r.id}: ref_count ${r.ref_count}, but ${referrers.get(r.id) ?? 0} records reference it`);
    }
  }
  for (const d of byKind('record')) {
    if (records.has(d.entity.id)) v(`endpoint record ${d.entity.id}: not deleted`);
    else expectEvent('ENDPOINT_RECORD', 'HARD_DELETED', d.entity.id);
    if (d.answer && d.transport === 'graphql' && payloadOf(d, d.answer)?.id !== d.entity.id) {
      answered(d, `answered ${JSON.stringify(payloadOf(d, d.answer))}`);
    }
  }
  for (const id of [...data.survivors.record, ...data.survivors.keepers]) {
    if (!records.has(id)) v(`surviving endpoint record ${id}: deleted`);
  }
  const endpointId = (p: { company: string; group: string; endpoint: string }) =>
    snapshot.endpointIds.get(`${p.company}/${p.group}/${p.endpoint}`) ?? '?';
  for (const d of byKind('deleteAll')) {
    const id = endpointId(d.entity.path);
    const left = d.entity.ids.filter((r) => records.has(r));
    if (left.length) v(`endpoint ${id}: ${left.length} records left after delete-all`);
    const event = expectEvent('ENDPOINT_RECORD', 'HARD_DELETED', id);
    if (event && event.deletedCount !== d.entity.ids.length) {
      v(`endpoint ${id}: the delete-all event says ${event.deletedCount} records, not ${d.entity.ids.length}`);
    }
    const count = d.answer && payloadOf(d, d.answer)?.deletedCount;
    if (d.answer && count !== d.entity.ids.length)
      answered(d, `answered deletedCount ${count}, not ${d.entity.ids.length}`);
  }
  const runs = await db.query<{ id: string; endpoint_id: string; status: string }>(
    'SELECT id::text, endpoint_id::text, status::text FROM endpoint_task_run',
  );
  for (const d of byKind('task')) {
    const id = endpointId(d.entity.path);
    const what = `task endpoint ${id}`;
    if (d.entity.ids.some((r) => records.has(r))) v(`${what}: its task's records are still there`);
    if (!records.has(d.entity.survivorId)) v(`${what}: the record the task does not select was deleted`);
    const runIds = new Set<unknown>();
    for (const r of d.entity.ids) {
      if (!records.has(r)) runIds.add(expectEvent('ENDPOINT_RECORD', 'HARD_DELETED', r)?.taskRunId);
    }
    const mine = runs.filter((r) => r.endpoint_id === id);
    if (mine.length !== 1 || mine[0]!.status !== 'FINISHED_SUCCESS') {
      v(`${what}: ${mine.length} task runs (${mine.map((r) => r.status).join(', ')}), not one FINISHED_SUCCESS`);
    }
    if (runIds.size !== 1 || !runIds.has(mine[0]?.id)) {
      v(`${what}: its records' events name runs ${[...runIds].join(', ')}, not the run ${mine[0]?.id}`);
    }
    if (d.answer) {
      const p = payloadOf(d, d.answer);
      const answeredRun = d.transport === 'rest' ? p?.ID : p?.id;
      if (answeredRun !== mine[0]?.id) answered(d, `answered run ${String(answeredRun)}, not ${mine[0]?.id}`);
    }
  }

  // ---- seed 002: parser results with their rows, files and blobs -------------------------
  const results = new Map(
    (
      await db.query<{ request_id: string; rows: number; files: number }>(
        `SELECT p.request_id,
                (SELECT count(*)::int FROM parser_result_row x
                  WHERE x.workspace_id = p.workspace_id AND x.request_id = p.request_id) AS rows,
                (SELECT count(*)::int FROM parser_file f
                  WHERE f.workspace_id = p.workspace_id AND f.request_id = p.request_id) AS files
           FROM parser_result p`,
      )
    ).map((r) => [r.request_id, r]),
  );
  const [orphans] = await db.query<{ rows: number; files: number }>(
    `SELECT (SELECT count(*)::int FROM parser_result_row x WHERE NOT EXISTS
               (SELECT 1 FROM parser_result p WHERE p.workspace_id = x.workspace_id AND p.request_id = x.request_id)) AS rows,
            (SELECT count(*)::int FROM parser_file f WHERE NOT EXISTS
               (SELECT 1 FROM parser_result p WHERE p.workspace_id = f.workspace_id AND p.request_id = f.request_id)) AS files`,
  );
  if (orphans!.rows || orphans!.files) {
    v(`parser results: ${orphans!.rows} rows and ${orphans!.files} files belong to no result`);
  }
  for (const d of byKind('parserResult')) {
    const { requestId, files, rows } = d.entity;
    const what = `parser result ${requestId}`;
    if (results.has(requestId)) v(`${what}: not deleted`);
    else {
      const event = expectEvent('PARSER_RESULT', 'HARD_DELETED', requestId);
      if (event && (event.files !== files || event.rows !== rows)) {
        v(`${what}: its event counts ${event.files} files and ${event.rows} rows, not ${files} and ${rows}`);
      }
    }
    for (const key of snapshot.parserBlobs.get(requestId) ?? []) blobGone(what, key);
    if (d.answer && d.transport === 'graphql') {
      const p = payloadOf(d, d.answer);
      if (p?.deletedFiles !== files || p?.deletedRows !== rows) answered(d, `answered ${JSON.stringify(p)}`);
    }
  }
  for (const s of data.survivors.parserResult) {
    const r = results.get(s.requestId);
    const what = `surviving parser result ${s.requestId}`;
    if (!r || r.rows !== s.rows || r.files !== s.files)
      v(`${what}: ${JSON.stringify(r)}, not ${s.rows} rows, ${s.files} files`);
    for (const key of snapshot.parserBlobs.get(s.requestId) ?? []) blobKept(what, key);
  }

  // ---- seed 003: dataset marks and the purge ---------------------------------------------
  const datasets = new Map(
    (
      await db.query<{
        id: string;
        expires_at: Date | null;
        marked: boolean;
        whole: boolean;
      }>(
        `SELECT d.id, d.expires_at, (d.expires_at IS NOT NULL AND d.expires_at <= now()) AS marked,
                (d.item_count = (SELECT count(*) FROM dataset_item x WHERE x.dataset_id = d.id)
                 AND d.key_count = (SELECT count(*) FROM dataset_key x WHERE x.dataset_id = d.id)
                 AND d.vector_count = (SELECT count(*) FROM dataset_vector x WHERE x.dataset_id = d.id)) AS whole
           FROM dataset d`,
      )
    ).map((r) => [r.id, r]),
  );
  const [datasetOrphans] = await db.query<{ n: number }>(
    `SELECT ((SELECT count(*) FROM dataset_item x WHERE NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = x.dataset_id))
           + (SELECT count(*) FROM dataset_key x WHERE NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = x.dataset_id))
           + (SELECT count(*) FROM dataset_vector x WHERE NOT EXISTS (SELECT 1 FROM dataset d WHERE d.id = x.dataset_id)))::int AS n`,
  );
  if (datasetOrphans!.n) v(`datasets: ${datasetOrphans!.n} items, keys or vectors belong to no dataset`);
  // A run a crash cut off keeps finished_at NULL; the next start's run records it as interrupted.
  const purgeRuns = await db.query<{ started_at: Date; finished_at: Date | null; error: string | null }>(
    'SELECT started_at, finished_at, error FROM purge_run',
  );
  const completed = purgeRuns.filter((r) => r.finished_at && r.error === null);
  const lastCompleteStart = Math.max(0, ...completed.map((r) => r.started_at.getTime()));
  let datasetsPurged = 0;
  let datasetsMarkedOnly = 0;
  for (const d of byKind('dataset')) {
    const id = d.entity;
    const what = `dataset ${id}`;
    const row = datasets.get(id);
    const marked = expectEvent('DATASET', 'MARKED_FOR_DELETION', id);
    const blob = snapshot.datasetBlobs.get(id)!;
    if (row) {
      if (!row.marked) v(`${what}: not marked for deletion`);
      if (!row.whole) v(`${what}: marked but its items, keys or vectors are partly gone`);
      blobKept(what, blob);
      if (row.expires_at && row.expires_at.getTime() <= lastCompleteStart) {
        v(`${what}: marked before a completed purge run started, yet still there`);
      }
      datasetsMarkedOnly++;
    } else {
      expectEvent('DATASET', 'PURGED', id);
      blobGone(what, blob);
      datasetsPurged++;
    }
    if (d.answer && marked && !failureOf(d, d.answer)) {
      const answeredAt = (payloadOf(d, d.answer)?.data as { expiresAt?: number | string } | undefined)?.expiresAt;
      const at = typeof answeredAt === 'string' ? Date.parse(answeredAt) : answeredAt;
      if (at !== Date.parse(String(marked.expiresAt))) {
        answered(d, `answered expiresAt ${String(answeredAt)}, but it was marked at ${String(marked.expiresAt)}`);
      }
    }
  }
  for (const id of data.survivors.dataset) {
    const row = datasets.get(id);
    if (!row || row.marked || !row.whole) v(`surviving dataset ${id}: ${row ? 'marked or not whole' : 'gone'}`);
    blobKept(`surviving dataset ${id}`, snapshot.datasetBlobs.get(id)!);
  }

  // ---- seed 004: image operations --------------------------------------------------------
  const images = new Set((await db.query<{ id: string }>('SELECT id::text FROM image')).map((r) => r.id));
  const operations = await db.query<{
    id: string;
    state: string;
    num_total: number;
    num_good: number;
    num_bad: number;
    elements: string[];
  }>('SELECT id, state::text, num_total, num_good, num_bad, elements::text[] AS elements FROM operation');
  const claimed = new Set<string>();
  for (const d of byKind('image')) {
    const ids = d.entity.ids;
    const mine = operations.filter((o) => o.elements.some((e) => ids.includes(e)));
    const what = `image operation of ${ids.join(',')}`;
    if (mine.length !== 1) {
      v(`${what}: ${mine.length} operations, not 1`);
      continue;
    }
    const op = mine[0]!;
    claimed.add(op.id);
    if (op.state !== 'FINISHED' || op.num_good !== ids.length || op.num_bad !== 0 || op.num_total !== ids.length) {
      v(`${what}: operation ${op.id} is ${op.state} with ${op.num_good} good and ${op.num_bad} bad of ${op.num_total}`);
    }
    expectEvent('IMAGE', 'OPERATION_FINISHED', op.id);
    for (const image of ids) {
      if (images.has(image)) v(`image ${image}: not deleted`);
      else {
        const event = expectEvent('IMAGE', 'HARD_DELETED', image);
        if (event && event.operationId !== op.id)
          v(`image ${image}: deleted by ${String(event.operationId)}, not ${op.id}`);
      }
      const blob = snapshot.imageBlobs.get(image);
      if (blob) blobGone(`image ${image}`, blob);
    }
    if (d.answer && operationIdOf(d, d.answer) !== op.id)
      answered(d, `answered operation ${operationIdOf(d, d.answer)}, not ${op.id}`);
  }
  for (const op of operations) if (!claimed.has(op.id)) v(`operation ${op.id} belongs to no deletion (a second one?)`);
  for (const image of data.survivors.image) {
    if (!images.has(image)) v(`surviving image ${image}: deleted`);
    const blob = snapshot.imageBlobs.get(image);
    if (blob) blobKept(`surviving image ${image}`, blob);
  }

  // ---- the event log as a whole ----------------------------------------------------------
  for (const key of new Set([...actual.keys(), ...expected])) {
    const n = actual.get(key)?.length ?? 0;
    const want = expected.has(key) ? 1 : 0;
    if (n !== want) v(`event ${key}: ${n} in the log, not ${want}`);
  }

  // ---- work left over, keys, blobs -------------------------------------------------------
  for (const r of await db.query<{ state: string; n: number }>(
    `SELECT state::text, count(*)::int AS n FROM after_commit_task WHERE state <> 'DONE' GROUP BY state`,
  )) {
    v(`${r.n} after-commit tasks are ${r.state}`);
  }
  const [keys] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_key WHERE caller_id = $1', [
    callerId,
  ]);
  if (keys!.n !== deletions.length) v(`${keys!.n} idempotency keys recorded for ${deletions.length} deletions`);
  const referenced = new Set(
    (
      await db.query<{ key: string }>(
        `SELECT blob_key AS key FROM parser_file UNION ALL SELECT blob_key FROM dataset
         UNION ALL SELECT blob_key FROM image WHERE blob_key IS NOT NULL`,
      )
    ).map((r) => r.key),
  );
  const stored = listBlobs(blobDir);
  for (const key of stored) if (!referenced.has(key)) v(`blob ${key} is in BLOB_DIR but no row names it`);
  for (const key of referenced) if (!stored.has(key)) v(`blob ${key} is named by a row but missing from BLOB_DIR`);

  return {
    violations,
    events: events.length,
    queueMessages: queueRows.length,
    datasetsPurged,
    datasetsMarkedOnly,
    purgeRuns: { finished: completed.length, interrupted: purgeRuns.length - completed.length },
    blobsRemoved,
    blobsKept: stored.size,
    badAnswers,
  };
}

/** Blob keys (`ab/cdef...`) under BLOB_DIR, without the store's temporary directory. */
function listBlobs(root: string): Set<string> {
  const keys = new Set<string>();
  if (!fs.existsSync(root)) return keys;
  for (const dir of fs.readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(dir)) continue;
    for (const file of fs.readdirSync(path.join(root, dir))) keys.add(`${dir}/${file}`);
  }
  return keys;
}
