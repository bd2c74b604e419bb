import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { promisify } from 'node:util';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';

// The real RabbitMQ of this machine. Test files and both projects run in parallel while the
// queue name is fixed, so every test gets a vhost of its own.

export const RABBITMQ_HOST = process.env.TEST_RABBITMQ_HOST ?? '127.0.0.1';
export const RABBITMQ_PORT = Number(process.env.TEST_RABBITMQ_PORT ?? 5672);

const run = promisify(execFile);

/** Runs `rabbitmqctl` (the broker's own CLI) and returns its standard output. */
export async function rabbitmqctl(...args: string[]): Promise<string> {
  const { stdout } = await run('rabbitmqctl', ['-q', ...args], { timeout: 60_000 });
  return stdout;
}

export interface Vhost {
  name: string;
  /** amqp://guest:guest@HOST:PORT/VHOST, by default straight to the broker. */
  url(port?: number): string;
  /** `rabbitmqctl list_queues` of this vhost: name → durable, messages. */
  queues(): Promise<Map<string, { durable: boolean; messages: number }>>;
  setPolicy(name: string, pattern: string, definition: Record<string, unknown>): Promise<void>;
  clearPolicy(name: string): Promise<void>;
  drop(): Promise<void>;
}

/** A fresh vhost that guest may use. */
export async function createVhost(label: string): Promise<Vhost> {
  const name = `dgw_test_${label}_${process.env.TEST_DATABASE ?? 'x'}_${Date.now()}_${randomBytes(3).toString('hex')}`;
  await rabbitmqctl('add_vhost', name);
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*');
  return {
    name,
    url: (port = RABBITMQ_PORT) => `amqp://guest:guest@${RABBITMQ_HOST}:${port}/${encodeURIComponent(name)}`,
    async queues() {
      const out = await rabbitmqctl('list_queues', '-p', name, '--no-table-headers', 'name', 'durable', 'messages');
      const queues = new Map<string, { durable: boolean; messages: number }>();
      for (const line of out.split('\n')) {
        const [queue, durable, messages] = line.split('\t');
        if (queue && durable) queues.set(queue, { durable: durable === 'true', messages: Number(messages) });
      }
      return queues;
    },
    async setPolicy(policy, pattern, definition) {
      await rabbitmqctl('set_policy', '-p', name, policy, pattern, JSON.stringify(definition), '--apply-to', 'queues');
    },
    async clearPolicy(policy) {
      await rabbitmqctl('clear_policy', '-p', name, policy);
    },
    async drop() {
      await rabbitmqctl('delete_vhost', name);
    },
  };
}

/**
 * A TCP proxy in front of the broker that can be made unreachable without disturbing anyone
 * else: `pause()` cuts every open connection and resets new ones until `resume()`; `stall()` is
 * a silent outage instead (packets dropped, sockets open): no byte and no close passes either
 * way, new connections are accepted and hear nothing, until `resume()` delivers what was held,
 * as TCP retransmission would. It keeps listening on the same port all along, so the gateway's
 * AMQP_URL stays valid.
 */
export class TcpProxy {
  /** Connections forwarded to the broker. */
  forwarded = 0;
  /** Connections reset while paused. */
  refused = 0;
  private paused = false;
  /** what a stall holds back (bytes to write, connections to cut), in order */
  private held: Array<() => void> | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly clients = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target = { host: RABBITMQ_HOST, port: RABBITMQ_PORT }): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, target));
    return proxy;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Client connections open right now. */
  get open(): number {
    return this.clients.size;
  }

  private accept(client: net.Socket, target: { host: string; port: number }) {
    client.on('error', () => {});
    if (this.paused) {
      this.refused++;
      client.resetAndDestroy();
      return;
    }
    this.forwarded++;
    const upstream = net.connect(target);
    upstream.on('error', () => {});
    const cut = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
      this.clients.delete(client);
    };
    // While stalled, whatever would pass waits (in order) for resume().
    const pass = (action: () => void) => (this.held ? this.held.push(action) : action());
    client.on('close', () => pass(cut));
    upstream.on('close', () => pass(cut));
    this.sockets.add(client);
    this.sockets.add(upstream);
    this.clients.add(client);
    client.on('data', (chunk: Buffer) => pass(() => upstream.write(chunk)));
    upstream.on('data', (chunk: Buffer) => pass(() => client.write(chunk)));
  }

  /** A silent outage: sockets stay open, nothing passes (bytes or closes) until resume(). */
  stall(): void {
    this.held ??= [];
  }

  /** The broker becomes unreachable: open connections are reset, new ones refused. */
  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    this.clients.clear();
  }

  resume(): void {
    this.paused = false;
    const held = this.held ?? [];
    this.held = null;
    for (const action of held) action();
  }

  async close(): Promise<void> {
    this.held = null;
    this.pause();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface ReceivedMessage {
  content: Buffer;
  properties: ConsumeMessage['properties'];
  redelivered: boolean;
}

/** A consumer on a queue that must already exist; it acknowledges and keeps every message. */
export interface QueueConsumer {
  messages: ReceivedMessage[];
  /** Waits until at least `count` messages arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** Messages ready in the queue (not yet delivered to this consumer). */
  ready(): Promise<number>;
  close(): Promise<void>;
}

export async function consumeQueue(url: string, queue: string): Promise<QueueConsumer> {
  const connection: ChannelModel = await amqp.connect(url);
  connection.on('error', () => {});
  const channel: Channel = await connection.createChannel();
  const messages: ReceivedMessage[] = [];
  let failure: Error | null = null;
  channel.on('error', (err: Error) => {
    failure = err;
  });
  // checkQueue does not create the queue: the gateway must have declared it.
  await channel.checkQueue(queue);
  await channel.consume(queue, (msg) => {
    if (!msg) {
      failure = new Error('the broker cancelled the consumer');
      return;
    }
    messages.push({ content: msg.content, properties: msg.properties, redelivered: msg.fields.redelivered });
    channel.ack(msg);
  });
  return {
    messages,
    async waitFor(count, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (failure) throw failure;
        if (Date.now() > deadline)
          throw new Error(`timed out with ${messages.length} of ${count} messages from ${queue}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    async ready() {
      if (failure) throw failure;
      return (await channel.checkQueue(queue)).messageCount;
    },
    async close() {
      await connection.close().catch(() => {});
    },
  };
}
