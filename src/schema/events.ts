import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import type { DeletionEventCount, DeletionEventRecord } from '../events/event-log.js';
import { ACCESS_REVOKED, CURSOR_EXPIRED, type LiveItem, SLOW_CONSUMER } from '../events/live.js';
import type { ValidationError } from '../services/errors.js';
import { CursorExpiredError, type DeletionCounts } from '../services/events.js';
import { builder } from './builder.js';
import { accessRevoked, cursorExpired, orGraphQLError, slowConsumer } from './errors-top-level.js';
import { workspaceOf } from './principal.js';

export const DeletionBackendEnum = builder.enumType('DeletionBackend', {
  values: ['RESOURCE', 'ENDPOINT_RECORD', 'PARSER_RESULT', 'DATASET', 'IMAGE'] as const,
});

const DeletionEventKindEnum = builder.enumType('DeletionEventKind', {
  values: ['SOFT_DELETED', 'HARD_DELETED', 'MARKED_FOR_DELETION', 'PURGED', 'OPERATION_FINISHED', 'RESTORED'] as const,
});

const DeletionEventFilter = builder.inputType('DeletionEventFilter', {
  fields: (t) => ({
    backends: t.field({ type: [DeletionBackendEnum] }),
    kinds: t.field({ type: [DeletionEventKindEnum] }),
    entityId: t.id(),
  }),
});

const DeletionEventType = builder.objectRef<DeletionEventRecord>('DeletionEvent').implement({
  description: 'One deletion, in the order deletions committed. `cursor` resumes a stream right after this event.',
  fields: (t) => ({
    id: t.id({ resolve: (e) => e.id.toString() }),
    cursor: t.exposeString('cursor'),
    backend: t.field({ type: DeletionBackendEnum, resolve: (e) => e.backend }),
    kind: t.field({ type: DeletionEventKindEnum, resolve: (e) => e.kind }),
    entityId: t.exposeID('entityId'),
    workspaceId: t.exposeID('workspaceId'),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    data: t.expose('data', { type: 'JSON' }),
  }),
});

/** The events service's refusals as top-level errors. */
function orEventsError<T>(result: T | ValidationError | CursorExpiredError) {
  if (result instanceof CursorExpiredError) throw cursorExpired(result.cursor);
  return orGraphQLError(result);
}

type Filter =
  | { backends?: string[] | null; kinds?: string[] | null; entityId?: string | number | null }
  | null
  | undefined;
const toFilter = (f: Filter) =>
  f
    ? {
        backends: f.backends as DeletionEventRecord['backend'][] | null | undefined,
        kinds: f.kinds as DeletionEventRecord['kind'][] | null | undefined,
        entityId: f.entityId == null ? null : String(f.entityId),
      }
    : null;

builder.queryField('deletionEvents', (t) =>
  t.connection(
    {
      type: DeletionEventType,
      description: 'Deletion events of your workspace in commit order.',
      authScopes: { scope: 'events:read' },
      args: { filter: t.arg({ type: DeletionEventFilter }) },
      resolve: (_root, args, ctx) => {
        orGraphQLError(ctx.services.events.parseCursor(args.after));
        orGraphQLError(ctx.services.events.parseCursor(args.before));
        return resolveCursorConnection(
          { args, toCursor: (e: DeletionEventRecord) => e.cursor, defaultSize: 50, maxSize: 1000 },
          async ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) =>
            orEventsError(
              await ctx.services.events.readPage({
                workspaceId: workspaceOf(ctx),
                filter: toFilter(args.filter),
                after,
                before,
                inverted,
                limit,
              }),
            ),
        );
      },
    },
    { name: 'DeletionEventConnection' },
    { name: 'DeletionEventEdge' },
  ),
);

const DeletionCountType = builder.objectRef<DeletionEventCount>('DeletionCount').implement({
  fields: (t) => ({
    backend: t.field({ type: DeletionBackendEnum, resolve: (c) => c.backend }),
    kind: t.field({ type: DeletionEventKindEnum, resolve: (c) => c.kind }),
    count: t.exposeInt('count'),
    since: t.expose('since', { type: 'DateTime', description: 'When the oldest event counted occurred.' }),
  }),
});

const DeletionCountsType = builder.objectRef<DeletionCounts>('DeletionCounts').implement({
  description: 'The events of your workspace still in the log (EVENT_RETENTION), counted by backend and kind.',
  fields: (t) => ({
    counts: t.field({
      type: [DeletionCountType],
      description: 'One entry per backend and kind that has events.',
      resolve: (c) => c.counts,
    }),
    cursor: t.exposeString('cursor', {
      description:
        'Subscribe to `deletionEvents` with `after` set to this to keep counting: each event not counted here arrives once.',
    }),
  }),
});

builder.queryField('deletionCounts', (t) =>
  t.field({
    type: DeletionCountsType,
    description: 'Deletion events of your workspace counted by backend and kind, with the cursor to count on live.',
    authScopes: { scope: 'events:read' },
    resolve: (_root, _args, ctx) => ctx.services.events.count(workspaceOf(ctx)),
  }),
);

builder.subscriptionField('deletionEvents', (t) =>
  t.field({
    type: DeletionEventType,
    description: 'Replays the events after `after`, then streams new ones as they commit; no gap, no duplicate.',
    authScopes: { scope: 'events:read' },
    args: { filter: t.arg({ type: DeletionEventFilter }), after: t.arg.string() },
    subscribe: async (_root, args, ctx) => {
      orEventsError(await ctx.services.events.resumePosition(args.after));
      return ctx.live.subscribe(workspaceOf(ctx), toFilter(args.filter), args.after ?? null, ctx.principal!.keyId);
    },
    resolve: (item: LiveItem, args) => {
      if (item === CURSOR_EXPIRED) throw cursorExpired(args.after!);
      if (item === SLOW_CONSUMER) throw slowConsumer();
      if (item === ACCESS_REVOKED) throw accessRevoked();
      return item;
    },
  }),
);
