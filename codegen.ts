import type { CodegenConfig } from '@graphql-codegen/cli';

// Typed documents (TypedDocumentNode) from schema.graphql: for the tests, from the documents in
// their files; for front-end users, from the public operations in client/operations; for the
// monitor page, from its sources.
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
    // The monitor page's documents as typed strings: the browser bundle needs no GraphQL parser.
    'monitor/src/generated/': {
      documents: ['monitor/src/**/*.{ts,tsx}', '!monitor/src/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...config, documentMode: 'string' },
    },
  },
};

export default codegen;
