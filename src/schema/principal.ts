import type { Context } from './context.js';

/** The caller's workspace. Fields that call this declare authScopes, so a principal exists. */
export function workspaceOf(ctx: Context): string {
  if (!ctx.principal) throw new Error('workspaceOf called on a field without authScopes');
  return ctx.principal.workspaceId;
}
