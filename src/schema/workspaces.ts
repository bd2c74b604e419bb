import type { ApiKey, CreatedApiKey, Workspace } from '../services/workspaces.js';
import { builder } from './builder.js';
import { invalidApiKey, orGraphQLError } from './errors-top-level.js';

const WorkspaceType = builder.objectRef<Workspace>('Workspace').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ApiKeyType = builder.objectRef<ApiKey>('ApiKey').implement({
  description: 'An API key; its secret is shown once, at creation, and never again.',
  fields: (t) => ({
    id: t.exposeID('id'),
    workspaceId: t.exposeID('workspaceId'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to tell keys apart.' }),
    scopes: t.exposeStringList('scopes'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiKeyType = builder.objectRef<CreatedApiKey>('CreatedApiKey').implement({
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The secret. Store it now: it cannot be shown again.' }),
    apiKey: t.field({ type: ApiKeyType, resolve: (c) => c.apiKey }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    workspaceId: t.id({
      description: 'Defaults to the workspace of the calling key; another workspace needs scope platform.',
    }),
    name: t.string({ required: true }),
    scopes: t.stringList({
      required: true,
      description:
        'Any of resources:delete, endpoints:delete, parser-results:delete, datasets:delete, images:delete, events:read, admin, platform.',
    }),
  }),
});

const invalidApiKeyError = (): never => {
  throw invalidApiKey();
};

builder.queryField('currentApiKey', (t) =>
  t.field({
    type: ApiKeyType,
    description: 'The API key of this request: its workspace and scopes (what a client may show or offer).',
    authScopes: { authenticated: true },
    // Keys are revoked, never removed: null only if the row vanished under a cached principal.
    resolve: async (_root, _args, ctx) =>
      (await ctx.services.workspaces.findApiKey(ctx.principal!.keyId)) ?? invalidApiKeyError(),
  }),
);

builder.mutationFields((t) => ({
  createWorkspace: t.field({
    type: WorkspaceType,
    authScopes: { scope: 'platform' },
    args: { name: t.arg.string({ required: true }) },
    resolve: async (_root, { name }, ctx) => orGraphQLError(await ctx.services.workspaces.create(name)),
  }),
  createApiKey: t.field({
    type: CreatedApiKeyType,
    authScopes: { scope: ['admin', 'platform'] },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const result = await ctx.services.workspaces.createApiKey(ctx.principal, {
        workspaceId: input.workspaceId == null ? null : String(input.workspaceId),
        name: input.name,
        scopes: input.scopes,
      });
      return orGraphQLError(result);
    },
  }),
  revokeApiKey: t.field({
    type: ApiKeyType,
    authScopes: { scope: ['admin', 'platform'] },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) =>
      orGraphQLError(await ctx.services.workspaces.revokeApiKey(ctx.principal!, String(id))),
  }),
}));
