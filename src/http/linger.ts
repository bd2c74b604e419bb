// A lingering close, as nginx does (lingering_close): when the server answers a request before
// reading all of its body (a 413 for a body over its limit, judged by its Content-Length) and then
// closes the connection, the client may still be sending. Closing a socket with unread data makes
// the kernel send a reset, and a reset can reach the client before it has read the answer: it
// sees "connection reset" instead of the typed 413. Node closes that way (socket.destroySoon after
// the answer). Here a connection the server closes first sends its FIN, then reads and discards
// what the client still sends until the client closes too, for at most LINGER_MS.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export const LINGER_MS = 5_000;

export function lingerOnClose(server: Server, lingerMs = LINGER_MS): void {
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = function lingeringDestroySoon(this: Socket) {
      if (this.destroyed) return;
      if (this.writable) this.end();
      // The client's FIN ends the socket ('end', then 'close'); a client that neither closes nor
      // stops sending is cut after lingerMs.
      const cut = setTimeout(() => this.destroy(), lingerMs);
      cut.unref();
      this.once('close', () => clearTimeout(cut));
      // Whatever still arrives is read (Node's HTTP parser discards an unread body) and dropped.
      this.resume();
    };
  });
}
