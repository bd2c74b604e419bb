import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type Message, type MessageFields } from 'amqplib';
import type { PrismaClient } from '../db/client.js';
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
  /** a claimed row whose relay vanished is claimable again after this long */
  leaseMs?: number;
  /** confirms not received within this long count as a failed attempt */
  publishTimeoutMs?: number;
  maxAttempts?: number;
  pollMs?: number;
}

interface ClaimedRow {
  id: string;
  queue: string;
  body: string;
  attempts: number;
}

/** A basic.return: amqplib's Message type leaves out why the broker returned it. */
type ReturnedMessage = Message & { fields: MessageFields & { replyCode: number; replyText: string } };

/** Exponential backoff with full jitter, capped. */
export const backoffMs = (attempt: number, baseMs = 250, capMs = 30_000) =>
  Math.round(Math.random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1)));

/**
 * Publishes outbox rows to RabbitMQ. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED`,
 * so two relays never claim the same row), published on a confirm channel and marked SENT
 * only after the broker's confirm. Every queue a row names is declared before its first
 * publish, and messages are mandatory: the broker confirms a message no queue took as well,
 * so a returned message counts as a failed attempt rather than SENT. While the broker is
 * unreachable rows stay PENDING and the relay reconnects with backoff; without AMQP_URL it
 * does nothing and rows wait in the outbox.
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
  private stopped = false;
  private readonly pause = new PollPause();
  private loop: Promise<void> | null = null;
  private readonly o: Required<Omit<RelayOptions, 'amqpUrl'>> & { amqpUrl: string | undefined };

  constructor(options: RelayOptions) {
    this.o = {
      queues: [RESOURCE_DELETION_QUEUE],
      batchSize: 100,
      leaseMs: 30_000,
      publishTimeoutMs: 10_000,
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
    const connection = await amqp.connect(this.o.amqpUrl!, { timeout: 5_000 });
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
    this.state = 'connected';
    this.lastError = null;
    this.o.log.info('message broker connected; relaying the outbox');
  }

  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    this.connection = null;
    this.channel = null;
    if (!this.stopped) this.state = 'disconnected';
    this.wake();
  }

  private async disconnect(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.channel = null;
    await connection?.close().catch(() => {});
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
    const results = await this.publish(rows, refused);
    const sent = rows.filter((_, i) => results[i] === null).map((r) => r.id);
    if (sent.length) {
      await prisma.$executeRaw`
        UPDATE queue_message SET state = 'SENT', sent_at = now(), locked_by = NULL, locked_at = NULL, last_error = NULL
         WHERE id = ANY(${sent}::uuid[]) AND locked_by = ${instanceId}`;
      this.o.log.debug({ instance: instanceId, messages: sent }, 'published outbox messages');
    }
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
    // Refused messages (nacks, returns, undeclarable queues, confirm time-outs) wait for their
    // backoff; only a lost channel counts as the broker being away.
    if (sent.length < rows.length && !this.channel) throw new Error(results.find((e) => e) ?? 'publish failed');
    return rows.length;
  }

  /**
   * Publishes each row (but those whose queue was `refused`); resolves per row with null
   * (confirmed and routed) or the error text.
   */
  private publish(rows: ClaimedRow[], refused: Map<string, string>): Promise<(string | null)[]> {
    const channel = this.channel;
    if (!channel) return Promise.resolve(rows.map(() => 'not connected'));
    const results: (string | null | undefined)[] = rows.map((row) => refused.get(row.queue));
    let pending = results.filter((r) => r === undefined).length;
    if (pending === 0) return Promise.resolve(results as string[]);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        channel.off('close', onClose);
        for (const row of rows) this.returned.delete(row.id);
        // Confirms already received stand; the rest failed with the connection.
        resolve(results.map((r) => (r === undefined ? 'connection to the broker closed before the confirm' : r)));
      };
      const onClose = () => finish();
      const timer = setTimeout(() => {
        for (const [i, r] of results.entries()) if (r === undefined) results[i] = 'no confirm from the broker in time';
        finish();
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
              if (results[i] !== undefined) return;
              results[i] = err
                ? `broker refused the message: ${String(err.message ?? err)}`
                : (this.returned.get(row.id) ?? null);
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
