// /health, /ready and /metrics over real HTTP: readiness follows the database, metrics need their token or port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, signInOfficer } from '../support/officers.ts';
import { say, visitor } from '../support/webchat.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one sample in Prometheus exposition text (undefined when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = (m[2] ?? '').split(',').filter(Boolean);
    if (want.every((w) => have.includes(w))) return Number(m[3]);
  }
  return undefined;
}

describe('health and readiness', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway();
    await gw.listen();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('answers /health and /ready without a session, and documents both', async () => {
    const health = await fetch(`${gw.url()}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${gw.url()}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; database: string; migrations: string; leases: { mode: string; held: string[] } };
    expect(body).toMatchObject({ status: 'ready', database: 'ok', migrations: 'ok', leases: { mode: 'single' } });
    expect(body.leases.held).toContain('outbox:webchat');
    // The docs page is for admins by default; the document itself is read from the app's swagger object.
    const paths = (gw.app.swagger() as { paths: Record<string, unknown> }).paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/health', '/ready']));
    expect(Object.keys(paths)).not.toContain('/metrics');
  });

  it('answers 503 naming the migrations the database lacks', async () => {
    const last = gw.db.$client.prepare('select hash, created_at from __drizzle_migrations order by created_at desc limit 1').get() as { hash: string; created_at: number };
    gw.db.$client.prepare('delete from __drizzle_migrations where created_at = ?').run(last.created_at);
    try {
      const ready = await fetch(`${gw.url()}/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { status: string; database: string; migrations: string; pendingMigrations: string[] };
      expect(body).toMatchObject({ status: 'not_ready', database: 'ok', migrations: 'pending' });
      expect(body.pendingMigrations).toHaveLength(1);
      expect(body.pendingMigrations[0]).toMatch(/^\d{4}_/);
    } finally {
      gw.db.$client.prepare('insert into __drizzle_migrations (hash, created_at) values (?, ?)').run(last.hash, last.created_at);
    }
    expect((await fetch(`${gw.url()}/ready`)).status).toBe(200);
  });

  it('answers 503 naming the database once the database is closed', async () => {
    gw.db.$client.close();
    const ready = await fetch(`${gw.url()}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', database: 'closed' });
    // Alive all the same: a load balancer restarts on /health, takes out of rotation on /ready.
    expect((await fetch(`${gw.url()}/health`)).status).toBe(200);
  });
});

describe('metrics with a token', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ METRICS_TOKEN: TOKEN });
    await gw.listen();
  });
  afterAll(async () => {
    await gw.close();
  });

  it('refuses without the token or with a wrong one', async () => {
    const none = await fetch(`${gw.url()}/metrics`);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('ERR_UNAUTHORIZED');
    expect((await fetch(`${gw.url()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${gw.url()}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(401);
  });

  it('counts a web chat message, the replies queued and sent, and the send latency', async () => {
    const scrape = async () => {
      const res = await fetch(`${gw.url()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const before = await scrape();
    expect(sample(before, 'tawasul_inbound_messages_total', { channel: 'webchat' }) ?? 0).toBe(0);
    expect(sample(before, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(before, 'tawasul_dead_letters')).toBe(0);

    const v = await visitor(gw);
    await say(gw, v.token, { text: 'السلام عليكم' });
    const after = await eventually(async () => {
      const text = await scrape();
      return (sample(text, 'tawasul_replies_sent_total', { channel: 'webchat' }) ?? 0) > 0 ? text : undefined;
    });
    expect(sample(after, 'tawasul_inbound_messages_total', { channel: 'webchat' })).toBe(1);
    expect(sample(after, 'tawasul_replies_queued_total', { channel: 'webchat' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'tawasul_send_duration_seconds_count', { channel: 'webchat' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'tawasul_send_failures_total', { channel: 'webchat', outcome: 'failed' }) ?? 0).toBe(0);
  });

  it('shows a widget WebSocket as a live connection while it is open', async () => {
    const { default: WebSocket } = await import('ws');
    const v = await visitor(gw);
    const ws = new WebSocket(`${gw.url().replace('http', 'ws')}/api/webchat/stream?token=${v.token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const live = async () => sample(await (await fetch(`${gw.url()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text(), 'tawasul_live_connections', { kind: 'webchat_ws' });
    expect(await live()).toBe(1);
    ws.close();
    await eventually(async () => ((await live()) === 0 ? true : undefined));
  });

  it('shows the inbox feed of an officer (SSE) as a live connection until it ends', async () => {
    await createOfficerWithTotp(gw, { email: 'metrics-officer@example.org', displayName: 'موظف', role: 'officer', password: 'officer password for metrics 2026' });
    const headers = await signInOfficer(gw, 'metrics-officer@example.org', 'officer password for metrics 2026');
    const live = async () => sample(await (await fetch(`${gw.url()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text(), 'tawasul_live_connections', { kind: 'inbox_sse' });
    const abort = new AbortController();
    const feed = await fetch(`${gw.url()}/api/inbox/events`, { headers, signal: abort.signal });
    expect(feed.status).toBe(200);
    expect(await live()).toBe(1);
    abort.abort();
    await eventually(async () => ((await live()) === 0 ? true : undefined));
  });

  it('shows the outbox depth and the oldest due row per channel at scrape time', async () => {
    // With the worker stopped, the bot's reply stays in the outbox.
    await gw.worker.stop();
    const v = await visitor(gw);
    await say(gw, v.token, { text: 'مرحبا' });
    const text = await (await fetch(`${gw.url()}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    expect(sample(text, 'tawasul_outbox_pending', { channel: 'webchat' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'tawasul_outbox_oldest_due_seconds', { channel: 'webchat' })).toBeGreaterThanOrEqual(0);
  });
});

describe('metrics without a token', () => {
  it('answers 404 on the main port', async () => {
    const gw = await startGateway();
    await gw.listen();
    try {
      expect((await fetch(`${gw.url()}/metrics`)).status).toBe(404);
      expect(gw.metricsUrl()).toBeUndefined();
    } finally {
      await gw.close();
    }
  });

  it('serves them on METRICS_PORT without a token, and not on the main port', async () => {
    const gw = await startGateway({ METRICS_PORT: '0' });
    await gw.listen();
    try {
      const url = gw.metricsUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/metrics`);
      expect(res.status).toBe(200);
      expect(sample(await res.text(), 'tawasul_live_connections', { kind: 'inbox_sse' })).toBe(0);
      expect((await fetch(`${url}/ready`)).status).toBe(404);
      expect((await fetch(`${gw.url()}/metrics`)).status).toBe(404);
    } finally {
      await gw.close();
    }
  });
});
