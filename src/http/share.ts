import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../logger.js';
import { annotateRequest } from '../request-scope.js';
import type { Services } from '../services/index.js';
import { definePublicOperation } from './rest-docs.js';
import { decodePathSegment, requestTargetUrl, successFalseShape } from './rest-routes.js';

// Seed 003's share links: public (the token in the link is the credential), so no API key.
const SHARE_PATH = /^\/v1\/share\/([^/]+)$/;

/** The share link in /openapi.json. */
export const shareLinkOperation = definePublicOperation({
  method: 'GET',
  path: '/v1/share/{share_id}',
  operationId: 'downloadSharedDataset',
  tag: 'datasets',
  summary: "Download a shared dataset's file",
  description: "A dataset's `share.url`. No API key: the token is the credential. HEAD answers the headers alone.",
  params: { share_id: { description: 'The share id (dsx_...)' } },
  query: { token: { description: "The share's token", required: true } },
  responses: {
    200: {
      description: "The dataset's file, in its mimeType",
      file: true,
      headers: { 'Content-Disposition': { description: 'attachment, with the file name' } },
    },
    404: {
      description: 'Unknown link, wrong token, expired link, or the dataset is marked for deletion',
      body: successFalseShape.schema,
    },
  },
});

/** Answers GET /v1/share/{dsx_...}?token= and returns true; false for any other path. */
export function createShareHandler(deps: { services: Services; log: Logger }) {
  return async function handleShare(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = requestTargetUrl(req.url);
    const match = url ? SHARE_PATH.exec(url.pathname) : null;
    if (!url || !match) return false;
    annotateRequest({ route: `${req.method} /v1/share/{share_id}` });
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply(res, 405, 'Method Not Allowed', { allow: 'GET, HEAD' });
      return true;
    }
    const shareId = decodePathSegment(match[1]!);
    const tokens = url.searchParams.getAll('token');
    // Unknown link, wrong token, expired link, marked dataset: all the same 404, so a link reveals nothing.
    const shared =
      shareId !== null && tokens.length === 1 ? await deps.services.datasets.openShared(shareId, tokens[0]!) : null;
    if (!shared) {
      reply(res, 404, 'Not found');
      return true;
    }
    const { dataset, stream } = shared;
    const fileName = `${dataset.fileName}.${dataset.fileExt}`;
    res.writeHead(200, {
      'content-type': dataset.mimeType,
      'content-length': String(dataset.fileSize),
      'content-disposition': `attachment; filename="${fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      // the token is in the URL: no cache may keep the file under it
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') {
      stream.destroy();
      res.end();
      return true;
    }
    await pipeline(stream, res).catch((err) => {
      deps.log.warn({ err, shareId }, 'a shared file was not sent whole');
      res.destroy();
    });
    return true;
  };
}

function reply(res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ success: false, error });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}
