// Pieces every panel uses: a titled section that checks the key's scopes, errors, state badges.
import { type ReactNode, useId } from 'react';
import type { ApiError } from './api';
import { label } from './format';

export function Section({
  title,
  needs,
  allowed,
  actions,
  children,
}: {
  title: string;
  /** the scopes that grant this section, for the note shown when the key has none of them */
  needs: string[];
  allowed: boolean;
  actions?: ReactNode;
  children: ReactNode;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel">
      <header>
        <h2 id={headingId}>{title}</h2>
        {allowed && actions}
      </header>
      {allowed ? (
        children
      ) : (
        <p className="note">This key lacks the scope for this part: {needs.map((s) => `"${s}"`).join(' or ')}.</p>
      )}
    </section>
  );
}

export function ErrorNote({ error, onRetry }: { error: ApiError | null; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {error.code === 'FORBIDDEN' ? `Not allowed for this key: ${error.message}` : error.message}
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          Try again
        </button>
      )}
    </p>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge-${state.toLowerCase()}`}>{label(state)}</span>;
}

export function Empty({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="empty">
        {children}
      </td>
    </tr>
  );
}
