import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { DateTimeResolver } from 'graphql-scalars';
import type { Scope } from '../auth/scopes.js';
import type { UploadedFile } from '../blobs/store.js';
import type { Context } from './context.js';
import { forbidden, unauthenticated } from './errors-top-level.js';
import { FileScalar } from './file-scalar.js';
import { JSONScalar } from './json-scalar.js';

export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { authenticated: boolean; scope: Scope | Scope[] };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
    File: { Input: UploadedFile; Output: never };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  defaultFieldNullability: false,
  // scope-auth first: it wraps resolvers before the errors plugin sees them
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (ctx) => ({
      authenticated: ctx.principal !== null,
      scope: (wanted: Scope | Scope[]) =>
        ctx.principal !== null && [wanted].flat().some((s) => ctx.principal!.scopes.has(s)),
    }),
    unauthorizedError: (_parent, ctx) => (ctx.principal ? forbidden() : unauthenticated()),
  },
  errors: {
    directResult: true,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('JSON', JSONScalar);
builder.addScalarType('File', FileScalar);
builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
