// Each channel through a provider outage of a minute (real time): nothing lost, nothing twice, order kept, gateway up.
// The channels run side by side (one file, concurrent tests; vitest runs at most 5 at once, so email's two sides share one).
import { describe, test, type ExpectStatic } from 'vitest';
import type { OutageMode } from '../fakes/outage-proxy.ts';
import { emailScenario, mail, telegramScenario, twilioScenario, unifonicScenario, whatsappScenario, type EmailScenario, type Scenario } from './channels.ts';
import {
  DELIVERED_BY_MS,
  OUTAGE_MS,
  SEND_AT_MS,
  TEST_TIMEOUT_MS,
  failures,
  norm,
  sends,
  outboxRows,
  settle,
  sleep,
  until,
  watchHealth,
  type HealthReport,
} from './support.ts';

/** Waits until the warm-up's replies left the outbox and the provider fake stopped counting. */
async function warm(s: Scenario): Promise<void> {
  await s.warmUp();
  const settled = await until(() => {
    const rows = outboxRows(s.gw, s.channel);
    return rows.length > 0 && rows.every((r) => r.status === 'sent');
  }, Date.now() + 20_000);
  if (!settled) throw new Error(`${s.channel}: the warm-up exchange did not go through the proxy`);
  await settle(() => s.delivered().length);
}

interface Run {
  /** Outbox rows written during the outage, in id order. */
  rows: ReturnType<typeof outboxRows>;
  /** What the provider accepted after the outage began, in arrival order. */
  got: ReturnType<Scenario['delivered']>;
  deliveredDuringOutage: number;
  allDeliveredAtMs: number | undefined;
  health: HealthReport;
}

function describeRun(name: string, mode: string, run: Run, s: Scenario): string {
  const heads = s.recipients.map((a) => run.rows.find((r) => r.address === a)?.attempts ?? 0);
  const errors = [...new Set(s.logs.messages('outbound send will be retried').map((l) => String(l.err).replace(/\d{3,}/g, '#')))];
  const stats = s.proxy.stats();
  return (
    `[outage] ${name}: mode=${mode}, ${run.rows.length} messages to ${s.recipients.length} recipients, ` +
    `all delivered ${run.allDeliveredAtMs === undefined ? 'NOT' : `${(run.allDeliveredAtMs / 1000).toFixed(1)} s`} after the outage began; ` +
    `attempts of each first message ${heads.join('/')}; health ${run.health.checks} checks, slowest ${run.health.slowestMs} ms; ` +
    `proxy ${JSON.stringify(stats)}; errors seen: ${errors.join(' | ') || '(none)'}`
  );
}

/** down → beneficiaries' messages at SEND_AT_MS → up at OUTAGE_MS → wait (bounded) → the checks every channel shares. */
async function outboundOutage(name: string, s: Scenario, mode: OutageMode, expect: ExpectStatic, during = () => s.during()): Promise<Run> {
  await warm(s);
  const lastId = Math.max(0, ...outboxRows(s.gw, s.channel).map((r) => r.id));
  const fresh = () => outboxRows(s.gw, s.channel).filter((r) => r.id > lastId);
  const deliveredBefore = s.delivered().length;

  const health = watchHealth(s.gw);
  const t0 = Date.now();
  await s.proxy.down(mode);
  await sleep(t0 + SEND_AT_MS - Date.now());
  await during();
  await sleep(t0 + OUTAGE_MS - Date.now());
  const deliveredDuringOutage = s.delivered().length - deliveredBefore;
  const pendingAtUp = fresh();
  await s.proxy.up();

  const done = await until(() => {
    const rows = fresh();
    return rows.length > 0 && rows.every((r) => r.status === 'sent') && s.delivered().length - deliveredBefore >= sends(rows).length;
  }, t0 + DELIVERED_BY_MS);
  const allDeliveredAtMs = done ? Date.now() - t0 : undefined;
  // A duplicate sent late would land in this window.
  await sleep(1500);
  const run: Run = { rows: fresh(), got: s.delivered().slice(deliveredBefore), deliveredDuringOutage, allDeliveredAtMs, health: await health.stop() };
  console.log(describeRun(name, mode, run, s));

  expect(deliveredDuringOutage, 'nothing reaches a provider that is down').toBe(0);
  expect(pendingAtUp.length, 'messages were waiting when the provider came back').toBeGreaterThan(0);
  expect(pendingAtUp.every((r) => r.status === 'pending')).toBe(true);
  expect(allDeliveredAtMs, `everything delivered within ${DELIVERED_BY_MS / 1000} s of the outage start`).toBeDefined();
  checkDelivery(s, run, expect);
  // The outage was felt: each recipient's first message was refused again and again before it went through.
  for (const address of s.recipients) expect(run.rows.find((r) => r.address === address)?.attempts, `attempts for ${address}`).toBeGreaterThanOrEqual(4);
  if (mode === '503') expect(s.proxy.stats().answered503).toBeGreaterThanOrEqual(4 * s.recipients.length);
  if (mode === 'hang') expect(s.proxy.stats().hung).toBeGreaterThanOrEqual(4 * s.recipients.length);
  return run;
}

/** (a) all delivered, (b) exactly once, (c) in order per recipient, (d) health throughout, (e) nothing failed. */
function checkDelivery(s: Scenario, run: Run, expect: ExpectStatic): void {
  const { rows, got } = run;
  expect(rows.map((r) => r.status), 'every message sent').toEqual(rows.map(() => 'sent'));
  expect([...new Set(rows.map((r) => r.address))].sort()).toEqual([...s.recipients].sort());
  // One send per row, or per run of rows combined into one SMS: each message reaches the provider exactly once.
  expect(got.length, 'the provider got each message exactly once').toBe(sends(rows).length);
  for (const address of s.recipients) {
    const want = sends(rows.filter((r) => r.address === address)).map((x) => x.text);
    expect(want.length).toBeGreaterThan(0);
    expect(got.filter((d) => d.address === address).map((d) => norm(d.text)), `what ${address} received, in order`).toEqual(want);
  }
  expect(failures(s.gw), 'nothing marked failed').toEqual({ outbox: [], messages: [] });
  expect(s.logs.messages('outbound message failed')).toEqual([]);
  expect(s.logs.messages('outbound worker tick failed')).toEqual([]);
  // Nothing logged at error level or above (an inbound event that failed, a poller or worker that died).
  expect(s.logs.lines.filter((l) => l.level >= 50).map((l) => l.msg)).toEqual([]);
  expect(run.health.failures, '/health answered throughout').toEqual([]);
  expect(run.health.checks).toBeGreaterThan(OUTAGE_MS / 1000);
  expect(s.gw.app.server.listening).toBe(true);
}

/** Mails arrive at the IMAP server while the gateway cannot reach it; they are read, stored once, in order, and answered. */
async function imapOutage(s: EmailScenario, expect: ExpectStatic): Promise<void> {
  await warm(s);
  const lastId = Math.max(0, ...outboxRows(s.gw, 'email').map((r) => r.id));
  const fresh = () => outboxRows(s.gw, 'email').filter((r) => r.id > lastId);
  const deliveredBefore = s.delivered().length;
  const inbound = () =>
    (s.gw.db.$client.prepare(`select external_id from messages where channel = 'email' and direction = 'in' order by id`).pluck().all() as string[]).filter((id) =>
      id.startsWith('<outage-'),
    );
  const [mona, fahad, huda] = s.recipients as [string, string, string];
  // Spread over the outage; mona writes twice.
  const plan: [number, string, string][] = [
    [5_000, mona, 'outage-1'],
    [8_000, fahad, 'outage-2'],
    [10_000, mona, 'outage-3'],
    [15_000, huda, 'outage-4'],
  ];
  const logins = () => s.imap.calls('LOGIN').length;
  const loginsBefore = logins();

  const health = watchHealth(s.gw);
  const t0 = Date.now();
  await s.proxy.down('refuse');
  for (const [at, from, id] of plan) {
    await sleep(t0 + at - Date.now());
    s.imap.deliver(mail({ from, name: 'مستفيد', id, text: `السلام عليكم (${id})` }));
  }
  await sleep(t0 + OUTAGE_MS - Date.now());
  const loginsDuring = logins() - loginsBefore;
  const storedDuring = inbound().length;
  const pollFailures = s.logs.messages('IMAP poll failed').length;
  await s.proxy.up();

  const done = await until(() => {
    const rows = fresh();
    const answered = new Set(rows.map((r) => r.address)).size === 3;
    return inbound().length >= plan.length && answered && rows.every((r) => r.status === 'sent') && s.delivered().length - deliveredBefore >= rows.length;
  }, t0 + DELIVERED_BY_MS);
  const allDeliveredAtMs = done ? Date.now() - t0 : undefined;
  await sleep(1500);
  const run: Run = { rows: fresh(), got: s.delivered().slice(deliveredBefore), deliveredDuringOutage: storedDuring, allDeliveredAtMs, health: await health.stop() };
  console.log(`${describeRun('email in (IMAP polling)', 'refuse', run, s)}; IMAP polls refused during the outage: ${pollFailures}`);

  expect(loginsDuring, 'no IMAP session reached the server while it was down').toBe(0);
  expect(storedDuring, 'nothing stored while the server was unreachable').toBe(0);
  expect(pollFailures, 'the poller kept trying (and backing off) during the outage').toBeGreaterThanOrEqual(3);
  expect(allDeliveredAtMs, `all mail read and answered within ${DELIVERED_BY_MS / 1000} s of the outage start`).toBeDefined();
  // Each mail stored exactly once, in the order it arrived.
  expect(inbound()).toEqual(plan.map(([, , id]) => `<${id}@example.sa>`));
  expect(s.imap.mails.every((m) => m.flags.has('\\Seen')), 'every mail marked read once stored').toBe(true);
  checkDelivery(s, run, expect);
}

describe.concurrent('a provider outage of a minute', () => {
  test('Telegram: the Bot API answers 503 for a minute', { timeout: TEST_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
    const s = await telegramScenario();
    onTestFinished(() => s.close());
    await outboundOutage('Telegram', s, '503', expect);
  });

  test('WhatsApp Cloud API: Graph accepts connections and never answers for a minute', { timeout: TEST_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
    const s = await whatsappScenario();
    onTestFinished(() => s.close());
    await outboundOutage('WhatsApp Cloud API', s, 'hang', expect);
  });

  test('SMS via Twilio: connections refused for a minute', { timeout: TEST_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
    const s = await twilioScenario();
    onTestFinished(() => s.close());
    await outboundOutage('SMS via Twilio', s, 'refuse', expect);
  });

  test('SMS via Unifonic: notifications while Unifonic never answers for a minute', { timeout: TEST_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
    const s = await unifonicScenario();
    onTestFinished(() => s.close());
    await outboundOutage('SMS via Unifonic', s, 'hang', expect);
  });

  test('email: the SMTP server accepts and never greets (out), the IMAP server refuses (in), a minute each', { timeout: TEST_TIMEOUT_MS }, async ({ expect, onTestFinished }) => {
    const [out, inn] = await Promise.all([emailScenario('smtp'), emailScenario('imap')]);
    onTestFinished(async () => {
      await out.close();
      await inn.close();
    });
    // Both sides at once, so the whole suite takes one outage of wall time; each fails with its own message.
    const results = await Promise.allSettled([outboundOutage('email out (SMTP)', out, 'hang', expect), imapOutage(inn, expect)]);
    const problems = results.flatMap((r, i) => (r.status === 'rejected' ? [`${i === 0 ? 'SMTP out' : 'IMAP in'}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
    expect(problems).toEqual([]);
  });
});
