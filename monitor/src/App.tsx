// Sign-in and the session: the API key lives in this tab's sessionStorage only, never in a URL.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MonitorCurrentKeyQuery } from '../../client/generated/graphql';
import { Api, ApiError } from './api';
import { Dashboard } from './Dashboard';
import { CurrentKey } from './documents';
import { SignIn } from './SignIn';

const STORAGE_KEY = 'deletion-monitor:api-key';

export type CurrentApiKey = MonitorCurrentKeyQuery['currentApiKey'];

interface Session {
  api: Api;
  key: CurrentApiKey;
}

/** The first thing the gateway says about a key it refused, for a person. */
function refusal(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'UNAUTHENTICATED') return 'The gateway does not know this key (or it was revoked).';
    return err.message;
  }
  return String(err);
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(() => sessionStorage.getItem(STORAGE_KEY) !== null);
  const [error, setError] = useState<string | null>(null);
  const resumed = useRef(false);

  const signIn = useCallback(async (apiKey: string) => {
    const api = new Api(apiKey);
    try {
      const { currentApiKey } = await api.request(CurrentKey, {});
      sessionStorage.setItem(STORAGE_KEY, apiKey);
      setError(null);
      setSession({ api, key: currentApiKey });
    } catch (err) {
      await api.close();
      sessionStorage.removeItem(STORAGE_KEY);
      setError(refusal(err));
    }
  }, []);

  const signOut = useCallback(() => {
    sessionStorage.removeItem(STORAGE_KEY);
    void session?.api.close();
    setSession(null);
  }, [session]);

  // A reload of this tab keeps the session.
  useEffect(() => {
    if (resumed.current) return;
    resumed.current = true;
    const stored = sessionStorage.getItem(STORAGE_KEY);
    if (stored) void signIn(stored).finally(() => setChecking(false));
  }, [signIn]);

  if (session) return <Dashboard api={session.api} apiKey={session.key} onSignOut={signOut} />;
  if (checking) return <p className="checking">Checking the saved key…</p>;
  return <SignIn onSignIn={signIn} error={error} />;
}
