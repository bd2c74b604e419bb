import { type ResolveCursorConnectionArgs, resolveCursorConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { type DeletionEventRecord, decodeCursor } from '../events/event-log.js';
import { CURSOR_EXPIRED, type LiveItem } from '../events/live.js';
import { builder } from './builder.js';
import { cursorExpired } from './errors-top-level.js';
import { workspaceOf } from './principal.js';

export const DeletionBackendEnum = builder.enumType('DeletionBackend', {
  values: ['RESOURCE', 'ENDPOINT_RECORD', 'PARSER_RESULT', 'DATASET', 'IMAGE'] as const,
});

const DeletionEventKindEnum = builder.enumType('DeletionEventKind', {
  values: ['SOFT_DELETED', 'HARD_DELETED', 'MARKED_FOR_DELETION', 'PURGED', 'OPERATION_FINISHED'] as const,
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

function parseCursor(cursor: string | null | undefined) {
  if (cursor == null) return null;
  const decoded = decodeCursor(cursor);
  if (!decoded) {
    throw new GraphQLError(`Invalid cursor "${cursor}"`, { extensions: { code: 'VALIDATION_FAILED', field: 'after' } });
  }
  return decoded;
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
        parseCursor(args.after);
        parseCursor(args.before);
        return resolveCursorConnection(
          { args, toCursor: (e: DeletionEventRecord) => e.cursor, defaultSize: 50, maxSize: 1000 },
          async ({ after, before, limit, inverted }: ResolveCursorConnectionArgs) => {
            const position = parseCursor(after);
            const page = await ctx.services.events.read({
              workspaceId: workspaceOf(ctx),
              filter: toFilter(args.filter),
              after: position,
              before: parseCursor(before),
              inverted,
              limit,
            });
            // Checked after the read, so a prune racing with it is seen too.
            if (position && (await ctx.services.events.isPruned(position))) throw cursorExpired(after!);
            return page;
          },
        );
      },
    },
    { name: 'DeletionEventConnection' },
    { name: 'DeletionEventEdge' },
  ),
);

builder.subscriptionField('deletionEvents', (t) =>
  t.field({
    type: DeletionEventType,
    description: 'Replays the events after `after`, then streams new ones as they commit; no gap, no duplicate.',
    authScopes: { scope: 'events:read' },
    args: { filter: t.arg({ type: DeletionEventFilter }), after: t.arg.string() },
    subscribe: async (_root, args, ctx) => {
      const position = parseCursor(args.after);
      // An expired cursor is refused before the stream starts; a prune racing with the
      // replay ends the stream with the same error (see LiveEvents).
      if (position && (await ctx.services.events.isPruned(position))) throw cursorExpired(args.after!);
      return ctx.live.subscribe(workspaceOf(ctx), toFilter(args.filter), args.after ?? null);
    },
    resolve: (item: LiveItem, args) => {
      if (item === CURSOR_EXPIRED) throw cursorExpired(args.after!);
      return item;
    },
  }),
);
