import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents (TypedDocumentNode) from schema.graphql: for the tests, from the documents in
// their files, and for front-end users, from the public operations in client/operations.
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
      config,
    },
  },
};

export default codegen;
