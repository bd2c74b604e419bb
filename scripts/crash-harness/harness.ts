// The crash harness (issue 14): mixed deletions across all five backends, each with its own
// idempotency key, while the gateway is SIGKILLed at random points and restarted on the same
// database; every lost answer is retried with its key. Then: was every deletion done exactly
// once with every side effect, and did every retry get the first answer?
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WrapperSupervisor } from '../../src/wrappers/supervisor.js';
import { POSTGRES_ADMIN_URL } from '../../test/support/global-setup.js';
import { consumeQueue, createVhost, type QueueConsumer, type Vhost } from '../../test/support/rabbitmq.js';
import { checkCrashRun, type Delivery, takeSnapshot } from './checks.js';
import { type Admin, createHarnessData, type HarnessData, inPool, type ResourceEntity } from './data.js';
import { createHarnessDatabase, type HarnessDatabase, hasCommitted } from './database.js';
import {
  type Deletion,
  describeAnswer,
  failureOf,
  PURGE,
  planDeletions,
  sameAnswer,
  sendDeletion,
  type WorkItem,
} from './deletions.js';
import { GatewayLives } from './gateway.js';
import { type Answer, graphql, graphqlData, LostAnswerError, rest } from './http.js';
import { type DeletionKind, deletionCounts, type KillPlan, killPlan, seededRandom } from './plan.js';

export interface CrashHarnessOptions {
  /** how many deletions (default 1,000) */
  deletions?: number;
  /** how many times the gateway is SIGKILLed (default 5) */
  kills?: number;
  /** the seed of every random choice (default: from the clock; the report names it) */
  seed?: number;
  /** deletions in flight at once (default 8) */
  concurrency?: number;
  /** a PostgreSQL server's admin URL; the run creates its own database there */
  postgresUrl?: string;
  /** progress lines (default: none) */
  log?: (line: string) => void;
  /** keep the database, the vhost and the blob directory for a look afterwards */
  keep?: boolean;
}

export interface CrashReport {
  seed: number;
  deletions: number;
  kills: number;
  concurrency: number;
  durationMs: number;
  plan: Record<DeletionKind, number> & { purges: number; survivors: number };
  crashes: {
    afterAnswers: number;
    mode: KillPlan['mode'];
    /** deletions in flight when it died */
    inFlight: number;
    /** of those, how many answers were lost, and how many of those had committed */
    lostAnswers: number;
    lostCommitted: number;
    /** messages the broker delivered a second time after this crash (same message_id) */
    queueDuplicates: number;
  }[];
  answers: {
    /** attempts whose answer was lost (connection error) */
    lost: number;
    /** attempts sent again with the same key */
    retries: number;
    /** deletions with at least one lost answer */
    retriedDeletions: number;
    /** of those, deletions that had committed before their answer was lost */
    retriedAfterCommit: number;
    /** of those, how many got the first answer (the committed deletion's success, never 404) */
    retriesWithFirstAnswer: number;
    /** every deletion sent once more with its key at the end */
    replays: number;
    replaysWithSameAnswer: number;
  };
  queue: {
    messages: number;
    deliveries: number;
    duplicates: number;
    duplicatesWithoutCrash: number;
  };
  events: number;
  datasets: { purged: number; markedOnly: number; purgeRuns: { finished: number; interrupted: number } };
  blobs: { removed: number; kept: number };
  violations: string[];
}

const DELETE_SCOPES = [
  'resources:delete',
  'endpoints:delete',
  'parser-results:delete',
  'datasets:delete',
  'images:delete',
];
const CREATE_KEY = /* GraphQL */ `
  mutation CrashCreateKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }`;
/** How long background work (after-commit tasks, operations, the outbox) may take to settle at the end. */
const SETTLE_TIMEOUT_MS = 180_000;
/** How long an 'after-commit' kill waits for a committed deletion in flight before it kills anyway. */
const COMMIT_WATCH_MS = 5_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns null (done); its last word when the time is up. */
async function until(probe: () => Promise<string | null>, timeoutMs: number, intervalMs = 50): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await probe();
    if (left === null || Date.now() > deadline) return left;
    await sleep(intervalMs);
  }
}

export async function runCrashHarness(options: CrashHarnessOptions = {}): Promise<CrashReport> {
  const total = options.deletions ?? 1000;
  const kills = options.kills ?? 5;
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const concurrency = options.concurrency ?? 8;
  const log = options.log ?? (() => {});
  const random = seededRandom(seed);
  const counts = deletionCounts(total);
  const violations: string[] = [];
  const started = Date.now();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgw-crash-'));
  const blobDir = path.join(tmp, 'blobs');
  let db: HarnessDatabase | null = null;
  let vhost: Vhost | null = null;
  let consumer: QueueConsumer | null = null;
  let lives: GatewayLives | null = null;
  let data: HarnessData | null = null;
  /** every wrapper process this run started, so that none outlives it */
  const wrappers: ResourceEntity[] = [];
  try {
    db = await createHarnessDatabase(options.postgresUrl ?? POSTGRES_ADMIN_URL);
    vhost = await createVhost('crash');
    const adminKey = `dgw_crash_${randomBytes(16).toString('hex')}`;
    const harnessDb = db;
    lives = new GatewayLives({
      databaseUrl: db.url,
      adminKey,
      env: {
        AMQP_URL: vhost.url(),
        BLOB_DIR: blobDir,
        INSTANCE_ID: 'crash-harness',
        PURGE_CRON: 'off',
        // a dead relay's claimed rows are published again soon after the restart
        AMQP_CONFIRM_TIMEOUT: '2s',
        OUTBOX_LEASE: '3s',
        WRAPPER_KINDS: 'idle',
        EXPOSE_SQL_COUNT: 'false',
      },
      databaseQuiet: () => harnessDb.quiet(),
      onUnexpectedExit: (epoch, exit) =>
        violations.push(`the gateway (life ${epoch}) exited on its own: ${JSON.stringify(exit)}`),
    });
    const first = await lives.start();
    log(`gateway on ${first.origin}, database ${db.name}, vhost ${vhost.name}, seed ${seed}`);
    const admin: Admin = { origin: first.origin, url: first.url, adminKey };
    const connected = await until(async () => {
      const ready = await rest(admin, adminKey, 'GET', '/ready');
      const state = (ready.body as { broker?: { state?: string } }).broker?.state;
      return state === 'connected' ? null : `broker ${state}`;
    }, 60_000);
    if (connected) throw new Error(`the gateway did not reach RabbitMQ: ${connected}`);
    consumer = await consumeQueue(vhost.url(), 'resource.deletion');

    const { createApiKey } = await graphqlData<{ createApiKey: { key: string; apiKey: { id: string } } }>(
      admin,
      adminKey,
      CREATE_KEY,
      { input: { name: 'crash-harness deletions', scopes: DELETE_SCOPES } },
    );
    const deleterKey = createApiKey.key;

    log(`creating data for ${total} deletions: ${JSON.stringify(counts)}`);
    data = await createHarnessData(admin, random, counts, wrappers);
    const snapshot = await takeSnapshot(db);
    const items = planDeletions(random, data);
    const deletions = items.filter((i): i is Deletion => i.kind !== 'purge');
    const kills_ = killPlan(random, deletions.length, kills);
    log(`kill plan: ${JSON.stringify(kills_)}`);

    // ---- deletions under kills -------------------------------------------------------------
    const inFlight = new Set<Deletion>();
    const lostIn = new Map<number, { lost: number; committed: number }>();
    const boundaries: number[] = [];
    const crashes: CrashReport['crashes'] = [];
    let answeredCount = 0;
    let lost = 0;
    let retries = 0;
    let nextKill = 0;
    let killing: Promise<void> | null = null;

    const committedInFlight = async () =>
      (await Promise.all([...inFlight].map((d) => hasCommitted(harnessDb, d)))).some(Boolean);
    const maybeKill = () => {
      const k = kills_[nextKill];
      if (killing || !k || answeredCount < k.afterAnswers) return;
      nextKill++;
      killing = (async () => {
        if (k.mode === 'delay') await sleep(k.delayMs);
        // the window between a commit and its answer is short: look often
        else await until(async () => ((await committedInFlight()) ? null : 'none yet'), COMMIT_WATCH_MS, 2);
        const crash = {
          afterAnswers: answeredCount,
          mode: k.mode,
          inFlight: inFlight.size,
          lostAnswers: 0,
          lostCommitted: 0,
          queueDuplicates: 0,
        };
        const epoch = lives!.epoch;
        boundaries.push(consumer!.messages.length);
        log(`kill ${crashes.length + 1}: SIGKILL after ${answeredCount} answers, ${inFlight.size} in flight`);
        crashes.push(crash);
        await lives!.kill();
        const lostHere = lostIn.get(epoch);
        log(`  restarted (life ${lives!.epoch}); answers lost so far in that life: ${lostHere?.lost ?? 0}`);
      })().finally(() => {
        killing = null;
        maybeKill();
      });
    };

    const perform = async (item: WorkItem) => {
      let unexplained = 0;
      for (;;) {
        const { epoch, server } = await lives!.ready();
        if (item.kind !== 'purge') inFlight.add(item);
        let answer: Answer;
        try {
          answer =
            item.kind === 'purge'
              ? await graphql(server, adminKey, PURGE)
              : await sendDeletion(server, deleterKey, item);
        } catch (err) {
          inFlight.delete(item as Deletion);
          if (!(err instanceof LostAnswerError)) throw err;
          lost++;
          retries++;
          if (!lives!.isOver(epoch)) {
            violations.push(`an answer was lost while the gateway was running: ${err.message}`);
            if (++unexplained > 3) throw err;
            continue;
          }
          await lives!.settledAfter(epoch);
          const here = lostIn.get(epoch) ?? { lost: 0, committed: 0 };
          lostIn.set(epoch, here);
          here.lost++;
          if (item.kind !== 'purge') {
            item.lost++;
            // Read before the retry is sent: what the lost attempts left behind (a deletion
            // lost uncommitted may commit on a retry whose answer is lost again).
            item.committedWhenLost = item.committedWhenLost || (await hasCommitted(harnessDb, item));
            if (item.committedWhenLost) here.committed++;
          }
          continue;
        }
        if (item.kind === 'purge') {
          const body = answer.body as { errors?: unknown[] } | undefined;
          if (answer.status !== 200 || body?.errors?.length) {
            violations.push(`purgeExpiredDatasets answered ${describeAnswer(answer)}`);
          }
          item.answered = true;
          return;
        }
        inFlight.delete(item);
        item.answer = answer;
        answeredCount++;
        maybeKill();
        return;
      }
    };
    log(`running ${deletions.length} deletions, ${concurrency} at a time`);
    await inPool(items, concurrency, perform);
    while (killing) await killing;
    for (const [i, crash] of crashes.entries()) {
      // the life that ended with crash i is life i
      const here = lostIn.get(i);
      crash.lostAnswers = here?.lost ?? 0;
      crash.lostCommitted = here?.committed ?? 0;
    }
    log(`all answered after ${crashes.length} kills; ${lost} answers lost`);

    // ---- settle, replay every deletion, stop ----------------------------------------------
    const notSettled = await until(async () => {
      const [row] = await harnessDb.query<{ tasks: number; operations: number; messages: number; purges: number }>(
        `SELECT (SELECT count(*) FROM after_commit_task WHERE state = 'PENDING')::int AS tasks,
                (SELECT count(*) FROM operation WHERE state <> 'FINISHED')::int AS operations,
                (SELECT count(*) FROM queue_message WHERE state = 'PENDING')::int AS messages,
                (SELECT count(*) FROM purge_run WHERE finished_at IS NULL AND error IS NULL)::int AS purges`,
      );
      return Object.values(row!).every((n) => n === 0) ? null : JSON.stringify(row);
    }, SETTLE_TIMEOUT_MS);
    if (notSettled) violations.push(`background work did not settle within ${SETTLE_TIMEOUT_MS} ms: ${notSettled}`);

    const { server: last } = await lives.ready();
    const replayMismatch = new Set<number>();
    await inPool(deletions, concurrency, async (d) => {
      if (!d.answer) return;
      const again = await sendDeletion(last, deleterKey, d);
      if (!sameAnswer(d, d.answer, again)) {
        replayMismatch.add(d.index);
        violations.push(
          `deletion ${d.index} (${d.kind}, ${d.transport}): a retry with its key answered ${describeAnswer(again)}, the first answer was ${describeAnswer(d.answer)}`,
        );
      }
    });
    const exit = await lives.stop();
    if (exit?.code !== 0) violations.push(`the gateway's graceful stop ended with ${JSON.stringify(exit)}`);

    // Everything recorded SENT reaches the consumer (a copy may come twice).
    const sent = (await db.query<{ id: string }>(`SELECT id::text FROM queue_message WHERE state = 'SENT'`)).map(
      (r) => r.id,
    );
    await until(async () => {
      const seen = new Set(consumer!.messages.map((m) => m.properties.messageId as string | undefined));
      const missing = sent.filter((id) => !seen.has(id)).length;
      return missing ? `${missing} not delivered` : null;
    }, 60_000);
    const deliveries: Delivery[] = consumer.messages.map((m) => ({
      messageId: m.properties.messageId as string | undefined,
      body: m.content.toString('utf8'),
    }));

    const checked = await checkCrashRun({
      db,
      data,
      snapshot,
      deletions,
      deliveries,
      blobDir,
      callerId: createApiKey.apiKey.id,
    });
    violations.push(...checked.violations);

    // Duplicates by message_id, each counted for the crash after which its copy arrived.
    const seen = new Set<string>();
    let duplicatesWithoutCrash = 0;
    for (const [i, m] of deliveries.entries()) {
      const id = m.messageId ?? '';
      if (!seen.has(id)) {
        seen.add(id);
        continue;
      }
      const after = boundaries.filter((b) => b <= i).length;
      if (after === 0) duplicatesWithoutCrash++;
      else crashes[after - 1]!.queueDuplicates++;
    }

    const retried = deletions.filter((d) => d.lost > 0);
    const afterCommit = retried.filter((d) => d.committedWhenLost);
    const firstAnswer = afterCommit.filter(
      (d) => d.answer && !failureOf(d, d.answer) && !checked.badAnswers.has(d.index) && !replayMismatch.has(d.index),
    );
    return {
      seed,
      deletions: deletions.length,
      kills: crashes.length,
      concurrency,
      durationMs: Date.now() - started,
      plan: { ...counts, purges: items.length - deletions.length, survivors: countSurvivors(data) },
      crashes,
      answers: {
        lost,
        retries,
        retriedDeletions: retried.length,
        retriedAfterCommit: afterCommit.length,
        retriesWithFirstAnswer: firstAnswer.length,
        replays: deletions.length,
        replaysWithSameAnswer: deletions.length - replayMismatch.size,
      },
      queue: {
        messages: checked.queueMessages,
        deliveries: deliveries.length,
        duplicates: deliveries.length - seen.size,
        duplicatesWithoutCrash,
      },
      events: checked.events,
      datasets: {
        purged: checked.datasetsPurged,
        markedOnly: checked.datasetsMarkedOnly,
        purgeRuns: checked.purgeRuns,
      },
      blobs: { removed: checked.blobsRemoved, kept: checked.blobsKept },
      violations,
    };
  } finally {
    await lives?.destroy().catch(() => {});
    // The survivors' wrappers (and any a failed run left) are this run's processes: stop them.
    const supervisor = new WrapperSupervisor(1_000, []);
    await Promise.all(wrappers.map((w) => supervisor.stop(w.pid, w.wrapperId).catch(() => {})));
    await consumer?.close();
    if (!options.keep) {
      await vhost?.drop().catch(() => {});
      await db?.drop().catch(() => {});
      fs.rmSync(tmp, { recursive: true, force: true });
    } else {
      await db?.close();
      log(`kept: database ${db?.name}, vhost ${vhost?.name}, blobs ${blobDir}`);
    }
  }
}

function countSurvivors(data: HarnessData): number {
  const s = data.survivors;
  return (
    s.resource.length +
    s.record.length +
    s.keepers.length +
    s.parserResult.length +
    s.dataset.length +
    s.image.length +
    data.targets.task.length
  );
}
