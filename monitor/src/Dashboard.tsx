// The page after sign-in: the key, the live socket, and each panel the key's scopes open.
import { useSyncExternalStore } from 'react';
import type { CurrentApiKey } from './App';
import type { Api } from './api';
import { AfterCommitPanel } from './panels/AfterCommit';
import { EventsPanels } from './panels/Events';
import { OperationsPanel } from './panels/Operations';
import { OutboxPanel } from './panels/Outbox';
import { PurgePanel } from './panels/Purge';

const SOCKET_LABELS = {
  idle: 'live updates idle',
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
} as const;

function SocketState({ api }: { api: Api }) {
  const state = useSyncExternalStore(
    (onChange) => api.onSocketState(onChange),
    () => api.socketState,
  );
  return (
    <span className={`socket socket-${state}`} role="status">
      {SOCKET_LABELS[state]}
    </span>
  );
}

export function Dashboard({ api, apiKey, onSignOut }: { api: Api; apiKey: CurrentApiKey; onSignOut: () => void }) {
  const has = (...scopes: string[]) => scopes.some((s) => apiKey.scopes.includes(s));
  return (
    <>
      <header className="top">
        <h1>Deletion monitor</h1>
        <p className="key">
          <strong>{apiKey.name}</strong> <code>{apiKey.prefix}…</code> · workspace <code>{apiKey.workspaceId}</code>
          <br />
          scopes: {apiKey.scopes.join(', ') || 'none'}
        </p>
        <SocketState api={api} />
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="grid">
        <EventsPanels api={api} allowed={has('events:read')} />
        <OperationsPanel api={api} allowed={has('images:delete', 'admin')} />
        <OutboxPanel api={api} allowed={has('admin')} />
        <AfterCommitPanel api={api} allowed={has('admin')} />
        <PurgePanel api={api} allowed={has('admin')} />
      </main>
    </>
  );
}
