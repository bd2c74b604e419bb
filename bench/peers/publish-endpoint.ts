import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP side of a fan-out reference server: `POST /publish {"key": "..."}` makes it push one
 * event whose entity id is `key` to every subscriber, and answers the wall-clock time at which it
 * published (the reference's equivalent of the gateway's commit).
 */
export function servePublishEndpoint(publish: (key: string) => number, onOther?: http.RequestListener) {
  const server = http.createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/publish') {
      if (onOther) return onOther(req, res);
      res.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { key } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { key: string };
      const publishedAt = publish(key);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ publishedAt }));
    });
  });
  server.keepAliveTimeout = 60_000;
  return {
    server,
    listen() {
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        console.log(JSON.stringify({ ready: `http://127.0.0.1:${port}/graphql` }));
      });
    },
  };
}

/** Ends the process on SIGTERM after `close`. */
export function exitOnSigterm(close: () => unknown) {
  process.once('SIGTERM', () => {
    void Promise.resolve(close()).finally(() => process.exit(0));
  });
}
