import { NotFoundError } from '../services/errors.js';
import type {
  DeleteParserResultPayload,
  ParserFile,
  ParserResult,
  ParserResultContent,
} from '../services/parser-results.js';
import { builder } from './builder.js';
import { orGraphQLError, orThrow } from './errors-top-level.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotencyOf } from './idempotency.js';
import { workspaceOf } from './principal.js';

const ParserFileType = builder.objectRef<ParserFile>('ParserFile').implement({
  description: 'A stored file of a parser result. The name is metadata only: files are stored under random keys.',
  fields: (t) => ({
    name: t.exposeString('name'),
    size: t.exposeFloat('size', { description: 'Bytes.' }),
    sha256: t.exposeString('sha256', { description: 'Lowercase hex.' }),
    contentType: t.exposeString('contentType'),
  }),
});

const ParserResultType = builder.objectRef<ParserResult | ParserResultContent>('ParserResult').implement({
  fields: (t) => ({
    requestId: t.exposeID('requestId'),
    files: t.field({
      type: [ParserFileType],
      description: 'In upload order.',
      resolve: (r, _args, ctx) => ('files' in r ? r.files : ctx.loaders.parserFiles.load(r)),
    }),
    data: t.field({
      type: 'JSON',
      description: 'The parsed data as it was given.',
      resolve: (r, _args, ctx) => ('data' in r ? r.data : ctx.loaders.parserData.load(r)),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const DeleteParserResultPayloadType = builder
  .objectRef<DeleteParserResultPayload>('DeleteParserResultPayload')
  .implement({
    fields: (t) => ({
      success: t.exposeBoolean('success'),
      message: t.exposeString('message'),
      requestId: t.exposeID('requestId'),
      deletedFiles: t.exposeInt('deletedFiles'),
      deletedRows: t.exposeInt('deletedRows'),
      deletedBytes: t.exposeFloat('deletedBytes'),
    }),
  });

const CreateParserResultInput = builder.inputType('CreateParserResultInput', {
  fields: (t) => ({
    requestId: t.id({ description: 'Opaque, unique in your workspace; `pr_` + 16 characters when omitted.' }),
    files: t.field({ type: ['File'], required: true, description: 'File parts of the multipart request.' }),
    data: t.field({
      type: 'JSON',
      required: true,
      description: 'The parsed data; the elements of its top-level arrays (pages, fields, rows...) are stored as rows.',
    }),
  }),
});

builder.queryField('parserResult', (t) =>
  t.field({
    type: ParserResultType,
    nullable: true,
    description: 'A parser result of your workspace; null when absent or deleted.',
    authScopes: { scope: ['parser-results:delete', 'admin'] },
    args: { requestId: t.arg.id({ required: true }) },
    resolve: (_root, { requestId }, ctx) => ctx.services.parserResults.find(workspaceOf(ctx), String(requestId)),
  }),
);

builder.mutationFields((t) => ({
  createParserResult: t.field({
    type: ParserResultType,
    description: 'Stores a parser result with its files (multipart upload). Over-limit uploads store nothing.',
    authScopes: { scope: 'admin' },
    args: { input: t.arg({ type: CreateParserResultInput, required: true }) },
    resolve: async (_root, { input }, ctx) =>
      orGraphQLError(
        await ctx.services.parserResults.create(workspaceOf(ctx), {
          requestId: input.requestId == null ? null : String(input.requestId),
          files: input.files,
          data: input.data,
        }),
      ),
  }),
  deleteParserResult: t.field({
    type: DeleteParserResultPayloadType,
    description:
      'Hard-deletes the result, all its rows and its stored files, irreversibly, and emits a HARD_DELETED event. Answers after the files are unlinked.',
    authScopes: { scope: 'parser-results:delete' },
    args: {
      requestId: t.arg.id({ required: true }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    errors: { types: [NotFoundError], union: { name: 'DeleteParserResultResult' } },
    resolve: async (_root, { requestId, idempotencyKey }, ctx) => {
      const sent = idempotencyOf(ctx, idempotencyKey);
      return orThrow(await ctx.services.parserResults.delete(workspaceOf(ctx), String(requestId), sent));
    },
  }),
}));
