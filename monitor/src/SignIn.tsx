// The sign-in form: the key goes to the session, never into a form submission or URL.
import { type FormEvent, useId, useState } from 'react';

export function SignIn({ onSignIn, error }: { onSignIn: (apiKey: string) => Promise<void>; error: string | null }) {
  const [apiKey, setApiKey] = useState('');
  const [busy, setBusy] = useState(false);
  const inputId = useId();

  const submit = async (event: FormEvent) => {
    // Never a real form submission: it would put the key in a URL.
    event.preventDefault();
    if (!apiKey.trim() || busy) return;
    setBusy(true);
    try {
      await onSignIn(apiKey.trim());
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Deletion monitor</h1>
      <p>
        Sign in with an API key of your workspace. It stays in this tab (sessionStorage) and is sent to this gateway
        only.
      </p>
      <form onSubmit={submit} method="post" autoComplete="off">
        <label htmlFor={inputId}>API key</label>
        {/* No name attribute: the key is never part of a form submission. */}
        <input
          id={inputId}
          type="password"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          spellCheck={false}
          autoComplete="off"
          required
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </main>
  );
}
