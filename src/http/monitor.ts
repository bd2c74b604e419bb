// The deletion monitor page (/monitor): the bundle Vite built from monitor/ at build time,
// served from memory with a strict Content-Security-Policy. The page only talks to /graphql.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Logger } from '../logger.js';

export const MONITOR_PATH = '/monitor';

/** /monitor and everything under it (a reserved first path segment, src/util/reserved-segments.ts). */
export const isMonitorPath = (urlPath: string | undefined): urlPath is string =>
  urlPath === MONITOR_PATH || (urlPath?.startsWith(`${MONITOR_PATH}/`) ?? false);

/** Where `npm run build:monitor` writes the bundle: dist/monitor, from src/http and from dist/http alike. */
export const DEFAULT_MONITOR_DIR = fileURLToPath(new URL('../../dist/monitor', import.meta.url));

const NOT_BUILT =
  'The monitor page is not built. Run `npm run build:monitor` (`npm run build` includes it), then reload.\n';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Headers of every answer under /monitor: no sniffing, no referrer, never framed. */
const BASE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

interface Asset {
  body: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  type: string;
  etag: string;
  /** Vite names files under assets/ by their content hash: they never change under one name. */
  immutable: boolean;
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Every file of the bundle by its URL path, compressed once; null when the bundle is not built. */
async function loadBundle(dir: string): Promise<Map<string, Asset> | null> {
  try {
    await fs.access(path.join(dir, 'index.html'));
  } catch {
    return null;
  }
  const assets = new Map<string, Asset>();
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, file).split(path.sep).join('/');
    // .vite/manifest.json and the build stamp are the build's own records, not the page's.
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    const body = await fs.readFile(file);
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const compressible = /^text\/|javascript|json|svg/.test(type) && body.length > 1024;
    assets.set(`${MONITOR_PATH}/${rel}`, {
      body,
      br: compressible
        ? await brotli(body, {
            params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
          })
        : null,
      gzip: compressible ? await gzip(body, { level: 9 }) : null,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: rel.startsWith('assets/'),
    });
  }
  return assets;
}

const HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * Self only. connect-src names the WebSocket origins of this host too: graphql-ws connects to
 * ws(s)://host/graphql, which older browsers do not count as 'self'. A Host header that is no
 * plain host[:port] adds nothing.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The encoding to answer with: brotli, then gzip, when the client accepts it. */
function pickEncoding(asset: Asset, accepted: string | undefined): 'br' | 'gzip' | null {
  const accepts = (name: string) =>
    (accepted ?? '').split(',').some((part) => {
      const [token, ...params] = part.trim().split(';');
      return token?.trim().toLowerCase() === name && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    });
  if (asset.br && accepts('br')) return 'br';
  if (asset.gzip && accepts('gzip')) return 'gzip';
  return null;
}

export function createMonitorHandler(deps: { dir: string | undefined; log: Logger }) {
  const dir = path.resolve(deps.dir ?? DEFAULT_MONITOR_DIR);
  let loading: Promise<Map<string, Asset> | null> | null = null;

  /** Loaded once; while it is missing, looked for again at each request, so a build after the start is served. */
  const bundle = async () => {
    loading ??= loadBundle(dir).then(
      (assets) => {
        if (assets) deps.log.info({ dir, files: assets.size }, 'monitor page loaded');
        else loading = null;
        return assets;
      },
      (err: unknown) => {
        deps.log.error({ err, dir }, 'could not load the monitor page');
        loading = null;
        return null;
      },
    );
    return loading;
  };

  return async (req: http.IncomingMessage, res: http.ServerResponse, urlPath: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...BASE_HEADERS, allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    const assets = await bundle();
    if (!assets) {
      res.writeHead(503, { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      res.end(NOT_BUILT);
      return;
    }
    const asset = assets.get(
      urlPath === MONITOR_PATH || urlPath === `${MONITOR_PATH}/` ? `${MONITOR_PATH}/index.html` : urlPath,
    );
    if (!asset) {
      res.writeHead(404, { ...BASE_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
      res.end('Not found\n');
      return;
    }
    const headers: http.OutgoingHttpHeaders = {
      ...BASE_HEADERS,
      'content-security-policy': contentSecurityPolicy(req.headers.host),
      'content-type': asset.type,
      // index.html names the current hashed files: revalidated at each load (a 304 while unchanged).
      'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: asset.etag,
      vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match']?.split(',').some((tag) => tag.trim() === asset.etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    const encoding = pickEncoding(asset, req.headers['accept-encoding']);
    const body = encoding ? asset[encoding]! : asset.body;
    if (encoding) headers['content-encoding'] = encoding;
    headers['content-length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
