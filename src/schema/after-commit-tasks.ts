import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import { AfterCommitTaskState } from '../db/generated/enums.js';
import type { AfterCommitTask } from '../jobs/after-commit.js';
import { builder } from './builder.js';
import { DeletionBackendEnum } from './events.js';
import { workspaceOf } from './principal.js';

const AfterCommitTaskStateEnum = builder.enumType(AfterCommitTaskState, {
  name: 'AfterCommitTaskState',
  description: 'PENDING: to do or being retried; DONE; FAILED: out of attempts (stays visible).',
});

const AfterCommitTaskType = builder.objectRef<AfterCommitTask>('AfterCommitTask').implement({
  description:
    'Work outside the database a deletion committed (stop a wrapper process, unlink a blob), done after commit and retried until done.',
  fields: (t) => ({
    id: t.id({ resolve: (task) => task.id.toString() }),
    kind: t.exposeString('kind'),
    state: t.field({ type: AfterCommitTaskStateEnum, resolve: (task) => task.state }),
    attempts: t.exposeInt('attempts'),
    lastError: t.exposeString('lastError', { nullable: true }),
    backend: t.field({ type: DeletionBackendEnum, resolve: (task) => task.backend }),
    entityId: t.exposeID('entityId', { description: 'The deleted entity the work belongs to.' }),
    payload: t.expose('payload', { type: 'JSON' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    runAt: t.expose('runAt', { type: 'DateTime', description: 'When it is (next) due.' }),
    doneAt: t.expose('doneAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryField('afterCommitTasks', (t) =>
  t.connection(
    {
      type: AfterCommitTaskType,
      description: 'After-commit work of your workspace, oldest first: what is pending, what failed and why.',
      authScopes: { scope: 'admin' },
      args: {
        state: t.arg({ type: AfterCommitTaskStateEnum }),
        entityId: t.arg.id(),
      },
      resolve: (_root, args, ctx) =>
        resolveCursorConnection(
          { args, toCursor: (task: AfterCommitTask) => task.id.toString(), defaultSize: 50, maxSize: 1000 },
          ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            ctx.services.afterCommitTasks.list({
              workspaceId: workspaceOf(ctx),
              state: args.state ?? null,
              entityId: args.entityId == null ? null : String(args.entityId),
              after: after ?? null,
              before: before ?? null,
              inverted,
              limit,
            }),
        ),
    },
    { name: 'AfterCommitTaskConnection' },
    { name: 'AfterCommitTaskEdge' },
  ),
);
