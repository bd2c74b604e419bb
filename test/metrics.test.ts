import { describe, expect, it } from 'vitest';
import { graphql } from './generated/gql.js';
import { skipDatabase } from './support/database.js';
import { CreateResource, DeleteResource } from './support/documents.js';
import { useGateway } from './support/fixture.js';
import { gqlOk, subscribeSse, subscribeWs, wsClient } from './support/graphql.js';
import { type Exposition, parseExposition, sampleSum, samplesOf, scrape } from './support/metrics.js';

// GET /metrics: Prometheus' text format, scraped over real HTTP while real deletions go through
// REST and GraphQL; protected by METRICS_TOKEN, off without one unless METRICS=on.

const TOKEN = 'metrics-token-for-tests-0123456789';
const P = 'deletion_gateway_';

const CreateImages = graphql(`
  mutation MetricsCreateImages($input: [CreateImageInput!]!) { createImages(input: $input) { id } }
`);
const DeleteImageWaiting = graphql(`
  mutation MetricsDeleteImage($id: ID!) { deleteImage(id: $id, wait: true) { isFinished numGood } }
`);
const PurgeNow = graphql(`
  mutation MetricsPurge { purgeExpiredDatasets { runId datasets } }
`);

describe.skipIf(skipDatabase())('GET /metrics', () => {
  const gw = useGateway({ env: { METRICS_TOKEN: TOKEN } });
  const metrics = async (): Promise<Exposition> => {
    const res = await scrape(gw.server, TOKEN);
    expect(res.status).toBe(200);
    return res.exposition!;
  };

  it('asks for METRICS_TOKEN: none or a wrong one is 401 with WWW-Authenticate, the token gets the text format', async () => {
    for (const token of [undefined, 'wrong-token-0123456789', `${TOKEN}x`]) {
      const res = await scrape(gw.server, token);
      expect(res.status, String(token)).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.text).not.toContain(P);
    }
    const res = await scrape(gw.server, TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    // every family is declared with its type
    const { samples, types } = res.exposition!;
    for (const s of samples) {
      const family = s.name.replace(/_(bucket|sum|count|total|created)$/, '');
      expect(types.has(s.name) || types.has(family), s.name).toBe(true);
    }
  });

  it('counts deletions by backend and outcome, and request latency by route pattern and operation name, never raw ids', async () => {
    const before = await metrics();
    const viaRest = (await gqlOk(gw.server, CreateResource, { input: { name: 'metrics-rest' } })).createResource;
    const viaGraphql = (await gqlOk(gw.server, CreateResource, { input: { name: 'metrics-graphql' } })).createResource;
    const restDelete = () =>
      fetch(`${gw.server.origin}/resources/${viaRest.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${gw.server.adminKey}` },
      });
    expect((await restDelete()).status).toBe(200);
    const deleted = await gqlOk(gw.server, DeleteResource, { id: viaGraphql.id });
    expect(deleted.deleteResource.__typename).toBe('DeleteResourcePayload');
    expect((await restDelete()).status).toBe(404);
    const after = await metrics();

    const delta = (e: Exposition, name: string, labels: Record<string, string>) =>
      sampleSum(e, name, labels) - sampleSum(before, name, labels);
    expect(delta(after, `${P}deletions_total`, { backend: 'resource', outcome: 'soft_deleted' })).toBe(2);
    expect(delta(after, `${P}deletions_total`, { backend: 'resource', outcome: 'not_found' })).toBe(1);
    const latency = `${P}request_duration_seconds_count`;
    const rest = { transport: 'http', operation: 'DELETE /resources/{resource_id}' };
    expect(delta(after, latency, { ...rest, status: '200' })).toBe(1);
    expect(delta(after, latency, { ...rest, status: '404' })).toBe(1);
    const mutation = { transport: 'http', operation: 'mutation DeleteResourceOutcome', status: '200' };
    expect(delta(after, latency, mutation)).toBe(1);
    // histograms carry buckets up to +Inf
    expect(
      samplesOf(after, `${P}request_duration_seconds_bucket`, { ...rest, le: '+Inf', status: '200' }),
    ).toHaveLength(1);
    // no label holds an id
    const labelValues = after.samples.flatMap((s) => Object.values(s.labels));
    for (const id of [viaRest.id, viaGraphql.id]) expect(labelValues.join(' ')).not.toContain(id);
    // both deletions queued a broker message; without a broker they wait in the outbox
    expect(delta(after, `${P}outbox_messages`, { state: 'pending' })).toBe(2);
    expect(sampleSum(after, `${P}outbox_oldest_pending_age_seconds`)).toBeGreaterThanOrEqual(0);
    // the event log's head moves once the deletions' events are visible
    await expect
      .poll(async () => sampleSum(await metrics(), `${P}event_log_head_id`), { timeout: 30_000 })
      .toBeGreaterThan(sampleSum(before, `${P}event_log_head_id`));
  });

  it("reports the background machinery's state on every scrape", async () => {
    const e = await metrics();
    for (const state of ['pending', 'failed']) expect(samplesOf(e, `${P}outbox_messages`, { state })).toHaveLength(1);
    for (const state of ['pending', 'retrying', 'failed']) {
      expect(samplesOf(e, `${P}after_commit_tasks`, { state })).toHaveLength(1);
    }
    for (const state of ['queued', 'running']) expect(samplesOf(e, `${P}image_operations`, { state })).toHaveLength(1);
    for (const name of [
      'after_commit_oldest_pending_age_seconds',
      'event_log_head_timestamp_seconds',
      'live_tail_lag_events',
      'live_tail_lag_seconds',
      'image_operation_oldest_queued_age_seconds',
      'purge_last_success_timestamp_seconds',
      'purge_next_run_timestamp_seconds',
    ]) {
      expect(samplesOf(e, `${P}${name}`), name).toHaveLength(1);
    }
    // no broker is configured here
    expect(sampleSum(e, `${P}broker_state`, { state: 'not configured' })).toBe(1);
    expect(sampleSum(e, `${P}broker_state`, { state: 'connected' })).toBe(0);
    // the schedule (default PURGE_CRON) runs in the future
    expect(sampleSum(e, `${P}purge_next_run_timestamp_seconds`)).toBeGreaterThan(Date.now() / 1000);
  });

  it('counts open subscriptions by transport until they end', async () => {
    const subscribers = async (transport: string) => sampleSum(await metrics(), `${P}subscribers`, { transport });
    const client = wsClient(gw.server, { apiKey: gw.server.adminKey });
    const ws = subscribeWs(client, 'subscription MetricsWs { deletionEvents { cursor } }');
    const sse = await subscribeSse(gw.server, 'subscription MetricsSse { deletionEvents { cursor } }');
    expect(sse.status).toBe(200);
    await expect.poll(() => subscribers('ws')).toBe(1);
    await expect.poll(() => subscribers('sse')).toBe(1);
    ws.dispose();
    await sse.close();
    await client.dispose();
    await expect.poll(() => subscribers('ws')).toBe(0);
    await expect.poll(() => subscribers('sse')).toBe(0);
  });

  it("times an image operation's wait in the queue and counts its deletion", async () => {
    const before = await metrics();
    const [image] = (await gqlOk(gw.server, CreateImages, { input: [{ name: 'metrics.png' }] })).createImages;
    const op = (await gqlOk(gw.server, DeleteImageWaiting, { id: image!.id })).deleteImage;
    expect(op).toEqual({ isFinished: true, numGood: 1 });
    const after = await metrics();
    const wait = `${P}image_operation_wait_seconds_count`;
    expect(sampleSum(after, wait) - sampleSum(before, wait)).toBe(1);
    const deletions = { backend: 'image', outcome: 'hard_deleted' };
    expect(
      sampleSum(after, `${P}deletions_total`, deletions) - sampleSum(before, `${P}deletions_total`, deletions),
    ).toBe(1);
  });

  it('counts purge runs and their durations, and when the last one succeeded', async () => {
    const before = await metrics();
    await gqlOk(gw.server, PurgeNow, {});
    const after = await metrics();
    const completed = { outcome: 'completed' };
    const runs = `${P}purge_runs_total`;
    expect(sampleSum(after, runs, completed) - sampleSum(before, runs, completed)).toBe(1);
    const durations = `${P}purge_duration_seconds_count`;
    expect(sampleSum(after, durations, completed) - sampleSum(before, durations, completed)).toBe(1);
    const lastSuccess = sampleSum(after, `${P}purge_last_success_timestamp_seconds`);
    expect(lastSuccess).toBeGreaterThan(Date.now() / 1000 - 300);
  });

  it("includes Node's process metrics", async () => {
    const e = await metrics();
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(samplesOf(e, name), name).toHaveLength(1);
    }
  });

  it('is off without a token (404), and open to anyone with METRICS=on', async () => {
    const off = await gw.restart({ METRICS_TOKEN: '' });
    const res = await scrape(off);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain(P);
    const open = await gw.restart({ METRICS_TOKEN: '', METRICS: 'on' });
    const scraped = await scrape(open);
    expect(scraped.status).toBe(200);
    expect(parseExposition(scraped.text).types.get(`${P}deletions_total`)).toBe('counter');
  });
});
