import { z } from 'zod';

// Reading an OpenAPI 3.1 document as a client would: its operations, and each documented JSON
// body as a validator (zod's JSON Schema reader over the document's components).

export type JsonSchema = Record<string, unknown>;

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description?: string; schema?: JsonSchema }>;
  content?: Record<string, { schema?: JsonSchema }>;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  parameters?: OpenApiParameter[];
  security?: Array<Record<string, string[]>>;
  responses: Record<string, OpenApiResponse>;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  tags?: Array<{ name: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
}

/** `DELETE /files`: an operation by its method and path template. */
export type OperationKey = `${'GET' | 'DELETE'} /${string}`;

export function operations(
  doc: OpenApiDocument,
): Array<{ key: OperationKey; path: string; operation: OpenApiOperation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}` as OperationKey,
      path,
      operation,
    })),
  );
}

export function operation(doc: OpenApiDocument, key: OperationKey): OpenApiOperation | undefined {
  const [method, path] = key.split(' ') as [string, string];
  return doc.paths[path]?.[method.toLowerCase()];
}

const COMPONENTS = '#/components/schemas/';

/** Every `$ref` in `value`. */
export function refsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsOf);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [v] : refsOf(v)));
}

/** The document's component references as a standalone schema's `$defs` references. */
function rebased(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rebased);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENTS)
        ? `#/$defs/${v.slice(COMPONENTS.length)}`
        : rebased(v),
    ]),
  );
}

/** A validator for a schema of the document (one that may refer to its components). */
export function validatorOf(doc: OpenApiDocument, schema: JsonSchema): z.ZodType {
  const standalone = rebased({ ...schema, $defs: doc.components.schemas }) as Parameters<typeof z.fromJSONSchema>[0];
  return z.fromJSONSchema(standalone, { defaultTarget: 'draft-2020-12', registry: z.registry() });
}

/** Why `body` does not match `schema`, or null when it does. */
export function schemaProblems(doc: OpenApiDocument, schema: JsonSchema, body: unknown): string | null {
  const result = validatorOf(doc, schema).safeParse(body);
  return result.success ? null : z.prettifyError(result.error);
}
