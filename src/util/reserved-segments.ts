/**
 * First path segments that are never a company slug (DESIGN.md): REST's catch-all routes never
 * claim them, and configureEndpoint refuses them as company slugs, so seed 001's routes never
 * shadow another seed's.
 */
export const RESERVED_SEGMENTS: ReadonlySet<string> = new Set([
  'resources',
  'files',
  'v1',
  'imgs',
  'ops',
  'runs',
  'graphql',
  'health',
  'ready',
  'metrics',
  'monitor',
  'openapi.json',
]);
