// Parsed and validated documents, kept for the next request that sends the same one: parsing
// and validating again is the largest CPU cost of a small mutation. Yoga's own cache is off
// (`parserAndValidationCache: false`) for two reasons measured with the fuzzer:
// - it keeps 1,024 documents of any size, and parse errors too, so distinct large documents
//   could hold hundreds of MB;
// - it keeps validation errors, and a GraphQLError's unformatted stack holds the closures of the
//   request that made it, with that request's context, socket and response: each cached invalid
//   document held on to a whole request.
// Here the documents are bounded by their sources' size and only a document that validated
// without errors is remembered as valid. Every other request is parsed and validated afresh.
import type { DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';

/**
 * The cached documents' sources together, in characters: room for a few hundred operations of
 * an ordinary client (a few hundred characters each). A parsed document takes 30–60 bytes of
 * heap per character of its source (the introspection query; the fuzzer's documents): 3–6 MB.
 */
export const DOCUMENT_CACHE_CHARS = 100_000;
/** A larger document is parsed every time (the introspection query is about 2,000). */
export const MAX_CACHED_DOCUMENT_CHARS = 10_000;

export function useDocumentCache(): Plugin {
  const documents = new LRUCache<string, DocumentNode>({
    maxSize: DOCUMENT_CACHE_CHARS,
    maxEntrySize: MAX_CACHED_DOCUMENT_CHARS,
    sizeCalculation: (_document, source) => Math.max(1, source.length),
  });
  // One schema and one set of rules per server: a document valid once is valid for every request.
  const valid = new WeakSet<DocumentNode>();
  return {
    onParse({ params, setParsedDocument }) {
      const source = typeof params.source === 'string' ? params.source : String(params.source?.body ?? '');
      const cached = documents.get(source);
      if (cached) {
        setParsedDocument(cached);
        return;
      }
      return ({ result }) => {
        if (result && !(result instanceof Error)) documents.set(source, result as DocumentNode);
      };
    },
    onValidate({ params, setResult }) {
      const document = params.documentAST;
      if (valid.has(document)) {
        setResult([]);
        return;
      }
      return ({ valid: ok }) => {
        if (ok) valid.add(document);
      };
    },
  };
}
