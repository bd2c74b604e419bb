import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import type { QueueMessage } from '../db/generated/client.js';
import { builder } from './builder.js';
import { orGraphQLError } from './errors-top-level.js';
import { workspaceOf } from './principal.js';

const QueueMessageStateEnum = builder.enumType('QueueMessageState', {
  values: ['PENDING', 'SENT', 'FAILED'] as const,
});

const QueueMessageType = builder.objectRef<QueueMessage>('QueueMessage').implement({
  description: 'A message in the outbox: written with the deletion, relayed to the broker after commit.',
  fields: (t) => ({
    id: t.exposeID('id'),
    queue: t.exposeString('queue'),
    body: t.field({ type: 'JSON', resolve: (m) => JSON.parse(m.body) as unknown }),
    rawBody: t.exposeString('body', { description: 'The body exactly as it is published.' }),
    state: t.field({ type: QueueMessageStateEnum, resolve: (m) => m.state }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    sentAt: t.expose('sentAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('queueMessages', (t) =>
  t.connection(
    {
      type: QueueMessageType,
      description: 'Messages of a queue in your workspace, oldest first.',
      authScopes: { scope: 'admin' },
      args: {
        queue: t.arg.string({ required: true }),
        state: t.arg({ type: QueueMessageStateEnum }),
      },
      resolve: (_root, args, ctx) =>
        resolveCursorConnection(
          { args, toCursor: (m: QueueMessage) => m.id, defaultSize: 50, maxSize: 1000 },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            ctx.services.queue.list({
              workspaceId: workspaceOf(ctx),
              queue: args.queue,
              state: args.state ?? null,
              after: after ?? null,
              before: before ?? null,
              inverted,
              limit,
            }),
        ),
    },
    { name: 'QueueMessageConnection' },
    { name: 'QueueMessageEdge' },
  ),
);

const RetryFailedQueueMessagesPayload = builder
  .objectRef<{ queue: string; retried: number }>('RetryFailedQueueMessagesPayload')
  .implement({
    fields: (t) => ({
      queue: t.exposeString('queue'),
      retried: t.exposeInt('retried', { description: 'How many FAILED messages went back to PENDING.' }),
    }),
  });

builder.mutationField('retryFailedQueueMessages', (t) =>
  t.field({
    type: RetryFailedQueueMessagesPayload,
    description:
      'Gives FAILED messages of a queue in your workspace back to the relay (PENDING, attempts from 0, the last error kept until a publish succeeds): those of `ids`, or every one. Ids of messages that are not FAILED are skipped.',
    authScopes: { scope: 'admin' },
    args: {
      queue: t.arg.string({ required: true }),
      ids: t.arg.idList({ description: 'Null: every FAILED message of the queue.' }),
    },
    resolve: async (_root, args, ctx) =>
      orGraphQLError(
        await ctx.services.queue.retryFailed(workspaceOf(ctx), args.queue, args.ids ? args.ids.map(String) : null),
      ),
  }),
);
