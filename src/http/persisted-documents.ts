// Persisted (trusted) documents: a request may name a document of the PERSISTED_DOCUMENTS
// manifest by id instead of sending its text; with PERSISTED_DOCUMENTS_REQUIRED only those run.
// HTTP goes through Yoga's persisted-operations plugin; graphql-ws subscribes (which Yoga's
// request pipeline never sees) through subscribeDocument, with the same ids, lookup and errors.
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError, parse, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { PersistedDocuments } from '../config/persisted-documents.js';
import { schema } from '../schema/index.js';

/** What a request carries, over HTTP (Yoga's params) or graphql-ws (a subscribe payload). */
interface DocumentParams {
  query?: string | null;
  extensions?: Record<string, unknown> | null;
  documentId?: unknown;
}

export interface PersistedDocumentsPolicy {
  documents: PersistedDocuments;
  /** only the manifest's documents run, named by id */
  required: boolean;
}

/** Where a request names its document (besides `query`, its text): the names graphql-http and Yoga's plugin read. */
const ID_SOURCES = 'documentId, or extensions.persistedQuery.sha256Hash';

const badRequest = (message: string, code: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

const errors = (required: boolean) => ({
  notFound: () => badRequest('No persisted document has this id.', 'PERSISTED_QUERY_NOT_IN_LIST'),
  textRefused: () =>
    badRequest(
      `Only persisted documents run here: send the document's id (${ID_SOURCES}) instead of its text.`,
      'PERSISTED_QUERY_ID_REQUIRED',
    ),
  noDocument: () =>
    required
      ? badRequest(`Send a persisted document's id (${ID_SOURCES}).`, 'PERSISTED_QUERY_ID_REQUIRED')
      : badRequest(`Send a query, or a persisted document's id (${ID_SOURCES}).`, 'BAD_REQUEST'),
});

/**
 * The id a request names: `documentId` (GraphQL over HTTP's persisted documents, in a JSON body
 * or a GET query string; Codegen's `sha256:<hex>` ids) or, as Apollo clients send it,
 * `extensions.persistedQuery.sha256Hash` (`<hex>`).
 */
export function documentIdOf(params: DocumentParams, request?: Request): string | null {
  if (typeof params.documentId === 'string') return params.documentId;
  if (request?.method === 'GET') {
    const fromUrl = new URL(request.url).searchParams.get('documentId');
    if (fromUrl) return fromUrl;
  }
  const persisted: unknown = params.extensions?.persistedQuery;
  if (persisted && typeof persisted === 'object' && 'sha256Hash' in persisted) {
    const hash = persisted.sha256Hash;
    if (typeof hash === 'string') return hash;
  }
  return null;
}

/** The text of the document `id` names; a bare sha256 hex finds its `sha256:` id too. */
export function persistedDocument(documents: PersistedDocuments, id: string): string | null {
  return documents.get(id) ?? documents.get(`sha256:${id}`) ?? null;
}

/** Yoga's persisted-operations plugin on the manifest; also lets `documentId` through Yoga's parameter check. */
export function usePersistedDocuments(policy: PersistedDocumentsPolicy): Plugin {
  const refuse = errors(policy.required);
  return usePersistedOperations({
    getPersistedOperation: (id) => persistedDocument(policy.documents, id),
    allowArbitraryOperations: !policy.required,
    extractPersistedOperationId: (params, request) => documentIdOf(params, request),
    customErrors: { notFound: refuse.notFound, persistedQueryOnly: refuse.textRefused, keyNotFound: refuse.noDocument },
  });
}

/**
 * graphql-ws: the text a subscribe message runs, or why it is refused. The protocol requires a
 * `query` string, so a message that names its document by id sends an empty one.
 */
export function subscribeDocument(
  policy: PersistedDocumentsPolicy | null,
  payload: DocumentParams,
): string | GraphQLError {
  const text = payload.query ?? '';
  if (!policy) return text;
  const refuse = errors(policy.required);
  if (text !== '') return policy.required ? refuse.textRefused() : text;
  const id = documentIdOf(payload);
  if (id === null) return refuse.noDocument();
  return persistedDocument(policy.documents, id) ?? refuse.notFound();
}

/** Why the manifest cannot serve this schema (a document that can never run), or null. */
export function persistedDocumentsProblem(documents: PersistedDocuments): string | null {
  for (const [id, text] of documents) {
    const [error] = validate(schema, parse(text));
    if (error) return `document ${JSON.stringify(id)} does not validate against the schema (${error.message})`;
  }
  return null;
}
