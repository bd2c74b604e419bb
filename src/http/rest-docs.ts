import { z } from 'zod';

// What a REST route says about itself for /openapi.json, declared with the route: its answers'
// bodies are zod schemas the compiler holds the handler to, and the document prints them.

/** Every JSON body the REST routes answer, by name: the document's `components.schemas`. */
export const restBodies = z.registry<{ id: string }>();

/** A JSON body schema under its component name (made by `namedBody` only, so it is registered). */
export interface NamedBody<T extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly schema: T;
}

/** Registers `schema` as the component `id`; a second body of the same name throws. */
export function namedBody<T extends z.ZodType>(id: string, schema: T): NamedBody<T> {
  restBodies.add(schema, { id });
  return Object.freeze({ id, schema });
}

export interface ParamDoc {
  description: string;
  /** a string when absent */
  schema?: z.ZodType;
}

export interface QueryParamDoc extends ParamDoc {
  required?: boolean;
}

export interface HeaderDoc {
  description: string;
}

/** One answer a handler gives itself (errors are documented from the route's error table). */
export interface AnswerDoc {
  description: string;
  /** the JSON body; absent: no body (204) unless `file` */
  body?: NamedBody;
  /** the body is a stored file in its own media type */
  file?: true;
  /** headers the answer always has, by their canonical names (`Location`) */
  headers?: Readonly<Record<string, HeaderDoc>>;
}

export type AnswerDocs = Readonly<Record<number, AnswerDoc>>;

/** The reply a handler may give for the documented answers: status, body type and headers follow the doc. */
export type DocumentedReply<R extends AnswerDocs> = {
  [S in keyof R & number]: { status: S } & (R[S] extends { body: NamedBody<infer B> }
    ? { body: z.input<B> }
    : { body?: undefined }) &
    (R[S] extends { headers: infer H }
      ? { headers: { [K in keyof H & string as Lowercase<K>]: string } & Record<string, string> }
      : { headers?: Record<string, string> });
}[keyof R & number];

/** The document's groups, one per seed. */
export type RestTag = 'resources' | 'endpoints' | 'parser-results' | 'datasets' | 'images';

/** What every documented operation says besides its answers. */
export interface OperationDoc {
  /** a stable name for generated clients */
  operationId: string;
  tag: RestTag;
  summary: string;
  description?: string;
  query?: Readonly<Record<string, QueryParamDoc>>;
}

/** Every `{name}` of a path template needs its description; a path without any needs none. */
export type PathParamDocs<Param extends string> = [Param] extends [never]
  ? { params?: Readonly<Record<string, ParamDoc>> }
  : { params: Readonly<Record<Param, ParamDoc>> };

/** The `{name}`s of a path template. */
export type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/**
 * An operation answered outside the REST router (seed 003's share links: public, streamed), still
 * documented here: its own answers, errors included, and no API key.
 */
export type PublicOperationDeclaration<Path extends string> = OperationDoc & {
  method: 'GET';
  path: Path;
  responses: AnswerDocs;
} & PathParamDocs<ParamNames<Path>>;

export interface PublicOperation extends OperationDoc {
  readonly method: 'GET';
  readonly path: string;
  readonly params: Readonly<Record<string, ParamDoc>>;
  readonly responses: AnswerDocs;
}

export function definePublicOperation<const Path extends string>(
  declaration: PublicOperationDeclaration<Path>,
): PublicOperation {
  return { ...declaration, params: declaration.params ?? {} };
}
