// Counts per backend and the live deletion stream (deletionEvents over graphql-ws).
import { useCallback, useEffect, useId, useState } from 'react';
import type {
  DeletionBackend,
  DeletionEventKind,
  MonitorLiveEventsSubscription,
} from '../../../client/generated/graphql';
import type { Api, ApiError } from '../api';
import { Empty, ErrorNote, Section } from '../components';
import { DeletionCounts, LiveEvents, RecentEvents } from '../documents';
import { formatDateTime, formatJson, formatTime, label } from '../format';

// Every value of the schema's enums, in display order: a value added to the schema fails the type check here.
const BACKEND_NAMES: Record<DeletionBackend, true> = {
  RESOURCE: true,
  ENDPOINT_RECORD: true,
  PARSER_RESULT: true,
  DATASET: true,
  IMAGE: true,
};
const KIND_NAMES: Record<DeletionEventKind, true> = {
  SOFT_DELETED: true,
  HARD_DELETED: true,
  MARKED_FOR_DELETION: true,
  PURGED: true,
  OPERATION_FINISHED: true,
  RESTORED: true,
};
const BACKENDS = Object.keys(BACKEND_NAMES) as DeletionBackend[];
const KINDS = Object.keys(KIND_NAMES) as DeletionEventKind[];

type DeletionEvent = MonitorLiveEventsSubscription['deletionEvents'];
type Counts = Partial<Record<DeletionBackend, Partial<Record<DeletionEventKind, number>>>>;

const STREAM_ROWS = 200;
const HISTORY = 50;

const add = (counts: Counts, backend: DeletionBackend, kind: DeletionEventKind, n: number): Counts => ({
  ...counts,
  [backend]: { ...counts[backend], [kind]: (counts[backend]?.[kind] ?? 0) + n },
});

/**
 * The counts the gateway reports, then one more for each event after its cursor. Cursors sort
 * in stream order, so an event a reconnect replays is not counted twice.
 */
function useLiveCounts(api: Api) {
  const [counts, setCounts] = useState<Counts | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let stop = () => {};
    let cancelled = false;
    api.request(DeletionCounts, {}).then(
      ({ deletionCounts }) => {
        if (cancelled) return;
        let last = deletionCounts.cursor;
        setCounts(deletionCounts.counts.reduce<Counts>((c, e) => add(c, e.backend, e.kind, e.count), {}));
        setCursor(deletionCounts.cursor);
        stop = api.subscribe(
          LiveEvents,
          { after: deletionCounts.cursor },
          {
            next: ({ deletionEvents: event }) => {
              if (event.cursor <= last) return;
              last = event.cursor;
              setCounts((c) => add(c ?? {}, event.backend, event.kind, 1));
            },
            error: setError,
          },
        );
      },
      (err: ApiError) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [api]);

  return { counts, cursor, error };
}

function CountCards({ counts }: { counts: Counts }) {
  return (
    <ul className="counts">
      {BACKENDS.map((backend) => {
        const kinds = counts[backend] ?? {};
        const total = Object.values(kinds).reduce((a, b) => a + b, 0);
        return (
          <li key={backend} aria-label={`${label(backend)} events`}>
            <span className="count-backend">{label(backend)}</span>
            <span className="count-total">{total}</span>
            <span className="count-kinds">
              {KINDS.filter((k) => kinds[k]).map((k) => (
                <span key={k}>
                  {label(k)} {kinds[k]}
                </span>
              ))}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

interface Filter {
  backends: readonly DeletionBackend[];
  kinds: readonly DeletionEventKind[];
}

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function FilterChoices<T extends string>({
  legend,
  values,
  chosen,
  onChange,
}: {
  legend: string;
  values: readonly T[];
  chosen: readonly T[];
  onChange: (next: T[]) => void;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {values.map((value) => (
        <label key={value}>
          <input type="checkbox" checked={chosen.includes(value)} onChange={() => onChange(toggle(chosen, value))} />
          {label(value)}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The latest events matching the filter, then each new one live: the subscription resumes
 * after the newest event shown (with none shown, after the counts' cursor), so nothing between
 * the two is missed.
 */
function DeletionStream({
  api,
  start,
  filter,
  onFilter,
  onRetry,
}: {
  api: Api;
  start: string;
  filter: Filter;
  onFilter: (change: (current: Filter) => Filter) => void;
  onRetry: () => void;
}) {
  const [rows, setRows] = useState<(DeletionEvent & { live: boolean })[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const captionId = useId();

  useEffect(() => {
    let stop = () => {};
    let cancelled = false;
    const chosen = {
      backends: filter.backends.length ? [...filter.backends] : null,
      kinds: filter.kinds.length ? [...filter.kinds] : null,
    };
    setRows([]);
    setError(null);
    api.request(RecentEvents, { filter: chosen, last: HISTORY }).then(
      ({ deletionEvents }) => {
        if (cancelled) return;
        const history = deletionEvents.edges.map((e) => ({ ...e.node, live: false }));
        let last = history.at(-1)?.cursor ?? start;
        setRows(history.reverse());
        stop = api.subscribe(
          LiveEvents,
          { filter: chosen, after: last },
          {
            next: ({ deletionEvents: event }) => {
              if (event.cursor <= last) return;
              last = event.cursor;
              setRows((current) => [{ ...event, live: true }, ...current].slice(0, STREAM_ROWS));
            },
            error: setError,
          },
        );
      },
      (err: ApiError) => !cancelled && setError(err),
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [api, start, filter]);

  return (
    <>
      <div className="filters">
        <FilterChoices
          legend="Backend"
          values={BACKENDS}
          chosen={filter.backends}
          onChange={(backends) => onFilter((f) => ({ ...f, backends }))}
        />
        <FilterChoices
          legend="Kind"
          values={KINDS}
          chosen={filter.kinds}
          onChange={(kinds) => onFilter((f) => ({ ...f, kinds }))}
        />
      </div>
      <ErrorNote error={error} onRetry={onRetry} />
      <table aria-describedby={captionId}>
        <caption id={captionId}>
          Newest first; the last {HISTORY} matching events, then every new one as it commits. No box ticked: all.
        </caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Backend</th>
            <th scope="col">Kind</th>
            <th scope="col">Entity</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && <Empty columns={5}>No deletions yet.</Empty>}
          {rows.map((e) => (
            <tr key={e.cursor} className={e.live ? 'fresh' : undefined}>
              <td title={formatDateTime(e.occurredAt)}>{formatTime(e.occurredAt)}</td>
              <td>{label(e.backend)}</td>
              <td>{label(e.kind)}</td>
              <td>
                <code>{e.entityId}</code>
              </td>
              <td>
                <code className="data">{formatJson(e.data)}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function LiveEventPanels({ api, onResync }: { api: Api; onResync: () => void }) {
  const { counts, cursor, error } = useLiveCounts(api);
  const [filter, setFilter] = useState<Filter>({ backends: [], kinds: [] });
  const [streamGeneration, setStreamGeneration] = useState(0);
  const restartStream = useCallback(() => setStreamGeneration((g) => g + 1), []);
  return (
    <>
      <Section title="Deletion events per backend" needs={['events:read']} allowed>
        <ErrorNote error={error} onRetry={onResync} />
        {counts && <CountCards counts={counts} />}
        <p className="note">Events still in the log (EVENT_RETENTION), counted on as they arrive.</p>
      </Section>
      <Section title="Live deletions" needs={['events:read']} allowed>
        {cursor && (
          <DeletionStream
            key={streamGeneration}
            api={api}
            start={cursor}
            filter={filter}
            onFilter={setFilter}
            onRetry={restartStream}
          />
        )}
      </Section>
    </>
  );
}

export function EventsPanels({ api, allowed }: { api: Api; allowed: boolean }) {
  // A new key starts counting afresh (after an expired cursor or a lost connection).
  const [generation, setGeneration] = useState(0);
  const resync = useCallback(() => setGeneration((g) => g + 1), []);
  if (allowed) return <LiveEventPanels key={generation} api={api} onResync={resync} />;
  return (
    <>
      <Section title="Deletion events per backend" needs={['events:read']} allowed={false}>
        {null}
      </Section>
      <Section title="Live deletions" needs={['events:read']} allowed={false}>
        {null}
      </Section>
    </>
  );
}
