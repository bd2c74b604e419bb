import type { CodegenConfig } from '@graphql-codegen/cli';

const typesConfig = {
  useTypeImports: true,
  enumsAsTypes: true,
  emitLegacyCommonJSImports: false,
  scalars: { DateTime: 'string', JSON: 'unknown' },
};

// Typed documents for the tests (and for front-end users who copy the preset) from schema.graphql.
const config: CodegenConfig = {
  schema: 'schema.graphql',
  ignoreNoDocuments: true,
  generates: {
    'test/generated/': {
      documents: ['test/**/*.ts', '!test/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: typesConfig,
    },
    // The monitor page's documents as typed strings: the browser bundle needs no GraphQL parser.
    'monitor/src/generated/': {
      documents: ['monitor/src/**/*.{ts,tsx}', '!monitor/src/generated/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: { ...typesConfig, documentMode: 'string' },
    },
  },
};

export default config;
