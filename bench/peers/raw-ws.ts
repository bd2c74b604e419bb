// The transport's limit for case 3: a bare `ws` server that sends one prebuilt message (a real
// gateway event frame with the entity id swapped in) to every connected socket.
// Env: MESSAGE_TEMPLATE, KEY_PLACEHOLDER. Prints {"ready": "<url>"} once listening.
import { type WebSocket, WebSocketServer } from 'ws';
import { wallClockMs } from '../support/stats.js';
import { exitOnSigterm, servePublishEndpoint } from './publish-endpoint.js';

const template = process.env.MESSAGE_TEMPLATE!;
const placeholder = process.env.KEY_PLACEHOLDER!;
const sockets = new Set<WebSocket>();

const endpoint = servePublishEndpoint((key) => {
  const message = template.replaceAll(placeholder, key);
  const publishedAt = wallClockMs();
  for (const socket of sockets) socket.send(message);
  return publishedAt;
});

const wss = new WebSocketServer({ server: endpoint.server, path: '/graphql' });
wss.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

endpoint.listen();
exitOnSigterm(() => {
  for (const s of sockets) s.terminate();
  wss.close();
  endpoint.server.close();
});
