import { describe, expect, it } from 'vitest';
import { requestIdOf, traceIdOf, validRequestId } from '../src/http/request-id.js';
import { formatPrettyLine } from '../src/log-pretty.js';
import { carriesToken, metricsAccess } from '../src/metrics/endpoint.js';
import { BoundedLabel, graphqlOperationLabel } from '../src/metrics/labels.js';

// The pure rules behind access logs and metrics: request ids, label bounds, who may scrape, pretty lines.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('request ids', () => {
  it('takes a safe x-request-id as it is', () => {
    for (const id of ['abc-123', 'req_01HZ.x:y/z+w=@~', 'a'.repeat(128)]) {
      expect(requestIdOf(headers({ 'x-request-id': id }))).toBe(id);
    }
  });

  it('refuses an x-request-id that could forge log output or is too long', () => {
    for (const id of ['', 'has space', 'quote"d', 'new\nline', 'a'.repeat(129), 'ünïcode', 'a,b c']) {
      expect(validRequestId(id), JSON.stringify(id)).toBeNull();
    }
  });

  it('falls back to the trace id of a W3C traceparent', () => {
    expect(requestIdOf(headers({ traceparent: TRACEPARENT }))).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(requestIdOf(headers({ 'x-request-id': 'bad id', traceparent: TRACEPARENT }))).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    // x-request-id wins when both are usable
    expect(requestIdOf(headers({ 'x-request-id': 'mine', traceparent: TRACEPARENT }))).toBe('mine');
  });

  it('reads traceparent as the W3C Trace Context defines it', () => {
    expect(traceIdOf(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later-fields`)).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    for (const bad of [
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // version ff is invalid
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra', // version 00 has four fields
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01', // zero trace id
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', // zero parent id
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', // upper case
      '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', // short trace id
      'garbage',
    ]) {
      expect(traceIdOf(bad), bad).toBeNull();
    }
  });

  it('generates a UUID when the request brings no usable id', () => {
    const a = requestIdOf(headers({}));
    const b = requestIdOf(headers({ 'x-request-id': 'no spaces allowed', traceparent: 'nope' }));
    expect(a).toMatch(UUID);
    expect(b).toMatch(UUID);
    expect(a).not.toBe(b);
  });
});

describe('metric labels', () => {
  it('keeps the first distinct values and counts later new ones as other', () => {
    const label = new BoundedLabel(2);
    expect([label.value('a'), label.value('b'), label.value('c'), label.value('a'), label.value('b')]).toEqual([
      'a',
      'b',
      'other',
      'a',
      'b',
    ]);
  });

  it('names a GraphQL operation by type and name, or by its root fields without a name', () => {
    expect(graphqlOperationLabel({ type: 'mutation', name: 'DeleteOne', rootFields: null })).toBe('mutation DeleteOne');
    expect(graphqlOperationLabel({ type: 'query', name: null, rootFields: 'image,resource' })).toBe(
      'query image,resource',
    );
    expect(graphqlOperationLabel({ type: 'query', name: null, rootFields: null })).toBe('query anonymous');
  });
});

describe('who may scrape /metrics', () => {
  it('is off by default, open only with METRICS=on, and asks for the token when one is set', () => {
    expect(metricsAccess({})).toEqual({ kind: 'off' });
    expect(metricsAccess({ METRICS: 'on' })).toEqual({ kind: 'open' });
    expect(metricsAccess({ METRICS_TOKEN: 't'.repeat(16) })).toEqual({ kind: 'token', token: 't'.repeat(16) });
    expect(metricsAccess({ METRICS: 'on', METRICS_TOKEN: 't'.repeat(16) })).toEqual({
      kind: 'token',
      token: 't'.repeat(16),
    });
    expect(metricsAccess({ METRICS: 'off', METRICS_TOKEN: 't'.repeat(16) })).toEqual({ kind: 'off' });
  });

  it('accepts exactly the token in a Bearer Authorization header', () => {
    const token = 'scrape-token-0123456789';
    expect(carriesToken(`Bearer ${token}`, token)).toBe(true);
    expect(carriesToken(`bearer ${token}`, token)).toBe(true);
    expect(carriesToken(undefined, token)).toBe(false);
    expect(carriesToken(token, token)).toBe(false);
    expect(carriesToken(`Basic ${token}`, token)).toBe(false);
    expect(carriesToken(`Bearer ${token}x`, token)).toBe(false);
    expect(carriesToken(`Bearer ${token.slice(1)}`, token)).toBe(false);
  });
});

describe('LOG_FORMAT=pretty', () => {
  const line = (entry: Record<string, unknown>) => formatPrettyLine(JSON.stringify(entry), { colors: false });

  it('shows time, level, message and the other fields as key=value', () => {
    const text = line({
      level: 30,
      time: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      pid: 1,
      hostname: 'h',
      service: 'deletion-gateway',
      msg: 'request completed',
      requestId: 'abc-123',
      status: 200,
      path: '/resources/r 1',
    });
    expect(text).toBe('03:04:05.678 INFO  request completed requestId=abc-123 status=200 path="/resources/r 1"\n');
  });

  it("puts an error's stack below its line", () => {
    const text = line({
      level: 50,
      time: 0,
      msg: 'unexpected error',
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(text).toBe('00:00:00.000 ERROR unexpected error\nError: boom\n    at x\n');
  });

  it('passes a line that is not JSON through', () => {
    expect(formatPrettyLine('plain text\n', { colors: false })).toBe('plain text\n');
  });
});
