import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents from schema.graphql: for the tests (TypedDocumentNode), from the documents in
// their files; for front-end users and the monitor page, the typed client from the public
// operations in client/operations, as typed strings (TypedDocumentString): a browser bundle needs
// no GraphQL parser to send them.
const config = {
  useTypeImports: true,
  enumsAsTypes: true,
  emitLegacyCommonJSImports: false,
  scalars: { DateTime: 'string', JSON: 'unknown' },
};

const codegen: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/generated/': {
      documents: ['test/**/*.ts', '!test/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config,
    },
    'client/generated/': {
      documents: ['client/operations/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...config, documentMode: 'string' },
    },
  },
};

export default codegen;
