import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import { OperationMethod, OperationResource, OperationState } from '../db/generated/enums.js';
import type { Image } from '../services/images.js';
import type { ListedOperation, Operation, OperationErrorEntry } from '../services/operations.js';
import { builder } from './builder.js';
import { orGraphQLError } from './errors-top-level.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotencyOf } from './idempotency.js';
import { workspaceOf } from './principal.js';

const OperationMethodEnum = builder.enumType(OperationMethod, { name: 'OperationMethod' });
const OperationResourceEnum = builder.enumType(OperationResource, { name: 'OperationResource' });
const OperationStateEnum = builder.enumType(OperationState, {
  name: 'OperationState',
  description: 'QUEUED: waiting for a worker (again, after a lost claim); RUNNING: claimed by a worker; FINISHED.',
});

const OperationErrorType = builder.objectRef<OperationErrorEntry>('OperationError').implement({
  description: 'An element that failed, and why.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The element (an image id).' }),
    msg: t.exposeString('msg'),
  }),
});

const OperationType = builder.objectRef<Operation>('Operation').implement({
  description:
    'An asynchronous operation over a list of elements (seed 004), queued and run by the workers of any instance. Times are those recorded by the database.',
  fields: (t) => ({
    id: t.exposeID('id', { description: '`op_` + 16 url-safe characters.' }),
    method: t.field({ type: OperationMethodEnum, resolve: (o) => o.method }),
    resource: t.field({ type: OperationResourceEnum, resolve: (o) => o.resource }),
    numTotal: t.exposeInt('numTotal'),
    numGood: t.exposeInt('numGood'),
    numBad: t.exposeInt('numBad'),
    isStarted: t.exposeBoolean('isStarted'),
    isFinished: t.exposeBoolean('isFinished'),
    allGood: t.exposeBoolean('allGood', {
      nullable: true,
      description: 'No element failed so far; null until an element finished.',
    }),
    doWait: t.exposeBoolean('doWait'),
    doUrgent: t.exposeBoolean('doUrgent'),
    doStrict: t.exposeBoolean('doStrict'),
    idleMs: t.exposeFloat('idleMs', { nullable: true, description: 'From creation to start; null until started.' }),
    execMs: t.exposeFloat('execMs', { nullable: true, description: 'From start to finish; null until finished.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    errors: t.field({ type: [OperationErrorType], description: 'In element order.', resolve: (o) => o.errors }),
    version: t.exposeInt('version', { description: 'Numbers the states of the operation: each change is one more.' }),
  }),
});

const ImageType = builder.objectRef<Image>('Image').implement({
  description: 'An image (seed 004). Deleted only through delete operations.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'A positive integer.' }),
    name: t.exposeString('name'),
    size: t.exposeFloat('size', { description: 'Bytes of the stored file; 0 without one.' }),
    sha256: t.exposeString('sha256', { nullable: true, description: 'Of the stored file, lowercase hex.' }),
    contentType: t.exposeString('contentType', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const CreateImageInput = builder.inputType('CreateImageInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    file: t.field({ type: 'File', description: 'A file part of a multipart request; stored as a blob.' }),
  }),
});

const readers = ['images:delete', 'admin'] as const;

builder.queryField('operations', (t) =>
  t.connection(
    {
      type: OperationType,
      description: 'Operations of your workspace, oldest first (`last: n` for the newest), in one state or all.',
      authScopes: { scope: [...readers] },
      args: { state: t.arg({ type: OperationStateEnum }) },
      resolve: (_root, args, ctx) =>
        resolveCursorConnection(
          { args, toCursor: (o: ListedOperation) => o.seq.toString(), defaultSize: 50, maxSize: 1000 },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            ctx.services.operations.list(workspaceOf(ctx), {
              state: args.state ?? null,
              after: after ?? null,
              before: before ?? null,
              inverted,
              limit,
            }),
        ),
    },
    { name: 'OperationConnection' },
    { name: 'OperationEdge' },
  ),
);

builder.queryFields((t) => ({
  image: t.field({
    type: ImageType,
    nullable: true,
    description: 'An image of your workspace; null when absent or deleted.',
    authScopes: { scope: [...readers] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.images.find(workspaceOf(ctx), String(id)),
  }),
  operation: t.field({
    type: OperationType,
    nullable: true,
    description: 'An operation of your workspace as it stands; null when unknown.',
    authScopes: { scope: [...readers] },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.operations.find(workspaceOf(ctx), String(id)),
  }),
}));

const deleteArgs = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  wait: t.arg.boolean({
    defaultValue: false,
    description: 'Answer once the operation finished (at most OPERATION_WAIT_TIMEOUT; then as it stands).',
  }),
  urgent: t.arg.boolean({ defaultValue: false, description: 'Run before every waiting non-urgent operation.' }),
  strict: t.arg.boolean({
    defaultValue: false,
    description: 'All or nothing, in one transaction: one failed element leaves every image in place.',
  }),
  idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
});

const options = (args: { wait?: boolean | null; urgent?: boolean | null; strict?: boolean | null }) => ({
  wait: args.wait ?? false,
  urgent: args.urgent ?? false,
  strict: args.strict ?? false,
});

builder.mutationFields((t) => ({
  createImages: t.field({
    type: [ImageType],
    description: 'Creates images (files as multipart uploads); ids are assigned in input order.',
    authScopes: { scope: 'admin' },
    args: { input: t.arg({ type: [CreateImageInput], required: true }) },
    resolve: async (_root, { input }, ctx) => orGraphQLError(await ctx.services.images.create(workspaceOf(ctx), input)),
  }),
  deleteImage: t.field({
    type: OperationType,
    description:
      'Queues a delete operation of one image. An unknown image is an element error ("Image not found"); an id that is no image id is INVALID_ID.',
    authScopes: { scope: 'images:delete' },
    args: { id: t.arg.id({ required: true }), ...deleteArgs(t) },
    resolve: async (_root, args, ctx) => {
      const sent = idempotencyOf(ctx, args.idempotencyKey);
      return orGraphQLError(await ctx.services.images.delete(workspaceOf(ctx), [String(args.id)], options(args), sent));
    },
  }),
  deleteImages: t.field({
    type: OperationType,
    description:
      'Queues a delete operation of these images (distinct ids). Each deleted image emits HARD_DELETED, the operation OPERATION_FINISHED.',
    authScopes: { scope: 'images:delete' },
    args: { ids: t.arg.idList({ required: true }), ...deleteArgs(t) },
    resolve: async (_root, args, ctx) => {
      const sent = idempotencyOf(ctx, args.idempotencyKey);
      return orGraphQLError(
        await ctx.services.images.delete(workspaceOf(ctx), args.ids.map(String), options(args), sent),
      );
    },
  }),
}));

builder.subscriptionField('operationUpdated', (t) =>
  t.field({
    type: OperationType,
    description:
      'The operation as it stands, then every change (started, each batch of elements, finished) made on any instance; completes after the finished state.',
    authScopes: { scope: [...readers] },
    args: { id: t.arg.id({ required: true }) },
    subscribe: async (_root, { id }, ctx) =>
      orGraphQLError(await ctx.services.operations.watch(workspaceOf(ctx), String(id))),
    resolve: (operation: Operation) => operation,
  }),
);
