// Seed 001: Integray endpoints. Records deleted by GUID or all at once (only with Allow deleting),
// or by the endpoint's DELETE task: mapped input, registry steps, fail-message rules, output.
import type { Db, PrismaClient, Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { newUuidV7 } from '../ids.js';
import type { Logger } from '../logger.js';
import { jsonHasNul } from '../util/text.js';
import {
  applyOutputMapping,
  applyOutputSchema,
  clientFailMessage,
  type DeleteMethod,
  type DeleteMethodInput,
  type EndpointPath,
  type Failure,
  type InputObject,
  inputFromJson,
  inputFromQuery,
  parseGuid,
  pathProblem,
  pathText,
  type RunStatus,
  responseBody,
  type TaskStep,
  validateDeleteMethod,
} from './endpoint-config.js';
import {
  ConflictError,
  DeletionNotAllowedError,
  InvalidIdError,
  isDomainError,
  NotFoundError,
  ValidationError,
} from './errors.js';
import {
  type IdempotencyKey,
  type IdempotencyKeyReusedError,
  keyFor,
  recordKey,
  recordKeySql,
  type SentKey,
  withIdempotency,
} from './idempotency.js';
import {
  afterDeletionCommit,
  type BackendDeletion,
  type DeletedColumns,
  type Deleter,
  deletionSideEffectsSql,
  type PendingDeletion,
  type PipelineDeps,
} from './pipeline.js';

export interface EndpointDeps {
  prisma: PrismaClient;
  log: Logger;
  pipeline: PipelineDeps;
  /** the pipeline's deleter for endpoint records (endpointRecordDeletion) */
  deleter: Deleter<DeletedRecordRow>;
  /** the longest a task run may hold its transaction (HTTP steps included) */
  taskTimeoutMs: number;
}

export interface Endpoint {
  id: string;
  workspaceId: string;
  path: EndpointPath;
  allowDeleting: boolean;
  deleteMethod: DeleteMethod | null;
}

export interface EndpointRecord {
  id: string;
  data: unknown;
  locked: boolean;
  references: string[];
  createdAt: Date;
}

export interface EndpointTaskRun {
  id: string;
  status: RunStatus;
  message: string[] | null;
  result: unknown;
  response: unknown;
  savedInput: unknown;
  savedOutput: unknown;
  startedAt: Date;
  finishedAt: Date | null;
}

/** The most records one insertEndpointRecords call takes. */
export const MAX_INSERT_RECORDS = 10_000;

const ENDPOINT_NOT_FOUND = 'Endpoint not found';
/** jsonb cannot store U+0000 */
const NUL_IN_JSON = 'JSON strings and keys must not contain the NUL character (U+0000)';
const RECORD_NOT_FOUND = 'Record not found';
const NO_DELETE_TASK = 'This endpoint has no DELETE task';
const deletionOff = (p: EndpointPath) =>
  new DeletionNotAllowedError(`Deleting is not allowed on endpoint ${pathText(p)} (Allow deleting is off)`);

// ---- configuration -----------------------------------------------------------------------------

interface EndpointRow {
  id: string;
  workspace_id: string;
  company: string;
  group: string;
  endpoint: string;
  allow_deleting: boolean;
  delete_method: DeleteMethod | null;
}

const toEndpoint = (r: EndpointRow): Endpoint => ({
  id: r.id,
  workspaceId: r.workspace_id,
  path: { company: r.company, group: r.group, endpoint: r.endpoint },
  allowDeleting: r.allow_deleting,
  deleteMethod: r.delete_method,
});

/** A workspace's endpoint; null when absent, another workspace's or not a valid path. */
export async function findEndpoint(db: Db, workspaceId: string, path: EndpointPath): Promise<Endpoint | null> {
  if (pathProblem(path)) return null;
  const [row] = await db.$queryRaw<EndpointRow[]>`
    SELECT id::text, workspace_id, company, "group", endpoint, allow_deleting, delete_method
      FROM endpoint
     WHERE workspace_id = ${workspaceId} AND company = ${path.company} AND "group" = ${path.group}
       AND endpoint = ${path.endpoint}`;
  return row ? toEndpoint(row) : null;
}

export async function countRecords(db: Db, endpointId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM endpoint_record WHERE endpoint_id = ${endpointId}::uuid`;
  return row!.n;
}

/** Creates the endpoint at the path, or replaces its configuration (its records stay). */
export async function configureEndpoint(
  db: Db,
  workspaceId: string,
  input: { path: EndpointPath; allowDeleting: boolean; delete?: DeleteMethodInput | null },
): Promise<Endpoint | ValidationError> {
  const problem = pathProblem(input.path);
  if (problem) return problem;
  const method = input.delete ? validateDeleteMethod(input.delete) : null;
  if (method instanceof ValidationError) return method;
  if (jsonHasNul(method)) return new ValidationError(NUL_IN_JSON, 'delete');
  const { company, group, endpoint } = input.path;
  const [row] = await db.$queryRaw<EndpointRow[]>`
    INSERT INTO endpoint (id, workspace_id, company, "group", endpoint, allow_deleting, delete_method)
    VALUES (${newUuidV7()}::uuid, ${workspaceId}, ${company}, ${group}, ${endpoint}, ${input.allowDeleting},
            ${method === null ? null : JSON.stringify(method)}::jsonb)
    ON CONFLICT (workspace_id, company, "group", endpoint) DO UPDATE
       SET allow_deleting = excluded.allow_deleting, delete_method = excluded.delete_method, updated_at = now()
    RETURNING id::text, workspace_id, company, "group", endpoint, allow_deleting, delete_method`;
  return toEndpoint(row!);
}

// ---- records -----------------------------------------------------------------------------------

interface RecordRow {
  id: string;
  data: unknown;
  locked: boolean;
  references: string[];
  created_at: Date;
}

const toRecord = (r: RecordRow): EndpointRecord => ({
  id: r.id,
  data: r.data,
  locked: r.locked,
  references: r.references,
  createdAt: r.created_at,
});

export interface RecordInput {
  id?: string | null;
  /** required; checked here because a JSON scalar's TypeScript type allows undefined */
  data?: unknown;
  locked?: boolean | null;
  references?: readonly string[] | null;
}

/**
 * Stores records in one statement. Ids are GUIDs (generated when absent); references must name
 * records of the same endpoint (stored already or in this call). Nothing of a refused call stays.
 */
export async function insertRecords(
  prisma: PrismaClient,
  workspaceId: string,
  path: EndpointPath,
  inputs: readonly RecordInput[],
): Promise<EndpointRecord[] | NotFoundError | ValidationError> {
  if (inputs.length === 0 || inputs.length > MAX_INSERT_RECORDS) {
    return new ValidationError(`Give 1 to ${MAX_INSERT_RECORDS} records`, 'records');
  }
  const endpoint = await findEndpoint(prisma, workspaceId, path);
  if (!endpoint) return new NotFoundError(ENDPOINT_NOT_FOUND);
  const ids: string[] = [];
  const refs: string[][] = [];
  const seen = new Set<string>();
  for (const [i, r] of inputs.entries()) {
    const id = r.id == null ? newUuidV7() : parseGuid(r.id);
    if (!id) return new ValidationError(`records[${i}].id must be a GUID`, `records[${i}].id`);
    if (seen.has(id)) return new ValidationError(`records[${i}].id ${id} is given twice`, `records[${i}].id`);
    seen.add(id);
    ids.push(id);
    const references: string[] = [];
    for (const [j, raw] of (r.references ?? []).entries()) {
      const ref = parseGuid(raw);
      if (!ref) return new ValidationError(`records[${i}].references[${j}] must be a GUID`, `records[${i}].references`);
      if (ref === id) return new ValidationError(`records[${i}] references itself`, `records[${i}].references`);
      references.push(ref);
    }
    refs.push(references);
    if (r.data === undefined) return new ValidationError(`records[${i}].data is required`, `records[${i}].data`);
    if (jsonHasNul(r.data)) return new ValidationError(NUL_IN_JSON, `records[${i}].data`);
  }
  try {
    return await prisma.$transaction(async (tx) => {
      // Arrays, not a parameter per value: 10,000 records stay one statement.
      const rows = await tx.$queryRaw<RecordRow[]>`
        INSERT INTO endpoint_record (id, endpoint_id, workspace_id, data, locked, "references")
        SELECT t.id, ${endpoint.id}::uuid, ${workspaceId}, t.data,
               t.locked, ARRAY(SELECT jsonb_array_elements_text(t.refs)::uuid)
          FROM unnest(${ids}::uuid[], ${inputs.map((r) => JSON.stringify(r.data))}::jsonb[],
                      ${inputs.map((r) => r.locked ?? false)}::boolean[],
                      ${refs.map((r) => JSON.stringify(r))}::jsonb[]) WITH ORDINALITY AS t(id, data, locked, refs, ord)
         ORDER BY t.ord
        ON CONFLICT (id) DO NOTHING
        RETURNING id::text, data, locked, "references"::text[] AS "references", created_at`;
      if (rows.length !== ids.length) {
        const stored = new Set(rows.map((r) => r.id));
        const i = ids.findIndex((id) => !stored.has(id));
        throw new ValidationError(`records[${i}].id ${ids[i]} exists already`, `records[${i}].id`);
      }
      // Counting the references on the referenced rows checks they exist and makes a concurrent
      // delete of one of them wait for this transaction and then find it referenced.
      const referenced = [...new Set(refs.flat())];
      const counted = await tx.$queryRaw<{ id: string }[]>`
        UPDATE endpoint_record t SET ref_count = t.ref_count + c.n
          FROM (SELECT ref, count(*)::int AS n FROM unnest(${refs.flat()}::uuid[]) AS ref GROUP BY ref) c
         WHERE t.id = c.ref AND t.endpoint_id = ${endpoint.id}::uuid
        RETURNING t.id::text`;
      if (counted.length !== referenced.length) {
        const found = new Set(counted.map((r) => r.id));
        const dangling = referenced.find((ref) => !found.has(ref));
        throw new ValidationError(`references: ${dangling} is not a record of this endpoint`, 'references');
      }
      const byId = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => toRecord(byId.get(id)!));
    });
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
}

// ---- deletion on the pipeline ------------------------------------------------------------------

export interface DeletedRecordRow extends DeletedColumns {}

/**
 * Seed 001 on the deletion pipeline: a hard delete of the requested records of one endpoint
 * that are neither locked nor referenced by another record, a HARD_DELETED event each. Requests
 * carry `args.endpointId`, `args.endpoint` (the path) and, from a task, `args.taskRunId`.
 */
export const endpointRecordDeletion: BackendDeletion = {
  backend: 'ENDPOINT_RECORD',
  eventKind: 'HARD_DELETED',
  queue: null,
  statement: (requests) => Prisma.sql`
    gone AS (
      DELETE FROM endpoint_record r USING req
       WHERE r.id = ANY(${requests.map((r) => r.id)}::uuid[]) -- index lookups, then matched to their request
         AND r.id = req.id::uuid AND r.workspace_id = req.workspace_id
         AND r.endpoint_id = (req.args->>'endpointId')::uuid
         AND NOT r.locked AND r.ref_count = 0
      RETURNING r.id, r.workspace_id, r."references", req.ord, req.args),
    -- what the deleted records referenced may be deleted once nothing else references it
    released AS (
      UPDATE endpoint_record t SET ref_count = t.ref_count - x.n
        FROM (SELECT ref, count(*)::int AS n FROM gone, unnest(gone."references") AS ref GROUP BY ref) x
       WHERE t.id = x.ref),
    deleted AS (
      SELECT ord, id::text AS entity_id, workspace_id,
             json_build_object('endpoint', args->>'endpoint', 'endpointId', args->>'endpointId',
                               'taskRunId', args->>'taskRunId')::text AS event_data,
             NULL::text AS message, false AS message_held, NULL::jsonb AS tasks
        FROM gone)`,
};

/** Why a record was not deleted: absent, or what keeps it. */
async function whyNotDeleted(db: Db, endpointId: string, id: string): Promise<NotFoundError | ConflictError> {
  const [row] = await db.$queryRaw<{ locked: boolean; referenced_by: string | null }[]>`
    SELECT r.locked, -- the referrer's id is for the message; ref_count is what the delete obeys
           (SELECT o.id::text FROM endpoint_record o
             WHERE o."references" @> ARRAY[r.id] AND o.endpoint_id = r.endpoint_id AND o.id <> r.id LIMIT 1) AS referenced_by
      FROM endpoint_record r WHERE r.id = ${id}::uuid AND r.endpoint_id = ${endpointId}::uuid`;
  if (!row) return new NotFoundError(RECORD_NOT_FOUND);
  if (row.locked) return new ConflictError(`Record ${id} is locked`);
  return new ConflictError(`Record ${id} is referenced by record ${row.referenced_by}`);
}

/** The endpoint a DELETE route addresses, if deleting is allowed on it. */
async function deletableEndpoint(
  db: Db,
  workspaceId: string,
  path: EndpointPath,
): Promise<Endpoint | NotFoundError | DeletionNotAllowedError> {
  const endpoint = await findEndpoint(db, workspaceId, path);
  if (!endpoint) return new NotFoundError(ENDPOINT_NOT_FOUND);
  if (!endpoint.allowDeleting) return deletionOff(endpoint.path);
  return endpoint;
}

/** Deletes one record by GUID (no task). Of concurrent deletes of one record exactly one deletes it. */
export async function deleteRecord(
  deps: EndpointDeps,
  workspaceId: string,
  path: EndpointPath,
  rawId: string,
  sent?: SentKey | null,
): Promise<
  { id: string } | InvalidIdError | NotFoundError | DeletionNotAllowedError | ConflictError | IdempotencyKeyReusedError
> {
  const endpoint = await deletableEndpoint(deps.prisma, workspaceId, path);
  if (isDomainError(endpoint)) return endpoint;
  const id = parseGuid(rawId);
  if (!id) return new InvalidIdError(`Invalid record id ${JSON.stringify(rawId.slice(0, 40))}: record ids are GUIDs`);
  const idem = keyFor(sent, 'endpoint.record.delete', { endpoint: pathText(endpoint.path), id });
  return withIdempotency(deps.prisma, idem, {
    run: async () => {
      const deleted = await deps.deleter.delete({
        workspaceId,
        id,
        args: { endpointId: endpoint.id, endpoint: pathText(endpoint.path) },
        idempotency: idem,
      });
      if (!deleted) return whyNotDeleted(deps.prisma, endpoint.id, id);
      return { id };
    },
    replay: () => ({ id }),
    empty: (result) => result instanceof NotFoundError,
  });
}

/**
 * Deletes every record of the endpoint in one statement with ONE event carrying the count and
 * the path; no row is loaded. A locked record refuses the whole delete (409, nothing deleted).
 */
export async function deleteAllRecords(
  deps: EndpointDeps,
  workspaceId: string,
  path: EndpointPath,
  sent?: SentKey | null,
): Promise<
  { deletedCount: number } | NotFoundError | DeletionNotAllowedError | ConflictError | IdempotencyKeyReusedError
> {
  const endpoint = await deletableEndpoint(deps.prisma, workspaceId, path);
  if (isDomainError(endpoint)) return endpoint;
  const idem = keyFor(sent, 'endpoint.records.delete-all', { endpoint: pathText(endpoint.path) });
  return withIdempotency(deps.prisma, idem, {
    run: () => deleteAllOf(deps, workspaceId, endpoint, idem),
    replay: (stored) => ({ deletedCount: (stored as { deletedCount: number }).deletedCount }),
    // Nothing left: a concurrent retry with the same key may have deleted them.
    empty: (result) => !isDomainError(result) && result.deletedCount === 0,
  });
}

async function deleteAllOf(
  deps: EndpointDeps,
  workspaceId: string,
  endpoint: Endpoint,
  idem: IdempotencyKey | null,
): Promise<{ deletedCount: number } | ConflictError> {
  const endpointId = endpoint.id;
  const rows = await deps.prisma.$queryRaw<PendingDeletion<DeletedColumns & { deleted_count: number }>[]>`
    WITH ${deletionSideEffectsSql(
      endpointRecordDeletion,
      deps.pipeline.instanceId,
      Prisma.sql`
        gone AS (
          DELETE FROM endpoint_record
           WHERE endpoint_id = ${endpointId}::uuid
             AND NOT EXISTS (SELECT 1 FROM endpoint_record WHERE endpoint_id = ${endpointId}::uuid AND locked)
          RETURNING 1),
        counted AS (SELECT count(*)::int AS n FROM gone),
        deleted AS (
          SELECT 0 AS ord, ${endpointId}::text AS entity_id, ${workspaceId}::text AS workspace_id,
                 json_build_object('endpoint', ${pathText(endpoint.path)}::text, 'endpointId', ${endpointId}::text,
                                   'all', true, 'deletedCount', n)::text AS event_data,
                 NULL::text AS message, false AS message_held, NULL::jsonb AS tasks, n AS deleted_count
            FROM counted WHERE n > 0)`,
      {
        fromRequests: false,
        more: idem
          ? Prisma.sql`ik AS (${recordKeySql(idem, Prisma.sql`deleted AS d`, Prisma.sql`jsonb_build_object('deletedCount', d.deleted_count)`)})`
          : undefined,
      },
    )}`;
  if (rows.length === 0) {
    const [locked] = await deps.prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM endpoint_record WHERE endpoint_id = ${endpointId}::uuid AND locked LIMIT 1`;
    if (locked) return new ConflictError(`Record ${locked.id} is locked: nothing was deleted`);
    return { deletedCount: 0 };
  }
  await afterDeletionCommit(deps.pipeline, endpointRecordDeletion, rows);
  return { deletedCount: rows[0]!.deleted_count };
}

// ---- the DELETE task ---------------------------------------------------------------------------

/** Where the task's input comes from: the REST route's query string, or GraphQL's JSON object. */
export type TaskInputSource = { query: URLSearchParams } | { json: unknown };

class StepFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

const RUN_COLUMNS = Prisma.sql`id::text, status::text AS status, message, result, response, saved_input, saved_output,
  started_at, finished_at`;

interface RunRow {
  id: string;
  status: RunStatus;
  message: string[] | null;
  result: unknown;
  response: unknown;
  saved_input: unknown;
  saved_output: unknown;
  started_at: Date;
  finished_at: Date | null;
}

const toRun = (r: RunRow): EndpointTaskRun => ({
  id: r.id,
  status: r.status,
  message: r.message,
  result: r.result,
  response: r.response,
  savedInput: r.saved_input,
  savedOutput: r.saved_output,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export async function findTaskRun(db: Db, workspaceId: string, rawId: string): Promise<EndpointTaskRun | null> {
  const id = parseGuid(rawId);
  if (!id) return null;
  const [row] = await db.$queryRaw<RunRow[]>`
    SELECT ${RUN_COLUMNS} FROM endpoint_task_run WHERE id = ${id}::uuid AND workspace_id = ${workspaceId}`;
  return row ? toRun(row) : null;
}

/**
 * Runs the endpoint's DELETE task: the input mapped and converted to the input schema, the
 * steps in order in one transaction (a failure rolls back every deletion the run made), the
 * output shaped by the Output section. A failed run is a run (status and fail message), not an
 * error; what it keeps follows Save input data and Save output data.
 */
export async function runDeleteTask(
  deps: EndpointDeps,
  workspaceId: string,
  path: EndpointPath,
  source: TaskInputSource,
  sent?: SentKey | null,
): Promise<EndpointTaskRun | NotFoundError | DeletionNotAllowedError | ValidationError | IdempotencyKeyReusedError> {
  const endpoint = await deletableEndpoint(deps.prisma, workspaceId, path);
  if (isDomainError(endpoint)) return endpoint;
  const method = endpoint.deleteMethod;
  if (!method?.task) return new NotFoundError(NO_DELETE_TASK);
  const idem = keyFor(sent, 'endpoint.task.run', {
    endpoint: pathText(endpoint.path),
    input: 'query' in source ? [...source.query.entries()].sort() : { json: source.json },
  });
  return withIdempotency<EndpointTaskRun | ValidationError | NotFoundError>(deps.prisma, idem, {
    run: () => runTask(deps, workspaceId, endpoint, method, source, idem),
    // The run again (its stored response: without Save output data, without the result).
    replay: async (stored) => {
      const run = await findTaskRun(deps.prisma, workspaceId, (stored as { runId: string }).runId);
      return run ?? new NotFoundError('Task run not found');
    },
  });
}

async function runTask(
  deps: EndpointDeps,
  workspaceId: string,
  endpoint: Endpoint,
  method: NonNullable<Endpoint['deleteMethod']>,
  source: TaskInputSource,
  idem: IdempotencyKey | null,
): Promise<EndpointTaskRun | ValidationError> {
  if (!method.task) throw new Error('runTask needs a task');
  const input = 'query' in source ? inputFromQuery(method, source.query) : inputFromJson(method, source.json);
  if (input instanceof ValidationError) return input;
  const task = method.task;
  const runId = newUuidV7();
  const startedAt = new Date();
  const record = (tx: Db, status: RunStatus, message: string[] | null, result: unknown) => {
    const failed = status !== 'FINISHED_SUCCESS';
    const keepInput = task.saveInputData === 'ALWAYS' || (task.saveInputData === 'ON_ERROR' && failed);
    const keepOutput = method.output.saveOutputData && !failed;
    const response = responseBody({ id: runId, status, message, result }, method.output.includeSystemData);
    // Without Save output data the result is answered, never stored.
    const stored = keepOutput ? response : responseBody({ id: runId, status, message, result: null }, true);
    return tx.$queryRaw<RunRow[]>`
      INSERT INTO endpoint_task_run (id, workspace_id, endpoint_id, status, message, result, response, saved_input,
                                     saved_output, started_at, finished_at)
      VALUES (${runId}::uuid, ${workspaceId}, ${endpoint.id}::uuid, ${status}::"TaskRunStatus",
              ${message === null ? null : JSON.stringify(message)}::jsonb,
              ${keepOutput ? JSON.stringify(result ?? null) : null}::jsonb, ${JSON.stringify(stored)}::jsonb,
              ${keepInput ? JSON.stringify(input) : null}::jsonb,
              ${keepOutput ? JSON.stringify(result ?? null) : null}::jsonb, ${startedAt}, now())
      RETURNING ${RUN_COLUMNS}`.then(([row]) => ({ ...toRun(row!), result: result ?? null, response }));
  };

  let pending: PendingDeletion<DeletedRecordRow>[] = [];
  try {
    const run = await deps.prisma.$transaction(
      async (tx) => {
        const result = await runSteps(deps, tx, endpoint, task.steps, method.output.outputStep, input, runId);
        pending = result.deleted;
        const mapped = applyOutputMapping(result.data, method.output.mapping);
        const checked = applyOutputSchema(mapped, method.output.schema);
        if ('mismatch' in checked) {
          throw new StepFailed({
            step: null,
            kind: 'OUTPUT',
            message: `does not match the output schema: ${checked.mismatch}`,
            sensitive: false,
            connector: false,
          });
        }
        const run = await record(tx, 'FINISHED_SUCCESS', null, checked.value);
        if (idem) await recordKey(tx, idem, workspaceId, { runId });
        return run;
      },
      { timeout: deps.taskTimeoutMs, maxWait: deps.taskTimeoutMs },
    );
    await deps.deleter.committed(pending);
    return run;
  } catch (err) {
    if (!(err instanceof StepFailed)) throw err;
    const { failure } = err;
    if (failure.sensitive) {
      deps.log.warn({ runId, step: failure.step, detail: failure.message }, 'endpoint task failed (sensitive)');
    } else {
      deps.log.info({ runId, step: failure.step, detail: failure.message }, 'endpoint task failed');
    }
    const message = clientFailMessage(task.failMessage, failure);
    // A failed run deleted nothing; it is still the answer a retry with the key gets again.
    const status = failure.connector ? 'FAILED_CONNECTOR' : 'FAILED';
    if (!idem) return record(deps.prisma, status, [message], null);
    // The run and its key together: a crash cannot leave a run a retry would not find.
    return deps.prisma.$transaction(async (tx) => {
      const run = await record(tx, status, [message], null);
      await recordKey(tx, idem, workspaceId, { runId });
      return run;
    });
  }
}

/** Runs the steps in order, each on the previous step's data; the data of the output step (default: the last). */
async function runSteps(
  deps: EndpointDeps,
  tx: Tx,
  endpoint: Endpoint,
  steps: TaskStep[],
  outputStep: string | null,
  input: InputObject,
  runId: string,
): Promise<{ data: unknown; deleted: PendingDeletion<DeletedRecordRow>[] }> {
  let data: unknown = input;
  let output: unknown = input;
  const deleted: PendingDeletion<DeletedRecordRow>[] = [];
  for (const step of steps) {
    const fail = (message: string, opts: { sensitive?: boolean; connector?: boolean } = {}): never => {
      throw new StepFailed({
        step: step.name,
        kind: step.kind,
        message,
        sensitive: opts.sensitive ?? false,
        connector: opts.connector ?? true,
      });
    };
    switch (step.kind) {
      case 'SELECT_RECORDS':
        data = await selectRecords(tx, endpoint.id, step.where, input);
        break;
      case 'DELETE_RECORDS': {
        const ids = (data as { id: string }[]).map((r) => r.id);
        const rows = await deps.deleter.deleteInTransaction(
          tx,
          ids.map((id) => ({
            workspaceId: endpoint.workspaceId,
            id,
            args: { endpointId: endpoint.id, endpoint: pathText(endpoint.path), taskRunId: runId },
          })),
        );
        if (rows.length !== ids.length) {
          const gone = new Set(rows.map((r) => r.entity_id));
          const kept = ids.find((id) => !gone.has(id))!;
          const why = await whyNotDeleted(tx, endpoint.id, kept);
          fail(`${why.message}; no record was deleted`, { connector: false });
        }
        deleted.push(...rows);
        data = { deletedCount: rows.length, ids };
        break;
      }
      case 'HTTP_REQUEST':
        data = await httpRequest(step, data, fail);
        break;
      case 'FAIL':
        fail(step.message, { sensitive: step.sensitive });
        break;
      case 'SCRIPT':
        // A connector script is never executed from the API; its message quotes the source, so it is sensitive.
        fail(`${step.language} connector scripts do not run on this gateway; script: ${step.source}`, {
          sensitive: true,
        });
        break;
    }
    if (step.name === outputStep) output = data;
  }
  return { data: outputStep === null ? data : output, deleted };
}

/** The endpoint's records whose data fields equal the input's (`where: {recordField: inputField}`), as `{id, ...data}`. */
async function selectRecords(
  tx: Tx,
  endpointId: string,
  where: Record<string, string>,
  input: InputObject,
): Promise<Record<string, unknown>[]> {
  // A field the input leaves out matches nothing: an absent criterion never widens the selection.
  const criteria: Record<string, unknown> = {};
  for (const [recordField, inputField] of Object.entries(where)) {
    criteria[recordField] = inputField in input ? input[inputField] : Symbol.for('absent');
  }
  if (Object.values(criteria).some((v) => typeof v === 'symbol')) return [];
  // jsonb containment {"field": value, ...} on the data GIN index. The endpoint is compared as
  // text so the planner never prefers the endpoint's btree (every record of it) over that index,
  // as it does right after a bulk insert, before statistics exist.
  const rows =
    Object.keys(criteria).length === 0
      ? await tx.$queryRaw<{ id: string; data: unknown }[]>`
          SELECT id::text, data FROM endpoint_record WHERE endpoint_id = ${endpointId}::uuid ORDER BY id`
      : await tx.$queryRaw<{ id: string; data: unknown }[]>`
          SELECT id::text, data FROM endpoint_record
           WHERE data @> ${JSON.stringify(criteria)}::jsonb AND endpoint_id::text = ${endpointId}
           ORDER BY id`;
  return rows.map((r) => ({
    ...(typeof r.data === 'object' && r.data !== null ? r.data : { value: r.data }),
    id: r.id,
  }));
}

/** Sends the data as JSON; a 2xx answer's JSON body (or null) is the step's data. */
async function httpRequest(
  step: Extract<TaskStep, { kind: 'HTTP_REQUEST' }>,
  data: unknown,
  fail: (message: string) => never,
): Promise<unknown> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(step.url, {
      method: step.method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(data ?? null),
      signal: AbortSignal.timeout(step.timeoutMs),
      redirect: 'error',
    });
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return fail(
      timedOut
        ? `no answer from ${step.url} within ${step.timeoutMs} ms`
        : `request to ${step.url} failed: ${String(err)}`,
    );
  }
  if (res.status < 200 || res.status > 299) return fail(text.slice(0, 2000) || `HTTP ${res.status}`);
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { body: text };
  }
}
