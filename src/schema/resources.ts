import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import { InvalidIdError, NotFoundError, WrapperStopTimeoutError } from '../services/errors.js';
import type { DeleteResourcePayload, ExecutionLogEntry, Resource, Wrapper } from '../services/resources.js';
import { builder } from './builder.js';
import { orGraphQLError, orThrow } from './errors-top-level.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotencyOf } from './idempotency.js';
import { workspaceOf } from './principal.js';

const WrapperStatusEnum = builder.enumType('WrapperStatus', {
  values: ['PENDING', 'RUNNING', 'STOPPED', 'FAILED'] as const,
});

const ExecutionLogEntryType = builder.objectRef<ExecutionLogEntry>('ExecutionLogEntry').implement({
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.id.toString() }),
    at: t.expose('at', { type: 'DateTime' }),
    event: t.exposeString('event'),
    message: t.exposeString('message'),
  }),
});

const WrapperType = builder.objectRef<Wrapper>('Wrapper').implement({
  description: 'The process that runs on behalf of a resource; stopped when the resource is deleted.',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    status: t.field({ type: WrapperStatusEnum, resolve: (w) => w.status }),
    statusChangedAt: t.expose('statusChangedAt', { type: 'DateTime', nullable: true }),
    pid: t.exposeInt('pid', { nullable: true }),
    executionLog: t.field({
      type: [ExecutionLogEntryType],
      description: 'The last `last` entries, oldest first.',
      args: { last: t.arg.int({ defaultValue: 20 }) },
      resolve: (w, { last }, ctx) =>
        ctx.loaders.executionLog.load({ wrapperId: w.id, last: Math.max(0, Math.min(last ?? 20, 1000)) }),
    }),
  }),
});

export const ResourceType = builder.objectRef<Resource>('Resource').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    deleted: t.exposeBoolean('deleted'),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    wrapper: t.field({
      type: WrapperType,
      nullable: true,
      resolve: (r, _args, ctx) => ctx.loaders.wrapperByResource.load(r.id),
    }),
  }),
});

const DeleteResourcePayloadType = builder.objectRef<DeleteResourcePayload>('DeleteResourcePayload').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    deleted: t.exposeBoolean('deleted'),
    resource: t.field({ type: ResourceType, resolve: (p) => p.resource }),
    wrapper: t.field({ type: WrapperType, nullable: true, resolve: (p) => p.wrapper }),
  }),
});

const CreateResourceInput = builder.inputType('CreateResourceInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    wrapperKind: t.string({
      description: 'A wrapper kind from the server allowlist (default list: idle). Omit for no wrapper.',
    }),
  }),
});

builder.queryFields((t) => ({
  resource: t.field({
    type: ResourceType,
    nullable: true,
    description: 'A live resource of your workspace; null when absent or deleted.',
    authScopes: { authenticated: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.resources.find(workspaceOf(ctx), String(id)),
  }),
  resources: t.connection(
    {
      type: ResourceType,
      description: 'Live resources of your workspace, oldest first.',
      authScopes: { authenticated: true },
      resolve: (_root, args, ctx) =>
        resolveCursorConnection(
          { args, toCursor: (r: Resource) => r.id, defaultSize: 20, maxSize: 500 },
          async ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            orGraphQLError(
              await ctx.services.resources.list(workspaceOf(ctx), {
                after: after ?? null,
                before: before ?? null,
                limit,
                inverted,
              }),
            ),
        ),
    },
    { name: 'ResourceConnection' },
    { name: 'ResourceEdge' },
  ),
  wrapper: t.field({
    type: WrapperType,
    nullable: true,
    description: 'A wrapper in any state, also of a deleted resource (operators follow a deletion here).',
    authScopes: { scope: 'admin' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ctx.services.resources.findWrapper(workspaceOf(ctx), String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createResource: t.field({
    type: ResourceType,
    authScopes: { scope: 'admin' },
    args: { input: t.arg({ type: CreateResourceInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      orGraphQLError(await ctx.services.resources.create(workspaceOf(ctx), input)),
  }),
  deleteResource: t.field({
    type: DeleteResourcePayloadType,
    description:
      'Soft-deletes the resource, stops its wrapper process, records STOPPED with an execution-log entry, queues a resource.deletion message and emits a SOFT_DELETED event. Answers once the wrapper is STOPPED.',
    authScopes: { scope: 'resources:delete' },
    args: {
      id: t.arg.id({ required: true }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    errors: {
      types: [InvalidIdError, NotFoundError, WrapperStopTimeoutError],
      union: { name: 'DeleteResourceResult' },
    },
    resolve: async (_root, { id, idempotencyKey }, ctx) => {
      const sent = idempotencyOf(ctx, idempotencyKey);
      return orThrow(await ctx.services.resources.delete(workspaceOf(ctx), String(id), sent));
    },
  }),
}));
