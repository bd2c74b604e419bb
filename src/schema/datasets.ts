import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import type { PurgeReport, PurgeRun } from '../services/dataset-purge.js';
import { type Dataset, type DatasetShare, type DeleteDatasetPayload, datasetCursor } from '../services/datasets.js';
import { ConflictError, InvalidIdError, NotFoundError, ValidationError } from '../services/errors.js';
import { builder } from './builder.js';
import { orGraphQLError, orThrow } from './errors-top-level.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotencyOf } from './idempotency.js';
import { workspaceOf } from './principal.js';

const DatasetTypeEnum = builder.enumType('DatasetType', { values: ['DOC', 'AUDIO', 'VIDEO', 'IMAGE'] as const });

const DatasetShareType = builder.objectRef<DatasetShare>('DatasetShare').implement({
  description: 'A public link to the file: the token is its credential. It answers 404 once the dataset is marked.',
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Relative to the gateway: /v1/share/dsx_...?token=...' }),
    token: t.exposeString('token'),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: "The link's own expiry." }),
  }),
});

const DatasetType = builder.objectRef<Dataset>('Dataset').implement({
  description:
    'A dataset (seed 003). Deleting it marks it (expiresAt becomes now); the scheduled purge removes it with its items, keys, vectors and file.',
  fields: (t) => ({
    id: t.exposeID('id'),
    workspaceId: t.exposeID('workspaceId'),
    type: t.field({ type: DatasetTypeEnum, resolve: (d) => d.type }),
    fileName: t.exposeString('fileName'),
    fileExt: t.exposeString('fileExt'),
    fileSize: t.exposeFloat('fileSize', { description: 'Bytes.' }),
    itemCount: t.exposeInt('itemCount'),
    mimeType: t.exposeString('mimeType'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    markedForDeletion: t.exposeBoolean('markedForDeletion', {
      description: 'True once expiresAt is not after now: deleted, or expired on its own.',
    }),
    purgeAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'When the purge schedule removes it: the next run for a marked dataset, the first run after expiresAt otherwise; null without an expiry or with PURGE_CRON=off.',
      resolve: (d, _args, ctx) => ctx.services.datasets.purgeAt(d),
    }),
    share: t.field({ type: DatasetShareType, nullable: true, resolve: (d) => d.share }),
  }),
});

const DeleteDatasetPayloadType = builder.objectRef<DeleteDatasetPayload>('DeleteDatasetPayload').implement({
  fields: (t) => ({
    success: t.exposeBoolean('success'),
    total: t.exposeInt('total'),
    data: t.field({ type: DatasetType, resolve: (p) => p.data }),
  }),
});

const PurgeReportType = builder.objectRef<PurgeReport>('PurgeReport').implement({
  fields: (t) => ({
    runId: t.exposeID('runId'),
    datasets: t.exposeInt('datasets'),
    items: t.exposeInt('items'),
    keys: t.exposeInt('keys'),
    vectors: t.exposeInt('vectors'),
    blobBytes: t.exposeFloat('blobBytes'),
    durationMs: t.exposeInt('durationMs'),
  }),
});

const PurgeRunType = builder.objectRef<PurgeRun>('PurgeRun').implement({
  description: 'One purge run; counts grow batch by batch, so an interrupted run shows what it did.',
  fields: (t) => ({
    id: t.exposeID('id'),
    instanceId: t.exposeString('instanceId'),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    datasets: t.exposeInt('datasets'),
    items: t.exposeInt('items'),
    keys: t.exposeInt('keys'),
    vectors: t.exposeInt('vectors'),
    blobBytes: t.exposeFloat('blobBytes'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const CreateDatasetInput = builder.inputType('CreateDatasetInput', {
  fields: (t) => ({
    type: t.field({ type: DatasetTypeEnum, required: true }),
    fileName: t.string({ required: true, description: 'Without the extension.' }),
    fileExt: t.string({ required: true, description: 'Without the dot.' }),
    mimeType: t.string({ required: true }),
    file: t.field({ type: 'File', required: true, description: 'A file part of the multipart request.' }),
    items: t.field({ type: ['JSON'], required: true, description: 'The rows of the dataset.' }),
    keys: t.stringList(),
    vectors: t.field({
      type: t.listRef(t.listRef('Float', { required: true }), { required: true }),
      description: 'Embeddings, all of one dimension.',
    }),
    expiresAt: t.field({ type: 'DateTime', description: 'A past expiry marks the dataset at once.' }),
    share: t.boolean({ defaultValue: false, description: 'Create a public share link.' }),
    shareExpiresAt: t.field({ type: 'DateTime', description: "The share link's own expiry (needs share: true)." }),
  }),
});

builder.queryFields((t) => ({
  dataset: t.field({
    type: DatasetType,
    nullable: true,
    description: 'A dataset of your workspace until it is purged, marked ones included.',
    authScopes: { scope: ['datasets:delete', 'admin'] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.datasets.find(workspaceOf(ctx), String(id)),
  }),
  datasets: t.connection(
    {
      type: DatasetType,
      description: 'Datasets of your workspace, oldest first; marked (expired) ones only with showExpired.',
      authScopes: { scope: ['datasets:delete', 'admin'] },
      args: { showExpired: t.arg.boolean({ defaultValue: false }) },
      resolve: (_root, args, ctx) =>
        resolveCursorConnection(
          { args, toCursor: datasetCursor, defaultSize: 20, maxSize: 500 },
          async ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            orGraphQLError(
              await ctx.services.datasets.list(
                workspaceOf(ctx),
                { after: after ?? null, before: before ?? null, limit, inverted },
                args.showExpired ?? false,
              ),
            ),
        ),
    },
    { name: 'DatasetConnection' },
    { name: 'DatasetEdge' },
  ),
  purgeRuns: t.field({
    type: [PurgeRunType],
    description:
      "The latest purge runs first: the gateway's runs (times, counts and errors, no workspace's ids or names).",
    authScopes: { scope: 'admin' },
    args: { first: t.arg.int({ defaultValue: 20 }) },
    resolve: (_root, { first }, ctx) => ctx.services.datasets.purgeRuns(Math.max(0, Math.min(first ?? 20, 500))),
  }),
  nextPurgeAt: t.field({
    type: 'DateTime',
    nullable: true,
    description: 'When the purge schedule (PURGE_CRON in PURGE_TZ) runs next; null when it is off.',
    authScopes: { scope: 'admin' },
    resolve: (_root, _args, ctx) => ctx.services.datasets.nextPurgeAt(),
  }),
}));

builder.mutationFields((t) => ({
  createDataset: t.field({
    type: DatasetType,
    description: 'Stores a dataset with its file (multipart upload), items, keys and vectors.',
    authScopes: { scope: 'admin' },
    args: { input: t.arg({ type: CreateDatasetInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      orGraphQLError(await ctx.services.datasets.create(workspaceOf(ctx), input)),
  }),
  deleteDataset: t.field({
    type: DeleteDatasetPayloadType,
    description:
      'Marks the dataset for deletion (expiresAt becomes now, or stays when earlier) and emits MARKED_FOR_DELETION; the purge schedule removes it. Deleting a marked dataset answers the same again.',
    authScopes: { scope: 'datasets:delete' },
    args: {
      id: t.arg.id({ required: true }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    errors: { types: [InvalidIdError, NotFoundError], union: { name: 'DeleteDatasetResult' } },
    resolve: async (_root, { id, idempotencyKey }, ctx) => {
      const sent = idempotencyOf(ctx, idempotencyKey);
      return orThrow(await ctx.services.datasets.delete(workspaceOf(ctx), String(id), sent));
    },
  }),
  restoreDataset: t.field({
    type: DatasetType,
    description:
      'Brings a marked dataset back before it is purged (AIP-164 undelete): no expiry, or the given future one. Emits RESTORED.',
    authScopes: { scope: 'datasets:delete' },
    args: { id: t.arg.id({ required: true }), expiresAt: t.arg({ type: 'DateTime' }) },
    errors: {
      types: [InvalidIdError, NotFoundError, ConflictError, ValidationError],
      union: { name: 'RestoreDatasetResult' },
    },
    resolve: async (_root, { id, expiresAt }, ctx) =>
      orThrow(await ctx.services.datasets.restore(workspaceOf(ctx), String(id), expiresAt ?? null)),
  }),
  purgeExpiredDatasets: t.field({
    type: PurgeReportType,
    description:
      'Runs the purge now (what the schedule runs): hard-deletes every marked dataset with its items, keys, vectors and file. A key without platform purges its own workspace only.',
    authScopes: { scope: 'admin' },
    resolve: async (_root, _args, ctx) => orGraphQLError(await ctx.services.datasets.purge(ctx.principal!)),
  }),
}));
