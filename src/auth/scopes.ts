export const SCOPES = [
  'resources:delete',
  'endpoints:delete',
  'parser-results:delete',
  'datasets:delete',
  'images:delete',
  'events:read',
  'admin',
  'platform',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

export interface Principal {
  keyId: string;
  workspaceId: string;
  scopes: ReadonlySet<Scope>;
}
