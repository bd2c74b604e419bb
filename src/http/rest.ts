import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiKeyFromHeaders, CredentialsError } from '../auth/api-keys.js';
import type { PrismaClient } from '../db/client.js';
import type { Logger } from '../logger.js';
import { annotateRequest } from '../request-scope.js';
import type { Dataset } from '../services/datasets.js';
import { STATUS_NAME } from '../services/endpoint-config.js';
import { isDomainError, NotFoundError } from '../services/errors.js';
import type { Services } from '../services/index.js';
import { OPERATION_NOT_FOUND, type Operation } from '../services/operations.js';
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
  renderReply,
  requiredQueryParam,
  successErrorShape,
  successFalseShape,
} from './rest-routes.js';

// The seeds' own HTTP shapes, beside /graphql, calling the same services as the resolvers.

/** seed 000 */
const deleteResource = defineRoute({
  method: 'DELETE',
  path: '/resources/{resource_id}',
  scope: 'resources:delete',
  shape: detailShape,
  messages: { INVALID_ID: 'Invalid resource ID', NOT_FOUND: 'Resource not found' },
  async handle({ principal, params, services }) {
    const result = await services.resources.delete(principal.workspaceId, params.resource_id);
    if (isDomainError(result)) return result;
    return { status: 200, body: { id: result.id, deleted: true } };
  },
});

/** seed 002: the result, its rows and its stored files, irreversibly */
const deleteParserResult = defineRoute({
  method: 'DELETE',
  path: '/files',
  scope: 'parser-results:delete',
  shape: successErrorShape,
  async handle({ principal, query, services }) {
    const requestId = requiredQueryParam(query, 'request_id');
    if (isDomainError(requestId)) return requestId;
    const result = await services.parserResults.delete(principal.workspaceId, requestId);
    if (isDomainError(result)) return result;
    return { status: 200, body: { success: true, message: result.message } };
  },
});

/**
 * seed 002 names no read; this one lets a client see what a deletion removes and that it is
 * gone (404). A key that may delete results, or an admin key, may read them.
 */
const getParserResult = defineRoute({
  method: 'GET',
  path: '/files',
  scope: ['parser-results:delete', 'admin'],
  shape: successErrorShape,
  async handle({ principal, query, services }) {
    const requestId = requiredQueryParam(query, 'request_id');
    if (isDomainError(requestId)) return requestId;
    const result = await services.parserResults.read(principal.workspaceId, requestId);
    if (isDomainError(result)) return result;
    const { files, data } = result;
    return { status: 200, body: { success: true, data: { requestId: result.requestId, files, data } } };
  },
});

/** seed 003's `data`: exactly its fields, `type` in lower case, times as epoch milliseconds. */
export function datasetJson(d: Dataset) {
  const ms = (date: Date | null) => (date ? date.getTime() : null);
  return {
    id: d.id,
    workspaceId: d.workspaceId,
    type: d.type.toLowerCase(),
    fileName: d.fileName,
    fileExt: d.fileExt,
    fileSize: d.fileSize,
    itemCount: d.itemCount,
    mimeType: d.mimeType,
    createdAt: ms(d.createdAt),
    updatedAt: ms(d.updatedAt),
    expiresAt: ms(d.expiresAt),
    share: d.share && { url: d.share.url, token: d.share.token, expiresAt: ms(d.share.expiresAt) },
  };
}

const datasetMessages = { INVALID_ID: 'Invalid dataset id', NOT_FOUND: 'Dataset not found' } as const;

/** seed 003: marks the dataset for deletion (its expiry becomes now); the purge schedule removes it */
const deleteDataset = defineRoute({
  method: 'DELETE',
  path: '/v1/datasets/{id}',
  scope: 'datasets:delete',
  shape: successFalseShape,
  messages: datasetMessages,
  async handle({ principal, params, services }) {
    const result = await services.datasets.delete(principal.workspaceId, params.id);
    if (isDomainError(result)) return result;
    return { status: 200, body: { success: true, total: 1, data: datasetJson(result.data) } };
  },
});

/** seed 003: readable until purged, marked ones too */
const getDataset = defineRoute({
  method: 'GET',
  path: '/v1/datasets/{id}',
  scope: ['datasets:delete', 'admin'],
  shape: successFalseShape,
  messages: datasetMessages,
  async handle({ principal, params, services }) {
    const result = await services.datasets.read(principal.workspaceId, params.id);
    if (isDomainError(result)) return result;
    return { status: 200, body: { success: true, total: 1, data: datasetJson(result) } };
  },
});

/** seed 004: the operation object, field for field in snake_case, plus its id; `errors[].id` a number */
function operationBody(op: Operation) {
  return {
    id: op.id,
    method: op.method.toLowerCase(),
    resource: op.resource.toLowerCase(),
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
  scope: 'images:delete',
  shape: detailShape,
  async handle({ principal, params, query, services }) {
    const wait = booleanQueryParam(query, 'wait', false);
    if (isDomainError(wait)) return wait;
    const urgent = booleanQueryParam(query, 'urgent', false);
    if (isDomainError(urgent)) return urgent;
    const strict = booleanQueryParam(query, 'strict', false);
    if (isDomainError(strict)) return strict;
    const op = await services.images.delete(principal.workspaceId, [params.image_id], { wait, urgent, strict });
    if (isDomainError(op)) return op;
    if (op.isFinished && wait) return { status: 200, body: operationBody(op) };
    return { status: 202, headers: { location: `/ops/${op.id}` }, body: operationBody(op) };
  },
});

/** seed 004: an operation's status; another workspace's is not found */
const getOperation = defineRoute({
  method: 'GET',
  path: '/ops/{op_id}',
  scope: ['images:delete', 'admin'],
  shape: detailShape,
  async handle({ principal, params, services }) {
    const op = await services.operations.find(principal.workspaceId, params.op_id);
    if (!op) return new NotFoundError(OPERATION_NOT_FOUND);
    return { status: 200, body: operationBody(op) };
  },
});

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
  scope: 'endpoints:delete',
  shape: detailShape,
  async handle({ principal, params, query, services }) {
    const run = await services.endpoints.runDeleteTask(principal.workspaceId, endpointPath(params), { query });
    if (isDomainError(run)) return run;
    return { status: run.status === 'FINISHED_SUCCESS' ? 200 : 422, body: run.response };
  },
});

/** seed 001, without a task: deletes one record by GUID; 204 */
const deleteEndpointRecord = defineRoute({
  method: 'DELETE',
  path: '/{company}/{group}/{endpoint}/{id}',
  scope: 'endpoints:delete',
  shape: detailShape,
  async handle({ principal, params, services }) {
    const result = await services.endpoints.deleteRecord(principal.workspaceId, endpointPath(params), params.id);
    return isDomainError(result) ? result : NO_CONTENT;
  },
});

/** seed 001, without a task: deletes every record of the endpoint */
const deleteAllEndpointRecords = defineRoute({
  method: 'DELETE',
  path: '/{company}/{group}/{endpoint}/all',
  scope: 'endpoints:delete',
  shape: detailShape,
  async handle({ principal, params, services }) {
    const result = await services.endpoints.deleteAll(principal.workspaceId, endpointPath(params));
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
  scope: ['endpoints:delete', 'admin'],
  shape: detailShape,
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

/** Declaration order does not matter: the router puts specific paths before catch-alls. */
const router = createRouter([
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
]);

export function createRestHandler(deps: { prisma: PrismaClient; services: Services; log: Logger }) {
  /** Answers the request and returns true when a REST route matches; false leaves it to GraphQL. */
  return async function handleRest(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = router.match(req.method ?? '', url.pathname);
    if (match.kind === 'none') return false;
    if (match.kind === 'method-not-allowed') {
      const allow = match.allow.join(', ');
      send(res, errorReply(match.shape, 405, 'method_not_allowed', 'Method Not Allowed', { allow }));
      return true;
    }
    const { route } = match;
    const { shape } = route;
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
      const lacking = missingScope(route, auth.principal.scopes);
      if (lacking) {
        send(res, errorReply(shape, 403, 'forbidden', lacking));
        return true;
      }
      const params = decodePathParams(match.rawParams);
      const outcome = isDomainError(params)
        ? params
        : await route.handle({
            principal: auth.principal,
            params,
            query: url.searchParams,
            url,
            services: deps.services,
          });
      send(res, isDomainError(outcome) ? domainErrorReply(route, outcome, match.methods) : outcome);
    } catch (err) {
      deps.log.error({ err, method: req.method, path: url.pathname }, 'REST route failed');
      send(res, errorReply(shape, 500, 'internal_error', 'Internal server error'));
    }
    return true;
  };
}

function send(res: ServerResponse, reply: RestReply) {
  const { status, headers, body } = renderReply(reply);
  res.writeHead(status, headers);
  res.end(body ?? undefined);
}
