import type net from 'node:net';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Message, type MessageFields } from 'amqplib';
import type { PrismaClient } from '../db/client.js';
import type { Failpoints } from '../failpoints.js';
import { type BackgroundJob, PollPause } from '../jobs/background.js';
import type { Logger } from '../logger.js';
import { RESOURCE_DELETION_QUEUE } from './outbox.js';

export type BrokerState = 'not configured' | 'connecting' | 'connected' | 'disconnected';

export interface RelayOptions {
  prisma: PrismaClient;
  log: Logger;
  instanceId: string;
  amqpUrl: string | undefined;
  /**
   * Queues declared (durable) when the connection opens; a failure there fails the connection.
   * Any other queue is declared when the first row for it is published.
   */
  queues?: string[];
  batchSize?: number;
  /** a claimed row whose relay vanished is claimable again after this long (longer than publishTimeoutMs) */
  leaseMs?: number;
  /**
   * A confirm not received within this long counts as a failed attempt and the connection as
   * broken: it is dropped and opened again.
   */
  publishTimeoutMs?: number;
  /**
   * The AMQP heartbeat asked of the broker (whole seconds). The broker sends something at least
   * every half of it, so a connection that receives nothing for a whole heartbeat is dropped.
   */
  heartbeatMs?: number;
  maxAttempts?: number;
  pollMs?: number;
  failpoints?: Failpoints;
}

interface ClaimedRow {
  id: string;
  queue: string;
  body: string;
  attempts: number;
}

/** A basic.return: amqplib's Message type leaves out why the broker returned it. */
type ReturnedMessage = Message & { fields: MessageFields & { replyCode: number; replyText: string } };

/** What amqplib's connection holds but its types leave out: the socket and the negotiated heartbeat (s). */
type AmqpConnection = { stream: net.Socket; heartbeat?: number };

/** AMQP_URL with the heartbeat the relay watches for (it replaces one given in the URL). */
export function withHeartbeat(amqpUrl: string, heartbeatMs: number): string {
  const url = new URL(amqpUrl);
  url.searchParams.set('heartbeat', String(Math.max(1, Math.round(heartbeatMs / 1000))));
  return url.toString();
}

/**
 * Marks rows SENT as their confirms arrive rather than once a batch is confirmed, so a relay
 * that dies republishes only messages whose confirms were still in flight. The confirms of one
 * tick (a `multiple` ack confirms many) share one UPDATE; while one runs, the next confirms
 * gather for the following one.
 */
class SentRecorder {
  private waiting: string[] = [];
  private running: Promise<void> | null = null;
  private failure: unknown = null;
  recorded = 0;

  constructor(private readonly record: (ids: string[]) => Promise<void>) {}

  add(id: string): void {
    this.waiting.push(id);
    this.running ??= this.drain();
  }

  /** Resolves once every row added so far is recorded; throws if an UPDATE failed. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    // One tick: the rest of a multiple ack joins this UPDATE.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.waiting.length) {
        const ids = this.waiting;
        this.waiting = [];
        await this.record(ids);
        this.recorded += ids.length;
      }
    } catch (err) {
      // Unrecorded rows keep their claim and are published again once the lease ends.
      this.failure ??= err;
      this.waiting = [];
    } finally {
      this.running = null;
    }
  }
}

/** Exponential backoff with full jitter, capped. */
export const backoffMs = (attempt: number, baseMs = 250, capMs = 30_000) =>
  Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));

/**
 * Publishes outbox rows to RabbitMQ. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED`,
 * so two relays never claim the same row), published on a confirm channel and each marked SENT
 * as its confirm arrives. Every queue a row names is declared before its first publish, and
 * messages are mandatory: the broker confirms a message no queue took as well, so a returned
 * message counts as a failed attempt rather than SENT. A connection that hears nothing for a
 * heartbeat, or whose confirms stop coming, counts as broken: it is dropped and its unconfirmed
 * rows go back to PENDING. While the broker is unreachable rows stay PENDING and the relay
 * reconnects with backoff; without AMQP_URL it does nothing and rows wait in the outbox.
 */
export class OutboxRelay implements BackgroundJob {
  readonly name = 'outbox relay';
  state: BrokerState;
  lastError: string | null = null;
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  /** declarations of queues seen in rows, on a channel of their own: a refused one closes it */
  private declarer: Promise<Channel> | null = null;
  /** queues declared on this connection */
  private declared = new Set<string>();
  /** messages the broker returned, by id; the return arrives before the message's confirm */
  private returned = new Map<string, string>();
  /** the heartbeat watch of the open connection */
  private watchdog: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly pause = new PollPause();
  private loop: Promise<void> | null = null;
  private readonly o: Required<Omit<RelayOptions, 'amqpUrl' | 'failpoints'>> &
    Pick<RelayOptions, 'amqpUrl' | 'failpoints'>;

  constructor(options: RelayOptions) {
    this.o = {
      queues: [RESOURCE_DELETION_QUEUE],
      batchSize: 100,
      leaseMs: 30_000,
      publishTimeoutMs: 10_000,
      heartbeatMs: 10_000,
      maxAttempts: 20,
      pollMs: 1_000,
      ...options,
    };
    this.state = options.amqpUrl ? 'connecting' : 'not configured';
  }

  start(): void {
    if (!this.o.amqpUrl || this.loop) return;
    this.loop = this.run();
  }

  /** New rows were committed: publish now rather than at the next poll. */
  wake(): void {
    this.pause.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pause.stop();
    await this.loop;
    await this.disconnect();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        if (!this.channel) await this.connect();
        failures = 0;
        const published = await this.relayBatch();
        if (published < this.o.batchSize) await this.pause.wait(this.o.pollMs);
      } catch (err) {
        failures++;
        this.lastError = (err as Error).message;
        if (this.state === 'connected' || this.state === 'connecting') {
          this.o.log.warn({ err: this.lastError }, 'message broker unavailable; deletions stay queued in the outbox');
        }
        this.state = 'disconnected';
        await this.disconnect();
        // Not cut short by wake(): while the broker is away every deletion's NOTIFY would
        // otherwise trigger an immediate reconnect, defeating the backoff.
        await this.pause.wait(Math.max(100, backoffMs(failures, 250, 10_000)), false);
      }
    }
  }

  private async connect(): Promise<void> {
    this.state = this.state === 'disconnected' ? 'disconnected' : 'connecting';
    // The timeout covers the handshake too: a broker that accepts the socket and says nothing fails it.
    const connection = await amqp.connect(withHeartbeat(this.o.amqpUrl!, this.o.heartbeatMs), { timeout: 5_000 });
    connection.on('error', () => {});
    connection.on('close', () => this.lost(connection));
    let channel: ConfirmChannel;
    try {
      channel = await connection.createConfirmChannel();
      channel.on('error', () => {});
      for (const queue of this.o.queues) await channel.assertQueue(queue, { durable: true });
    } catch (err) {
      // Not yet this.connection, so disconnect() would not close it: one leaked connection per retry.
      await connection.close().catch(() => {});
      throw err;
    }
    channel.on('close', () => {
      if (this.connection !== connection) return;
      this.lost(connection);
      // A channel error ends the channel alone, leaving a connection of no use to the relay.
      // Deferred: when the connection itself is closing, amqplib closes its channels first.
      setImmediate(() => connection.close().catch(() => {}));
    });
    channel.on('return', (message: Message) => this.onReturn(message as ReturnedMessage));
    this.connection = connection;
    this.channel = channel;
    this.declarer = null;
    this.declared = new Set(this.o.queues);
    this.returned.clear();
    this.watch(connection);
    this.state = 'connected';
    this.lastError = null;
    this.o.log.info('message broker connected; relaying the outbox');
  }

  /**
   * Drops the connection once nothing (frames or heartbeats) arrived for a whole heartbeat: the
   * broker sends one every half heartbeat, so two were missed. A silent outage (packets dropped,
   * sockets open) never closes the socket by itself.
   */
  private watch(connection: ChannelModel): void {
    const { stream: socket, heartbeat } = connection.connection as unknown as AmqpConnection;
    const heartbeatMs = (heartbeat ?? 0) * 1000;
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    if (heartbeatMs <= 0) return;
    let bytesRead = socket.bytesRead;
    let heardAt = Date.now();
    this.watchdog = setInterval(
      () => {
        if (socket.bytesRead !== bytesRead) {
          bytesRead = socket.bytesRead;
          heardAt = Date.now();
        } else if (Date.now() - heardAt >= heartbeatMs) {
          this.broken(connection, `nothing from the broker for ${heartbeatMs / 1000} s (missed heartbeats)`);
        }
      },
      Math.max(50, heartbeatMs / 10),
    );
    this.watchdog.unref();
  }

  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.forget();
    if (!this.stopped) this.state = 'disconnected';
    this.wake();
  }

  private forget(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = null;
    this.connection = null;
    this.channel = null;
  }

  /**
   * The connection is of no use though its socket is open: drop it at once (a close handshake
   * would wait for a broker that does not answer). Its channel closes, failing what waits for a
   * confirm, and the relay connects again.
   */
  private broken(connection: ChannelModel, reason: string): void {
    if (this.connection !== connection) return;
    this.lost(connection);
    this.lastError = reason;
    this.o.log.warn({ err: reason }, 'message broker connection broken; deletions stay queued in the outbox');
    (connection.connection as unknown as AmqpConnection).stream.destroy(new Error(reason));
  }

  private async disconnect(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.forget();
    // A close handshake with a broker that stopped answering would never end.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      connection.close().catch(() => {}),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 2_000);
      }),
    ]);
    clearTimeout(timer);
    (connection.connection as unknown as AmqpConnection).stream.destroy();
  }

  private onReturn({ fields, properties }: ReturnedMessage): void {
    if (typeof properties.messageId !== 'string') return;
    this.returned.set(
      properties.messageId,
      `unroutable: the broker returned it (${fields.replyCode} ${fields.replyText}), no queue "${fields.routingKey}"`,
    );
    // Someone deleted the queue: the next attempt declares it again.
    this.declared.delete(fields.routingKey);
  }

  /**
   * Declares the queues not yet declared on this connection; returns why a queue could not be,
   * by name. A refused declaration fails that queue's rows only.
   */
  private async declareQueues(queues: Iterable<string>): Promise<Map<string, string>> {
    const refused = new Map<string, string>();
    const connection = this.connection;
    for (const queue of new Set(queues)) {
      if (this.declared.has(queue) || !connection) continue;
      const declarer = (this.declarer ??= connection.createChannel().then((channel) => channel.on('error', () => {})));
      try {
        await (await declarer).assertQueue(queue, { durable: true });
        this.declared.add(queue);
      } catch (err) {
        // The refusal closed the channel: the next declaration opens another.
        if (this.declarer === declarer) this.declarer = null;
        refused.set(queue, `could not declare queue "${queue}": ${(err as Error).message}`);
      }
    }
    return refused;
  }

  /** Claims, publishes and settles one batch; returns how many rows it claimed. */
  private async relayBatch(): Promise<number> {
    const { prisma, instanceId, batchSize, leaseMs } = this.o;
    const rows = await prisma.$queryRaw<ClaimedRow[]>`
      UPDATE queue_message q
         SET locked_by = ${instanceId}, locked_at = now(), attempts = q.attempts + 1
       WHERE q.id IN (
         SELECT id FROM queue_message
          WHERE state = 'PENDING' AND run_at <= now()
            AND (locked_at IS NULL OR locked_at < now() - make_interval(secs => ${leaseMs / 1000}))
          ORDER BY id
          LIMIT ${batchSize}
          FOR UPDATE SKIP LOCKED)
      RETURNING q.id::text AS id, q.queue, q.body, q.attempts`;
    if (rows.length === 0) return 0;
    const refused = await this.declareQueues(rows.map((r) => r.queue));
    const publishing = rows.filter((r) => !refused.has(r.queue)).length;
    const recorder = new SentRecorder(async (ids) => {
      await prisma.$executeRaw`
        UPDATE queue_message SET state = 'SENT', sent_at = now(), locked_by = NULL, locked_at = NULL, last_error = NULL
         WHERE id = ANY(${ids}::uuid[]) AND locked_by = ${instanceId}`;
      this.o.log.debug({ instance: instanceId, messages: ids }, 'published outbox messages');
      // Test hook: die with part of the batch recorded SENT and the rest in flight.
      if (recorder.recorded + ids.length < publishing) this.o.failpoints?.hit('relay-between-confirms');
    });
    const results = await this.publish(rows, refused, (row) => recorder.add(row.id));
    await recorder.settled();
    const sent = results.filter((r) => r === null);
    for (const [i, row] of rows.entries()) {
      const error = results[i];
      if (error === null || error === undefined) continue;
      const failed = row.attempts >= this.o.maxAttempts;
      await prisma.$executeRaw`
        UPDATE queue_message
           SET locked_by = NULL, locked_at = NULL, last_error = ${error},
               state = ${failed ? 'FAILED' : 'PENDING'}::"QueueMessageState",
               run_at = now() + make_interval(secs => ${backoffMs(row.attempts) / 1000})
         WHERE id = ${row.id}::uuid AND locked_by = ${instanceId}`;
    }
    if (sent.length < rows.length) this.lastError = results.find((e) => e) ?? 'publish failed';
    // Refused messages (nacks, returns, undeclarable queues) wait for their backoff; only a lost
    // or broken connection (confirm time-out) counts as the broker being away.
    if (sent.length < rows.length && !this.channel) throw new Error(results.find((e) => e) ?? 'publish failed');
    return rows.length;
  }

  /**
   * Publishes each row (but those whose queue was `refused`); calls `confirmed` with each row as
   * its confirm arrives, and resolves per row with null (confirmed and routed) or the error text.
   * Confirms that do not all arrive within publishTimeoutMs break the connection.
   */
  private publish(
    rows: ClaimedRow[],
    refused: Map<string, string>,
    confirmed: (row: ClaimedRow) => void,
  ): Promise<(string | null)[]> {
    const { channel, connection } = this;
    if (!channel || !connection) return Promise.resolve(rows.map(() => 'not connected'));
    const results: (string | null | undefined)[] = rows.map((row) => refused.get(row.queue));
    let pending = results.filter((r) => r === undefined).length;
    if (pending === 0) return Promise.resolve(results as string[]);
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        channel.off('close', onClose);
        for (const row of rows) this.returned.delete(row.id);
        // Confirms already received stand; the rest failed with the connection.
        resolve(results.map((r) => (r === undefined ? 'connection to the broker closed before the confirm' : r)));
      };
      const onClose = () => finish();
      const timer = setTimeout(() => {
        const reason = `no confirm from the broker within ${this.o.publishTimeoutMs / 1000} s`;
        for (const [i, r] of results.entries()) if (r === undefined) results[i] = reason;
        finish();
        this.broken(connection, reason);
      }, this.o.publishTimeoutMs);
      channel.once('close', onClose);
      for (const [i, row] of rows.entries()) {
        if (results[i] !== undefined) continue;
        try {
          channel.sendToQueue(
            row.queue,
            Buffer.from(row.body),
            { persistent: true, mandatory: true, contentType: 'application/json', messageId: row.id },
            (err) => {
              if (done || results[i] !== undefined) return;
              results[i] = err
                ? `broker refused the message: ${String(err.message ?? err)}`
                : (this.returned.get(row.id) ?? null);
              if (results[i] === null) confirmed(row);
              if (--pending === 0) finish();
            },
          );
        } catch (err) {
          results[i] = (err as Error).message;
          if (--pending === 0) finish();
        }
      }
    });
  }
}
