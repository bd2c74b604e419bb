import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { apiKeyFromHeaders, CredentialsError } from '../auth/api-keys.js';
import type { PrismaClient } from '../db/client.js';
import type { Logger } from '../logger.js';
import { annotateRequest } from '../request-scope.js';
import type { Dataset } from '../services/datasets.js';
import { STATUS_NAME } from '../services/endpoint-config.js';
import { isDomainError, NotFoundError } from '../services/errors.js';
import type { Services } from '../services/index.js';
import { OPERATION_NOT_FOUND, type Operation } from '../services/operations.js';
import { type BodySize, declaredLength } from './body-limit.js';
import * as bodies from './rest-bodies.js';
import {
  booleanQueryParam,
  createRouter,
  decodePathParams,
  defineRoute,
  detailShape,
  domainErrorReply,
  errorReply,
  missingScope,
  NO_CONTENT,
  type RestReply,
  type RestRoute,
  renderReply,
  requestTargetUrl,
  requiredQueryParam,
  successErrorShape,
  successFalseShape,
} from './rest-routes.js';

// The seeds' own HTTP shapes, beside /graphql, calling the same services as the resolvers.

/** seed 000 */
const deleteResource = defineRoute({
  method: 'DELETE',
  path: '/resources/{resource_id}',
  operationId: 'deleteResource',
  tag: 'resources',
  summary: 'Soft-delete a resource',
  description:
    'Marks the resource deleted, stops its wrapper process (status STOPPED with a timestamp and an ' +
    'execution-log entry) and queues {"resource_id","wrapper_id"} on resource.deletion. Answers once the ' +
    'wrapper is stopped.',
  params: { resource_id: { description: 'The resource id (MongoDB ObjectId format: 24 hex digits)' } },
  scope: 'resources:delete',
  shape: detailShape,
  messages: { INVALID_ID: 'Invalid resource ID', NOT_FOUND: 'Resource not found' },
  responses: { 200: { description: 'Deleted', body: bodies.ResourceDeleted } },
  errors: {
    INVALID_ID: 'The id is not an ObjectId',
    NOT_FOUND: 'No such resource in your workspace, or it is already deleted',
    WRAPPER_STOP_TIMEOUT:
      'Deleted, but the instance that runs the wrapper did not confirm the stop in time; it finishes the stop',
  },
  async handle({ principal, params, services, idempotency }) {
    const result = await services.resources.delete(principal.workspaceId, params.resource_id, idempotency);
    if (isDomainError(result)) return result;
    return { status: 200, body: { id: result.id, deleted: true as const } };
  },
});

/** seed 002: the result, its rows and its stored files, irreversibly */
const deleteParserResult = defineRoute({
  method: 'DELETE',
  path: '/files',
  operationId: 'deleteParserResult',
  tag: 'parser-results',
  summary: 'Delete a parser result with its data and files',
  description: 'Hard-deletes the result, all its rows and its stored files. Irreversible.',
  query: { request_id: { description: 'The parsing job to delete', required: true } },
  scope: 'parser-results:delete',
  shape: successErrorShape,
  responses: { 200: { description: 'Deleted', body: bodies.ParserResultDeleted } },
  errors: {
    VALIDATION_FAILED: 'request_id is missing, empty or repeated',
    NOT_FOUND: 'No such result in your workspace, or it is already deleted',
  },
  async handle({ principal, query, services, idempotency }) {
    const requestId = requiredQueryParam(query, 'request_id');
    if (isDomainError(requestId)) return requestId;
    const result = await services.parserResults.delete(principal.workspaceId, requestId, idempotency);
    if (isDomainError(result)) return result;
    return { status: 200, body: { success: true as const, message: result.message } };
  },
});

/**
 * seed 002 names no read; this one lets a client see what a deletion removes and that it is
 * gone (404). A key that may delete results, or an admin key, may read them.
 */
const getParserResult = defineRoute({
  method: 'GET',
  path: '/files',
  operationId: 'getParserResult',
  tag: 'parser-results',
  summary: 'Read a parser result',
  description: 'What a deletion would remove; 404 once it is deleted.',
  query: { request_id: { description: 'The parsing job', required: true } },
  scope: ['parser-results:delete', 'admin'],
  shape: successErrorShape,
  responses: { 200: { description: 'The result, its files and its data', body: bodies.ParserResultRead } },
  errors: {
    VALIDATION_FAILED: 'request_id is missing, empty or repeated',
    NOT_FOUND: 'No such result in your workspace, or it was deleted',
  },
  async handle({ principal, query, services }) {
    const requestId = requiredQueryParam(query, 'request_id');
    if (isDomainError(requestId)) return requestId;
    const result = await services.parserResults.read(principal.workspaceId, requestId);
    if (isDomainError(result)) return result;
    const { files, data } = result;
    return { status: 200, body: { success: true as const, data: { requestId: result.requestId, files, data } } };
  },
});

/** seed 003's `data`: exactly its fields, `type` in lower case, times as epoch milliseconds. */
export function datasetJson(d: Dataset) {
  const ms = (date: Date | null) => (date ? date.getTime() : null);
  return {
    id: d.id,
    workspaceId: d.workspaceId,
    type: lowerCase(d.type),
    fileName: d.fileName,
    fileExt: d.fileExt,
    fileSize: d.fileSize,
    itemCount: d.itemCount,
    mimeType: d.mimeType,
    createdAt: d.createdAt.getTime(),
    updatedAt: ms(d.updatedAt),
    expiresAt: ms(d.expiresAt),
    share: d.share && { url: d.share.url, token: d.share.token, expiresAt: ms(d.share.expiresAt) },
  };
}

const datasetMessages = { INVALID_ID: 'Invalid dataset id', NOT_FOUND: 'Dataset not found' } as const;
const datasetId = { id: { description: 'The dataset id (ds_...)' } };

/** A Prisma enum value as the seeds spell it. */
const lowerCase = <T extends string>(value: T) => value.toLowerCase() as Lowercase<T>;

/** seed 003: marks the dataset for deletion (its expiry becomes now); the purge schedule removes it */
const deleteDataset = defineRoute({
  method: 'DELETE',
  path: '/v1/datasets/{id}',
  operationId: 'deleteDataset',
  tag: 'datasets',
  summary: 'Mark a dataset for deletion',
  description:
    'Sets its expiry to now (an earlier expiry stays); the purge schedule hard-deletes it with its items, ' +
    'keys, binary data and vectors. Deleting a marked dataset answers the same again.',
  params: datasetId,
  scope: 'datasets:delete',
  shape: successFalseShape,
  messages: datasetMessages,
  responses: { 200: { description: 'Marked for deletion', body: bodies.DatasetAnswer } },
  errors: {
    INVALID_ID: 'The id is not a dataset id',
    NOT_FOUND: 'No such dataset in your workspace, or it was purged',
  },
  async handle({ principal, params, services, idempotency }) {
    const result = await services.datasets.delete(principal.workspaceId, params.id, idempotency);
    if (isDomainError(result)) return result;
    return { status: 200, body: { success: true as const, total: 1 as const, data: datasetJson(result.data) } };
  },
});

/** seed 003: readable until purged, marked ones too */
const getDataset = defineRoute({
  method: 'GET',
  path: '/v1/datasets/{id}',
  operationId: 'getDataset',
  tag: 'datasets',
  summary: 'Read a dataset',
  description: 'Marked datasets too, until the purge removes them.',
  params: datasetId,
  scope: ['datasets:delete', 'admin'],
  shape: successFalseShape,
  messages: datasetMessages,
  responses: { 200: { description: 'The dataset', body: bodies.DatasetAnswer } },
  errors: {
    INVALID_ID: 'The id is not a dataset id',
    NOT_FOUND: 'No such dataset in your workspace, or it was purged',
  },
  async handle({ principal, params, services }) {
    const result = await services.datasets.read(principal.workspaceId, params.id);
    if (isDomainError(result)) return result;
    return { status: 200, body: { success: true as const, total: 1 as const, data: datasetJson(result) } };
  },
});

/** seed 004: the operation object, field for field in snake_case, plus its id; `errors[].id` a number */
function operationBody(op: Operation) {
  return {
    id: op.id,
    method: lowerCase(op.method),
    resource: lowerCase(op.resource),
    num_total: op.numTotal,
    num_good: op.numGood,
    num_bad: op.numBad,
    is_started: op.isStarted,
    is_finished: op.isFinished,
    all_good: op.allGood,
    do_wait: op.doWait,
    do_urgent: op.doUrgent,
    do_strict: op.doStrict,
    idle_ms: op.idleMs,
    exec_ms: op.execMs,
    created_at: op.createdAt.toISOString(),
    started_at: op.startedAt?.toISOString() ?? null,
    finished_at: op.finishedAt?.toISOString() ?? null,
    errors: op.errors.map((e) => ({ id: Number(e.id), msg: e.msg })),
  };
}

/**
 * seed 004: a delete operation of one image. Finished (wait=true): 200; queued, or still
 * running when OPERATION_WAIT_TIMEOUT passed: 202 with Location.
 */
const deleteImage = defineRoute({
  method: 'DELETE',
  path: '/imgs/{image_id}',
  operationId: 'deleteImage',
  tag: 'images',
  summary: 'Delete 1 image',
  description:
    'Queues a delete operation of the image. An unknown image is an element error of the operation ' +
    '("Image not found"), not a 404.',
  params: { image_id: { description: 'The image id (a positive integer)' } },
  query: {
    wait: { description: 'Wait for completion? (true, false, 1 or 0)', schema: z.boolean().default(false) },
    urgent: { description: 'Enqueue at head of queue if true', schema: z.boolean().default(false) },
    strict: {
      description: 'Use strict mode if true: all or nothing, in one transaction',
      schema: z.boolean().default(false),
    },
  },
  scope: 'images:delete',
  shape: detailShape,
  responses: {
    200: { description: 'wait=true: the finished operation', body: bodies.Operation },
    202: {
      description: 'Queued (or still running when OPERATION_WAIT_TIMEOUT passed): the operation as it stands',
      body: bodies.Operation,
      headers: { Location: { description: '/ops/{op_id}: where the operation is followed' } },
    },
  },
  errors: {
    INVALID_ID: 'The image id is not a positive integer',
    VALIDATION_FAILED: 'wait, urgent or strict is not one of true, false, 1, 0',
  },
  async handle({ principal, params, query, services, idempotency }) {
    const wait = booleanQueryParam(query, 'wait', false);
    if (isDomainError(wait)) return wait;
    const urgent = booleanQueryParam(query, 'urgent', false);
    if (isDomainError(urgent)) return urgent;
    const strict = booleanQueryParam(query, 'strict', false);
    if (isDomainError(strict)) return strict;
    const op = await services.images.delete(
      principal.workspaceId,
      [params.image_id],
      { wait, urgent, strict },
      idempotency,
    );
    if (isDomainError(op)) return op;
    if (op.isFinished && wait) return { status: 200, body: operationBody(op) };
    return { status: 202, headers: { location: `/ops/${op.id}` }, body: operationBody(op) };
  },
});

/** seed 004: an operation's status; another workspace's is not found */
const getOperation = defineRoute({
  method: 'GET',
  path: '/ops/{op_id}',
  operationId: 'getOperation',
  tag: 'images',
  summary: 'Operation status',
  params: { op_id: { description: 'The operation id (op_...)' } },
  scope: ['images:delete', 'admin'],
  shape: detailShape,
  responses: { 200: { description: 'The operation as it stands', body: bodies.Operation } },
  errors: { NOT_FOUND: 'No such operation in your workspace' },
  async handle({ principal, params, services }) {
    const op = await services.operations.find(principal.workspaceId, params.op_id);
    if (!op) return new NotFoundError(OPERATION_NOT_FOUND);
    return { status: 200, body: operationBody(op) };
  },
});

/** seed 001: the three slugs of an endpoint's path */
const endpointParams = {
  company: { description: 'The company slug' },
  group: { description: 'The endpoint group slug' },
  endpoint: { description: 'The endpoint slug' },
};

/** seed 001: the endpoint path of a route's parameters */
const endpointPath = (params: Readonly<Record<'company' | 'group' | 'endpoint', string>>) => ({
  company: params.company,
  group: params.group,
  endpoint: params.endpoint,
});

/**
 * seed 001, with a task: the query parameters mapped to the input schema, the task run, its
 * output answered (a failed run: 422 with the fail-message body). Without a task: 404.
 */
const runEndpointTask = defineRoute({
  method: 'DELETE',
  path: '/{company}/{group}/{endpoint}',
  operationId: 'runEndpointDeleteTask',
  tag: 'endpoints',
  summary: "Run the endpoint's DELETE task",
  description:
    'The query parameters are mapped to the Input schema (each field from the parameter of its name unless ' +
    'Query params mapping says otherwise), the task runs, and its output is the answer as the Output section ' +
    'shapes it. Other query parameters than the input schema maps are ignored.',
  params: endpointParams,
  query: {
    input: {
      description: "The task's input: each field of the endpoint's Input schema from its query parameter",
      schema: z.record(z.string(), z.string()),
    },
  },
  scope: 'endpoints:delete',
  shape: detailShape,
  responses: {
    200: { description: "The task's output", body: bodies.TaskRunOutput },
    422: { description: 'The task failed: the run with its fail message', body: bodies.TaskRunResponse },
  },
  errors: {
    NOT_FOUND: 'No such endpoint in your workspace, or it has no DELETE task',
    DELETION_NOT_ALLOWED: 'Allow deleting is off on the endpoint',
    VALIDATION_FAILED: 'A query parameter is missing or does not convert to its input field (the detail names it)',
  },
  async handle({ principal, params, query, services, idempotency }) {
    const run = await services.endpoints.runDeleteTask(
      principal.workspaceId,
      endpointPath(params),
      { query },
      idempotency,
    );
    if (isDomainError(run)) return run;
    if (run.status === 'FINISHED_SUCCESS') return { status: 200, body: run.response };
    // a failed run's response always has the system fields (responseBody)
    return { status: 422, body: run.response as z.input<typeof bodies.TaskRunResponse.schema> };
  },
});

/** seed 001, without a task: deletes one record by GUID; 204 */
const deleteEndpointRecord = defineRoute({
  method: 'DELETE',
  path: '/{company}/{group}/{endpoint}/{id}',
  operationId: 'deleteEndpointRecord',
  tag: 'endpoints',
  summary: 'Delete one record by GUID (without task)',
  params: { ...endpointParams, id: { description: 'The record GUID', schema: z.guid() } },
  scope: 'endpoints:delete',
  shape: detailShape,
  responses: { 204: { description: 'Deleted' } },
  errors: {
    INVALID_ID: 'The id is not a GUID',
    NOT_FOUND: 'No such endpoint or record in your workspace',
    DELETION_NOT_ALLOWED: 'Allow deleting is off on the endpoint',
    CONFLICT: 'The record is locked, or another record references it',
  },
  async handle({ principal, params, services, idempotency }) {
    const result = await services.endpoints.deleteRecord(
      principal.workspaceId,
      endpointPath(params),
      params.id,
      idempotency,
    );
    return isDomainError(result) ? result : NO_CONTENT;
  },
});

/** seed 001, without a task: deletes every record of the endpoint */
const deleteAllEndpointRecords = defineRoute({
  method: 'DELETE',
  path: '/{company}/{group}/{endpoint}/all',
  operationId: 'deleteAllEndpointRecords',
  tag: 'endpoints',
  summary: 'Delete all records of the endpoint (without task)',
  description: 'In one statement; a locked record refuses the whole delete.',
  params: endpointParams,
  scope: 'endpoints:delete',
  shape: detailShape,
  responses: { 200: { description: 'How many records were deleted', body: bodies.DeletedCount } },
  errors: {
    NOT_FOUND: 'No such endpoint in your workspace',
    DELETION_NOT_ALLOWED: 'Allow deleting is off on the endpoint',
    CONFLICT: 'A record is locked: nothing was deleted',
  },
  async handle({ principal, params, services, idempotency }) {
    const result = await services.endpoints.deleteAll(principal.workspaceId, endpointPath(params), idempotency);
    if (isDomainError(result)) return result;
    return { status: 200, body: { deletedCount: result.deletedCount } };
  },
});

/**
 * seed 001: the run a task response's `Link` points at. `Result` is the kept output (only with
 * Save output data), `Input` the kept input (as Save input data keeps it).
 */
const getEndpointTaskRun = defineRoute({
  method: 'GET',
  path: '/runs/{id}',
  operationId: 'getEndpointTaskRun',
  tag: 'endpoints',
  summary: "A task run (a task response's Link)",
  params: { id: { description: 'The run id (a GUID)' } },
  scope: ['endpoints:delete', 'admin'],
  shape: detailShape,
  responses: { 200: { description: 'The run as it was kept', body: bodies.TaskRun } },
  errors: { NOT_FOUND: 'No such run in your workspace' },
  async handle({ principal, params, services }) {
    const run = await services.endpoints.findRun(principal.workspaceId, params.id);
    if (!run) return new NotFoundError('Task run not found');
    return {
      status: 200,
      body: {
        ID: run.id,
        Status: STATUS_NAME[run.status],
        Link: `/runs/${run.id}`,
        Message: run.message,
        Result: run.savedOutput,
        Input: run.savedInput,
        StartedAt: run.startedAt.toISOString(),
        FinishedAt: run.finishedAt?.toISOString() ?? null,
      },
    };
  },
});

/**
 * Every REST route. Declaration order does not matter: the router puts specific paths before
 * catch-alls. Exported so /openapi.json (openapi.ts) is printed from it and the authorization
 * matrix (test/authorization-matrix.test.ts) fails for a route it has no row for.
 */
export const REST_ROUTES: readonly RestRoute[] = [
  deleteResource,
  deleteParserResult,
  getParserResult,
  deleteDataset,
  getDataset,
  deleteImage,
  getOperation,
  runEndpointTask,
  deleteEndpointRecord,
  deleteAllEndpointRecords,
  getEndpointTaskRun,
];

const router = createRouter(REST_ROUTES);

export function createRestHandler(deps: {
  prisma: PrismaClient;
  services: Services;
  log: Logger;
  /** MAX_JSON_BYTES: the largest body a request to a route may carry */
  maxBodyBytes: number;
}) {
  /** Answers the request and returns true when a REST route matches; false leaves it to GraphQL. */
  return async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = requestTargetUrl(req.url);
    if (!url) return false;
    const match = router.match(req.method ?? '', url.pathname);
    if (match.kind === 'none') return false;
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ');
      send(res, errorReply(match.shape, 405, 'method_not_allowed', 'Method Not Allowed', { allow }));
      return true;
    }
    const { route } = match;
    const { shape } = route;
    const body = await bodyWithin(req, deps.maxBodyBytes);
    if (body !== 'within') {
      if (body === 'too-large') {
        const message = `Request body too large: at most ${deps.maxBodyBytes} bytes (MAX_JSON_BYTES)`;
        send(res, errorReply(shape, 413, 'request_too_large', message));
      } else send(res, errorReply(shape, 400, 'invalid_request', 'Content-Length header is invalid'));
      return true;
    }
    annotateRequest({ route: `${route.method} ${route.path}` });
    try {
      let key: string | null;
      try {
        key = apiKeyFromHeaders((name) => {
          const v = req.headers[name];
          return Array.isArray(v) ? v[0] : v;
        });
      } catch (err) {
        if (!(err instanceof CredentialsError)) throw err;
        // Two keys: a malformed request (400); another Authorization scheme: no usable credentials (401).
        if (err.kind === 'conflict') send(res, errorReply(shape, 400, 'invalid_request', err.message));
        else send(res, errorReply(shape, 401, 'unauthorized', err.message, { 'www-authenticate': 'Bearer' }));
        return true;
      }
      const auth = await deps.services.auth.authenticate(key);
      if (auth.kind !== 'authenticated') {
        const message = auth.kind === 'anonymous' ? 'Not authenticated' : 'Invalid API key';
        send(res, errorReply(shape, 401, 'unauthorized', message, { 'www-authenticate': 'Bearer' }));
        return true;
      }
      annotateRequest({ keyId: auth.principal.keyId });
      // Every request of a key counts, a forbidden one too; a 405 above (no key looked at) does not.
      const admission = await deps.services.auth.admit(auth.principal);
      if (!admission.admitted) {
        const wait = admission.retryAfterSeconds;
        const message = `Rate limit exceeded for this API key: retry after ${wait} second${wait === 1 ? '' : 's'}`;
        send(res, errorReply(shape, 429, 'rate_limited', message, { 'retry-after': String(wait) }));
        return true;
      }
      const lacking = missingScope(route, auth.principal.scopes);
      if (lacking) {
        send(res, errorReply(shape, 403, 'forbidden', lacking));
        return true;
      }
      const params = decodePathParams(match.rawParams);
      const header = req.headers['idempotency-key'];
      const idempotency = deps.services.idempotency.sent(
        Array.isArray(header) ? header[0] : header,
        auth.principal.keyId,
      );
      const outcome = isDomainError(params)
        ? params
        : isDomainError(idempotency)
          ? idempotency
          : await route.handle({
              principal: auth.principal,
              params,
              query: url.searchParams,
              url,
              services: deps.services,
              idempotency,
            });
      send(res, isDomainError(outcome) ? domainErrorReply(route, outcome, match.methods) : outcome);
    } catch (err) {
      deps.log.error({ err, method: req.method, path: url.pathname }, 'REST route failed');
      send(res, errorReply(shape, 500, 'internal_error', 'Internal server error'));
    }
    return true;
  };
}

/**
 * Whether the body is within `maxBytes`. No route reads a body; one over the limit is refused
 * (413) rather than read away unnoticed. A declared length is judged by its header; a chunked
 * body is counted as it is read and dropped. What follows an answer is read away by Node and
 * dropped too, so a refused body never sits in memory.
 */
function bodyWithin(req: IncomingMessage, maxBytes: number): BodySize | Promise<BodySize> {
  const declared = req.headers['content-length'];
  if (declared !== undefined) return declaredLength(declared, maxBytes);
  if (req.headers['transfer-encoding'] === undefined) return 'within';
  return new Promise((resolve) => {
    let read = 0;
    const count = (chunk: Buffer) => {
      read += chunk.length;
      if (read <= maxBytes) return;
      req.off('data', count);
      req.resume(); // the rest is dropped as it comes
      resolve('too-large');
    };
    req.on('data', count);
    req.once('end', () => resolve('within'));
    req.once('error', () => resolve('within')); // the client went away; its answer goes nowhere
  });
}

function send(res: ServerResponse, reply: RestReply) {
  const { status, headers, body } = renderReply(reply);
  res.writeHead(status, headers);
  res.end(body ?? undefined);
}
