import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { IDEMPOTENCY_KEY_PATTERN } from '../services/idempotency.js';
import { REST_ROUTES } from './rest.js';
import {
  type AnswerDoc,
  type HeaderDoc,
  type NamedBody,
  type OperationDoc,
  type ParamDoc,
  type PublicOperation,
  type RestTag,
  restBodies,
} from './rest-docs.js';
import { DOMAIN_ERROR_STATUS, type RestRoute } from './rest-routes.js';
import { shareLinkOperation } from './share.js';

// GET /openapi.json: the REST routes as an OpenAPI 3.1 document, printed from the route table's
// declarations (rest.ts, share.ts), never written beside them.

export const OPENAPI_PATH = '/openapi.json';

const TAGS: Readonly<Record<RestTag, string>> = {
  resources: 'Seed 000: resources, soft-deleted with their wrapper process stopped',
  endpoints: 'Seed 001: Integray endpoints, deleted by task, by GUID or all at once',
  'parser-results': 'Seed 002: DocumentPro parser results, hard-deleted with their files',
  datasets: 'Seed 003: Subworkflow datasets, marked for deletion and purged on a schedule',
  images: 'Seed 004: Wesog images, deleted by queued operations',
};

/** The three ways a key is sent; any one of them. */
const SECURITY_SCHEMES = {
  bearer: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <key>`' },
  xApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: '`x-api-key: <key>`' },
  apiKeyHeader: { type: 'apiKey', in: 'header', name: 'API-Key', description: '`API-Key: <key>`' },
} as const;

type JsonSchema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';

/** A schema as the document prints it: JSON Schema 2020-12 (OpenAPI 3.1's dialect) without `$schema`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
  return rest;
}

/** Every registered body, referring to each other by `#/components/schemas/<id>`. */
function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(restBodies, {
    target: 'draft-2020-12',
    io: 'output',
    uri: (id) => `${COMPONENTS}${id}`,
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

/** One status of an operation: every reason for it, every body it may carry. */
interface Answer {
  reasons: string[];
  bodies: NamedBody[];
  file: boolean;
  headers: Record<string, HeaderDoc>;
}

class Answers {
  private readonly byStatus = new Map<number, Answer>();

  add(status: number, reason: string, doc: Omit<AnswerDoc, 'description'> = {}) {
    let answer = this.byStatus.get(status);
    if (!answer) this.byStatus.set(status, (answer = { reasons: [], bodies: [], file: false, headers: {} }));
    if (!answer.reasons.includes(reason)) answer.reasons.push(reason);
    if (doc.body && !answer.bodies.some((b) => b.id === doc.body!.id)) answer.bodies.push(doc.body);
    answer.file ||= doc.file === true;
    Object.assign(answer.headers, doc.headers);
  }

  toJson(): Record<string, unknown> {
    const statuses = [...this.byStatus.keys()].sort((a, b) => a - b);
    return Object.fromEntries(
      statuses.map((status) => {
        const { reasons, bodies, file, headers } = this.byStatus.get(status)!;
        const refs = bodies.map((b) => ({ $ref: `${COMPONENTS}${b.id}` }));
        const content: Record<string, unknown> = {};
        if (refs.length) content['application/json'] = { schema: refs.length === 1 ? refs[0] : { anyOf: refs } };
        if (file) content['*/*'] = { schema: { description: 'The stored file, in its own media type' } };
        return [
          String(status),
          {
            description: reasons.length === 1 ? reasons[0] : reasons.map((r) => `- ${r}`).join('\n'),
            ...(Object.keys(headers).length && {
              headers: Object.fromEntries(
                Object.entries(headers).map(([name, h]) => [
                  name,
                  { description: h.description, schema: { type: 'string' } },
                ]),
              ),
            }),
            ...(Object.keys(content).length && { content }),
          },
        ];
      }),
    );
  }
}

function parameters(
  params: Readonly<Record<string, ParamDoc>>,
  query: OperationDoc['query'],
): Array<Record<string, unknown>> {
  const parameter = (name: string, where: 'path' | 'query', doc: ParamDoc, required: boolean) => ({
    name,
    in: where,
    required,
    description: doc.description,
    schema: jsonSchema(doc.schema ?? z.string(), 'input'),
  });
  return [
    ...Object.entries(params).map(([name, doc]) => parameter(name, 'path', doc, true)),
    ...Object.entries(query ?? {}).map(([name, doc]) => parameter(name, 'query', doc, doc.required ?? false)),
  ];
}

const IDEMPOTENCY_KEY_HEADER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Makes a retry safe: a retry with the same key and the same request within IDEMPOTENCY_TTL (24 h by ' +
    'default) gets the first answer again, with no second deletion; the same key with another request is a 422.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
};

function operationHead(doc: OperationDoc) {
  return {
    operationId: doc.operationId,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description && { description: doc.description }),
  };
}

/** A route of the REST router: its own answers, then every error the router and its handler give. */
function restOperation(route: RestRoute) {
  const answers = new Answers();
  for (const [status, doc] of Object.entries(route.responses)) answers.add(Number(status), doc.description, doc);
  const error = { body: route.shape.schema };
  const scopes = [route.scope].flat();
  const deleting = route.method === 'DELETE';
  answers.add(400, 'Two different API keys were sent', error);
  if (Object.keys(route.params).length) answers.add(400, 'A path parameter is not valid percent-encoding', error);
  if (deleting) answers.add(400, 'The Idempotency-Key header is malformed', error);
  for (const [code, reason] of Object.entries(route.errors) as [keyof typeof DOMAIN_ERROR_STATUS, string][]) {
    const { status } = DOMAIN_ERROR_STATUS[code];
    const allow = { Allow: { description: 'The methods the path still allows (possibly none)' } };
    answers.add(status, reason, status === 405 ? { ...error, headers: allow } : error);
  }
  answers.add(401, 'No API key, or an unknown or revoked one', {
    ...error,
    headers: { 'WWW-Authenticate': { description: 'Bearer' } },
  });
  answers.add(403, `The API key lacks the ${scopes.join(' or ')} scope`, error);
  if (deleting) answers.add(422, 'The Idempotency-Key was already used for a different request', error);
  answers.add(413, 'The request body is larger than MAX_JSON_BYTES (no route takes a body)', error);
  answers.add(429, "The API key's rate limit (RATE_LIMIT) is spent", {
    ...error,
    headers: { 'Retry-After': { description: 'Seconds until a request may succeed' } },
  });
  answers.add(500, 'An unexpected failure (details only in the log)', error);
  return {
    ...operationHead(route),
    parameters: [...parameters(route.params, route.query), ...(deleting ? [IDEMPOTENCY_KEY_HEADER] : [])],
    // OpenAPI 3.1 lets an API key's requirement name roles: the scope, any one of them, in any header
    security: scopes.flatMap((scope) => Object.keys(SECURITY_SCHEMES).map((scheme) => ({ [scheme]: [scope] }))),
    responses: answers.toJson(),
  };
}

/** An operation outside the router, with no API key. */
function publicOperation(operation: PublicOperation) {
  const answers = new Answers();
  for (const [status, doc] of Object.entries(operation.responses)) answers.add(Number(status), doc.description, doc);
  return {
    ...operationHead(operation),
    parameters: parameters(operation.params, operation.query),
    security: [],
    responses: answers.toJson(),
  };
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The document for these routes (the gateway's own by default). */
export function buildOpenApiDocument(
  routes: readonly RestRoute[] = REST_ROUTES,
  publicOperations: readonly PublicOperation[] = [shareLinkOperation],
) {
  const paths: Record<string, Record<string, unknown>> = {};
  const add = (method: string, path: string, operation: unknown) => {
    const item = (paths[path] ??= {});
    item[method.toLowerCase()] = operation;
  };
  for (const route of routes) add(route.method, route.path, restOperation(route));
  for (const operation of publicOperations) add(operation.method, operation.path, publicOperation(operation));
  return {
    openapi: '3.1.1',
    info: {
      title: 'Deletion gateway: REST compatibility routes',
      version: packageVersion(),
      description:
        "The five seeds' REST routes, answered by the same services as the GraphQL API at /graphql " +
        '(which also streams every deletion: the deletionEvents subscription). Any one of the three key headers ' +
        'authenticates; the security requirements name the scope the key needs.',
    },
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: { schemas: componentSchemas(), securitySchemes: SECURITY_SCHEMES },
  };
}

/** Answers GET/HEAD /openapi.json: public, the same bytes for the life of the process, revalidated by ETag. */
export function createOpenApiHandler() {
  const body = JSON.stringify(buildOpenApiDocument());
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
  const cacheHeaders = { etag, 'cache-control': 'public, max-age=300' };
  return function serveOpenApi(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const error = JSON.stringify({ detail: 'Method Not Allowed' });
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'application/json; charset=utf-8' }).end(error);
      return;
    }
    const sent = req.headers['if-none-match'];
    if (sent?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      res.writeHead(304, cacheHeaders).end();
      return;
    }
    res.writeHead(200, {
      ...cacheHeaders,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
