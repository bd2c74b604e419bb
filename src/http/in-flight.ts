import type http from 'node:http';
import type { Plugin } from 'graphql-yoga';

// The HTTP requests being answered, so that a shutdown lets them finish before it closes the
// database under them.

/**
 * Responses that stream subscription results (SSE, multipart) never end by themselves: they
 * are set apart from the requests a shutdown waits for, and the shutdown ends them instead.
 */
const STREAMED = /^(text\/event-stream|multipart\/mixed)\b/i;

export class InFlightRequests {
  private readonly open = new Set<http.ServerResponse>();
  private readonly streams = new WeakSet<http.ServerResponse>();
  private readonly changed = new Set<() => void>();
  private closing = false;

  /** Counts the response until it has been sent (or its connection is gone). */
  track(res: http.ServerResponse): void {
    this.open.add(res);
    if (this.closing) res.setHeader('connection', 'close');
    res.once('close', () => {
      this.open.delete(res);
      this.notify();
    });
  }

  /** The response streams results: a shutdown does not wait for it to end. */
  markStreaming(res: http.ServerResponse): void {
    this.streams.add(res);
    this.notify();
  }

  /**
   * From now on every response closes its connection after it is sent, so no keep-alive
   * connection stays open idle while the shutdown waits.
   */
  beginClosing(): void {
    this.closing = true;
    for (const res of this.open) if (!res.headersSent) res.setHeader('connection', 'close');
  }

  /** Requests being answered, streams left out. */
  get running(): number {
    return this.pending(false).length;
  }

  /**
   * Waits until no request is open (streams counted only with `streams`) or the deadline has
   * passed; returns the requests still open then.
   */
  async settled(deadline: number, { streams }: { streams: boolean }): Promise<http.ServerResponse[]> {
    for (;;) {
      const pending = this.pending(streams);
      const left = deadline - Date.now();
      if (pending.length === 0 || left <= 0) return pending;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.changed.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.changed.add(done);
      });
    }
  }

  private pending(streams: boolean): http.ServerResponse[] {
    return [...this.open].filter((res) => streams || !this.streams.has(res));
  }

  private notify() {
    for (const listener of [...this.changed]) listener();
  }
}

/** Marks Yoga's responses that stream subscription results (it runs before the response is sent). */
export function useStreamedResponses(requests: InFlightRequests): Plugin {
  return {
    onResponse({ response, serverContext }) {
      const { res } = serverContext as { res?: http.ServerResponse };
      if (res && STREAMED.test(response.headers.get('content-type') ?? '')) requests.markStreaming(res);
    },
  };
}

/** method and path of each request, for the log line that says which ones were cut */
export function describeRequests(responses: http.ServerResponse[]): string[] {
  return responses.map((res) => `${res.req.method} ${(res.req.url ?? '').split('?')[0]}`);
}
