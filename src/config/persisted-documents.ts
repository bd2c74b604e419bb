// The persisted (trusted) documents manifest: document ids to GraphQL documents, in the format
// GraphQL Codegen's client preset writes (`persisted-documents.json` with `persistedDocuments: true`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';

/** Document id -> the document's text, exactly as the manifest holds it. */
export type PersistedDocuments = ReadonlyMap<string, string>;

export interface ManifestProblem {
  problem: string;
}

export const isManifestProblem = (value: PersistedDocuments | ManifestProblem): value is ManifestProblem =>
  'problem' in value;

/** The manifest in `file`, or why it cannot serve (one line). */
export function readPersistedDocuments(file: string): PersistedDocuments | ManifestProblem {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: `cannot read ${file} (${code ?? (err as Error).message})` };
  }
  return parsePersistedDocuments(text, file);
}

/** A sha256 document identifier (GraphQL over HTTP, persisted documents appendix): `sha256:` + 64 hex digits. */
const SHA256_ID = /^sha256:([0-9a-f]{64})$/;

export function parsePersistedDocuments(text: string, file = 'the manifest'): PersistedDocuments | ManifestProblem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { problem: `${file} is not JSON (${(err as Error).message})` };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { problem: `${file} must be a JSON object of document ids to GraphQL documents` };
  }
  const entries = Object.entries(json);
  if (entries.length === 0) return { problem: `${file} holds no documents` };
  const documents = new Map<string, string>();
  for (const [id, document] of entries) {
    if (id.trim() === '') return { problem: `${file} has an empty document id` };
    if (typeof document !== 'string') return { problem: `document ${JSON.stringify(id)} is not a string` };
    try {
      parse(document);
    } catch (err) {
      return { problem: `document ${JSON.stringify(id)} does not parse (${(err as Error).message})` };
    }
    // A sha256 id names its text: a mismatch is a manifest edited by hand or cut short.
    const sha = SHA256_ID.exec(id);
    if (sha && createHash('sha256').update(document).digest('hex') !== sha[1]) {
      return { problem: `document ${JSON.stringify(id)} does not have that sha256 hash` };
    }
    documents.set(id, document);
  }
  return documents;
}
