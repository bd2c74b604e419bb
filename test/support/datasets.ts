import { randomUUID } from 'node:crypto';
import type { RunningServer } from './server.js';

// Seed 003's datasets as tests create them: a real multipart upload of createDataset.

export const DATASET_FIELDS = `id workspaceId type fileName fileExt fileSize itemCount mimeType createdAt updatedAt
  expiresAt markedForDeletion purgeAt share { url token expiresAt }`;

const CreateDataset = `mutation CreateDataset($input: CreateDatasetInput!) {
  createDataset(input: $input) { ${DATASET_FIELDS} }
}`;

export interface CreateDatasetOptions {
  items?: unknown[];
  keys?: string[];
  vectors?: number[][];
  expiresAt?: string | null;
  share?: boolean;
  /** the file's bytes (a unique text by default, so its blob can be found on disk) */
  content?: string;
  type?: string;
}

export interface CreatedDataset {
  id: string;
  workspaceId: string;
  fileSize: number;
  itemCount: number;
  expiresAt: string | null;
  markedForDeletion: boolean;
  share: { url: string; token: string; expiresAt: string | null } | null;
}

/** Creates a dataset (3 items, 2 keys, 2 vectors unless told otherwise); throws on any error. */
export async function createDataset(
  server: Pick<RunningServer, 'url' | 'adminKey'>,
  opts: CreateDatasetOptions = {},
  key = server.adminKey,
): Promise<CreatedDataset> {
  const content = opts.content ?? `%PDF-1.7 ${randomUUID()}`;
  const input = {
    type: opts.type ?? 'DOC',
    fileName: 'my_document',
    fileExt: 'pdf',
    mimeType: 'application/pdf',
    file: null,
    items: opts.items ?? [{ page: 1 }, { page: 2 }, { page: 3 }],
    keys: opts.keys ?? ['alpha', 'beta'],
    vectors: opts.vectors ?? [
      [0.1, 0.2],
      [0.3, 0.4],
    ],
    expiresAt: opts.expiresAt ?? null,
    share: opts.share ?? false,
  };
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: CreateDataset, variables: { input } }));
  form.set('map', JSON.stringify({ 0: ['variables.input.file'] }));
  form.set('0', new Blob([content], { type: 'application/pdf' }), 'my_document.pdf');
  const res = await fetch(server.url, { method: 'POST', body: form, headers: { 'x-api-key': key } });
  const body = (await res.json()) as { data?: { createDataset: CreatedDataset }; errors?: unknown[] };
  if (res.status !== 200 || body.errors) throw new Error(`createDataset failed: ${JSON.stringify(body)}`);
  return body.data!.createDataset;
}
