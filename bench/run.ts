// `npm run bench`: inbound messages/s (web chat vs. a minimal reference route; signed WhatsApp and Twilio webhooks)
// with latency, WhatsApp outbound pacing against a fake Graph API that enforces 80 messages in any second, and
// ingest and inbox search with 1,000,000 stored messages (bench/large.ts).
import fs from 'node:fs';
import { BenchGraph, BenchTwilio, peakInWindow } from './fakes.ts';
import { CONCURRENCY, closeAgent, fixedRate, fmt, post, postJson, saturate, startServer, type Send } from './load.ts';
import { loadFlows } from '../src/flows/loader.ts';
import { createI18n } from '../src/i18n/index.ts';
import { classifierForFlows } from '../src/nlu/classifier.ts';
import { large, PEOPLE, PER_CONVERSATION, printLarge } from './large.ts';
import { TWILIO, WA, saudiMobile, twilioSms, whatsappText } from './webhooks.ts';

const SESSIONS = 200;
const SATURATE_MS = 6000;
const FIXED_RATE = 1000;
const FIXED_MS = 5000;
const WEBHOOK_SENDERS = 2000;
const WEBHOOK_WARM_MS = 3000;
const WEBHOOK_MS = 6000;
const NOTIFICATIONS = 2000;
const WA_RATE = 80;
const DRAIN_TIMEOUT_MS = 90_000;

const is202 = (s: number) => s === 202;
const is2xx = (s: number) => s >= 200 && s < 300;
// Each sender alternates: open enquiries ("1"), then back to the main menu ("0"): every message runs a bot step.
const TEXTS = ['1', '0', '2', 'القائمة'];
const textFor = (i: number, senders: number) => TEXTS[Math.floor(i / senders) % TEXTS.length] ?? '0';

function whatsappSettings(graphUrl: string): Record<string, string> {
  return {
    WHATSAPP_ACCESS_TOKEN: WA.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_GRAPH_URL: graphUrl,
    WHATSAPP_RATE_PER_SECOND: String(WA_RATE),
  };
}

async function webchat() {
  const ref = await startServer('reference');
  await saturate((i) => postJson(ref.port, '/ref/messages', { text: 'مرحبا', conv: i }).then((r) => r.status), SATURATE_MS, is202); // warm-up
  const refSat = await saturate((i) => postJson(ref.port, '/ref/messages', { text: 'مرحبا', conv: i }).then((r) => r.status), SATURATE_MS, is202);
  ref.stop();

  const gw = await startServer('gateway', {}, true);
  const tokens: string[] = [];
  for (let s = 0; s < SESSIONS; s++) {
    const r = await postJson(gw.port, '/api/webchat/sessions', { locale: s % 4 === 0 ? 'en' : 'ar' });
    tokens.push((JSON.parse(r.body) as { token: string }).token);
  }
  const send: Send = (i) => postJson(gw.port, '/api/webchat/messages', { text: textFor(i, SESSIONS) }, tokens[i % SESSIONS] ?? '').then((r) => r.status);
  await saturate(send, SATURATE_MS, is202); // warm-up
  const sat = await saturate(send, SATURATE_MS, is202);
  const fixed = await fixedRate(send, FIXED_RATE, FIXED_MS, is202);
  const rss = await gw.rss();
  gw.stop();
  return { refSat, sat, fixed, rss };
}

function twilioSettings(apiUrl: string): Record<string, string> {
  return { TWILIO_ACCOUNT_SID: TWILIO.accountSid, TWILIO_AUTH_TOKEN: TWILIO.authToken, TWILIO_FROM: TWILIO.from, TWILIO_API_URL: apiUrl, PUBLIC_URL: TWILIO.publicUrl };
}

const outboxCount = (rows: unknown, where: (r: { channel: string; status: string }) => boolean) =>
  (rows as { channel: string; status: string; n: number }[]).filter(where).reduce((n, r) => n + r.n, 0);

/** Signed WhatsApp and Twilio webhooks, saturated; the bot's replies go out through the worker to fakes that answer at once. */
async function webhooks() {
  const graph = new BenchGraph();
  const twilio = new BenchTwilio();
  const [graphUrl, twilioUrl] = await Promise.all([graph.start(), twilio.start()]);
  const gw = await startServer('gateway', { ...whatsappSettings(graphUrl), ...twilioSettings(twilioUrl) }, true);
  const sendRequest = (r: { path: string; body: string; headers: Record<string, string> }) => post(gw.port, r.path, r.body, r.headers).then((x) => x.status);
  // Own counters, so the measured run carries on where the warm-up stopped (next text, same senders).
  let waSeq = 0;
  let smsSeq = 0;
  const waSend: Send = () => {
    const i = waSeq++;
    return sendRequest(whatsappText(saudiMobile(i % WEBHOOK_SENDERS), textFor(i, WEBHOOK_SENDERS), 'عبدالله'));
  };
  const smsSend: Send = () => {
    const i = smsSeq++;
    return sendRequest(twilioSms(`+${saudiMobile(50_000 + (i % WEBHOOK_SENDERS))}`, textFor(i, WEBHOOK_SENDERS)));
  };
  // Warm-ups last until every sender has written once: the measured runs are known beneficiaries writing again.
  await saturate(waSend, WEBHOOK_WARM_MS, is2xx, WEBHOOK_SENDERS);
  const wa = await saturate(waSend, WEBHOOK_MS, is2xx);
  await saturate(smsSend, WEBHOOK_WARM_MS, is2xx, WEBHOOK_SENDERS);
  const sms = await saturate(smsSend, WEBHOOK_MS, is2xx);
  const { outbox } = await gw.send({ cmd: 'outbox' });
  const rss = await gw.rss();
  gw.stop();
  const replies = { whatsapp: graph.take().accepted.length, sms: twilio.received, pending: outboxCount(outbox, (r) => r.status === 'pending') };
  await Promise.all([graph.stop(), twilio.stop()]);
  return { wa, sms, replies, rss };
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/**
 * NOTIFICATIONS notifications queued at once to as many WhatsApp beneficiaries; the fake allows WA_RATE in any second.
 * Meanwhile one beneficiary writes by SMS: how long their bot reply waits shows whether one channel's queue holds up another.
 */
async function pacing() {
  const graph = new BenchGraph(WA_RATE);
  const twilio = new BenchTwilio();
  const [graphUrl, twilioUrl] = await Promise.all([graph.start(), twilio.start()]);
  const gw = await startServer('gateway', { ...whatsappSettings(graphUrl), ...twilioSettings(twilioUrl) }, true);
  const addresses = Array.from({ length: NOTIFICATIONS }, (_, i) => saudiMobile(200_000 + i));
  await gw.send({ cmd: 'seed', channel: 'whatsapp', addresses });
  graph.take();
  const queued = await gw.send({ cmd: 'notify', key: 'notify.application_status', params: { reference: 'TW-1446-00123', status: { t: 'status.under_study' } } });
  const sms = twilioSms(`+${saudiMobile(300_000)}`, 'السلام عليكم');
  const smsAt = performance.now();
  const smsStatus = await post(gw.port, sms.path, sms.body, sms.headers).then((r) => r.status);
  await until(() => graph.peek().accepted.length >= NOTIFICATIONS, DRAIN_TIMEOUT_MS);
  const stats = graph.take();
  await until(() => twilio.received > 0, 5000);
  const smsReplyMs = (twilio.arrivals[0] ?? NaN) - smsAt;
  // Sends are recorded in batches a moment after the provider answered.
  await new Promise((r) => setTimeout(r, 200));
  const { outbox } = await gw.send({ cmd: 'outbox' });
  gw.stop();
  await Promise.all([graph.stop(), twilio.stop()]);
  const first = stats.requests[0] ?? 0;
  const last = stats.accepted[stats.accepted.length - 1] ?? first;
  const elapsed = (last - first) / 1000;
  return {
    queuedMs: typeof queued.ms === 'number' ? queued.ms : NaN,
    delivered: stats.accepted.length,
    elapsed,
    rate: elapsed > 0 ? stats.accepted.length / elapsed : 0,
    rejected429: stats.rejected.length,
    peakAccepted: peakInWindow(stats.accepted),
    peakRequests: peakInWindow(stats.requests),
    sentRows: outboxCount(outbox, (r) => r.channel === 'whatsapp' && r.status === 'sent'),
    smsStatus,
    smsReplyMs,
  };
}

/** The intent classifier's start-up cost: built here the way the gateway builds it. */
async function classifierFigures(): Promise<void> {
  const texts = await createI18n(new URL('../locales', import.meta.url).pathname);
  const { flows } = loadFlows(new URL('../flows', import.meta.url).pathname);
  const heap = process.memoryUsage().heapUsed;
  const start = performance.now();
  const classifier = classifierForFlows(texts.lookup, flows, 'main');
  const ms = performance.now() - start;
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) classifier.classify('وين مقركم؟');
  const per = (performance.now() - t0) / 1000;
  console.log(`intent classifier: ${classifier.size} examples built in ${ms.toFixed(0)} ms, heap +${((process.memoryUsage().heapUsed - heap) / 1024 / 1024).toFixed(1)} MiB, ${per.toFixed(2)} ms per message`);
}

async function main(): Promise<void> {
  console.log(`Tawasul bench — ${SESSIONS} web chat sessions, ${CONCURRENCY} concurrent senders, Node ${process.version}`);
  const chat = await webchat();
  const hooks = await webhooks();
  const pace = await pacing();
  const history = await large();

  console.log('');
  await classifierFigures();
  console.log(`reference route (insert message + update conversation + insert outbox row):`);
  console.log(`  saturated      ${fmt(chat.refSat)}`);
  console.log(`gateway POST /api/webchat/messages (store, bot step, replies queued and sent):`);
  console.log(`  saturated      ${fmt(chat.sat)}`);
  console.log(`  at ${FIXED_RATE} msg/s  ${fmt(chat.fixed)}`);
  console.log(`  ratio gateway/reference: ${(chat.sat.rate / chat.refSat.rate).toFixed(2)}`);
  console.log(`  gateway RSS after run: ${(chat.rss / 1024 / 1024).toFixed(0)} MiB`);
  console.log(`gateway POST /webhooks/whatsapp (signed Cloud API text webhooks, ${WEBHOOK_SENDERS.toLocaleString('en')} senders; store, bot step, replies queued):`);
  console.log(`  saturated      ${fmt(hooks.wa, 'non-2xx')}`);
  console.log(`gateway POST /webhooks/twilio (signed Twilio SMS webhooks, ${WEBHOOK_SENDERS.toLocaleString('en')} senders; same):`);
  console.log(`  saturated      ${fmt(hooks.sms, 'non-2xx')}`);
  console.log(`  replies the worker sent meanwhile: WhatsApp ${hooks.replies.whatsapp}, SMS ${hooks.replies.sms} (${hooks.replies.pending} still queued, paced per sender and recipient); RSS ${(hooks.rss / 1024 / 1024).toFixed(0)} MiB`);
  console.log(`WhatsApp outbound pacing (${NOTIFICATIONS.toLocaleString('en')} notifications queued at once to as many beneficiaries, WHATSAPP_RATE_PER_SECOND=${WA_RATE}; fake Graph allows ${WA_RATE} in any 1 s window):`);
  console.log(`  delivered      ${pace.delivered} in ${pace.elapsed.toFixed(1)} s = ${pace.rate.toFixed(1)} msg/s   most in any 1 s: ${pace.peakAccepted} accepted, ${pace.peakRequests} requests   429s ${pace.rejected429}`);
  console.log(`  queued in ${(pace.queuedMs / 1000).toFixed(1)} s; outbox rows marked sent ${pace.sentRows}`);
  console.log(`  meanwhile an SMS beneficiary wrote (webhook ${pace.smsStatus}): their bot reply reached Twilio after ${Number.isNaN(pace.smsReplyMs) ? 'never (timeout)' : `${(pace.smsReplyMs / 1000).toFixed(1)} s`}`);
  const sizeFile = new URL('../web/widget/dist/size.json', import.meta.url);
  if (fs.existsSync(sizeFile)) {
    const size = JSON.parse(fs.readFileSync(sizeFile, 'utf8')) as { raw: number; gzip: number };
    console.log(`widget.js (JS + CSS): ${(size.raw / 1024).toFixed(1)} KB raw, ${(size.gzip / 1024).toFixed(1)} KB gzipped (budget 20 KB)`);
  }
  printLarge(history);
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const minRate = WA_RATE * 0.95;
  console.log('');
  console.log(`targets: >= 3,000 msg/s ${mark(chat.sat.rate >= 3000)}; ratio >= 0.3 ${mark(chat.sat.rate / chat.refSat.rate >= 0.3)}; p99 < 50 ms at ${FIXED_RATE} msg/s ${mark(chat.fixed.p99 < 50)}`);
  console.log(
    `targets: webhooks 0 non-2xx ${mark(hooks.wa.errors + hooks.sms.errors === 0)}; ` +
      `WhatsApp delivered >= ${minRate} msg/s ${mark(pace.delivered === NOTIFICATIONS && pace.rate >= minRate)}; 0 × 429 ${mark(pace.rejected429 === 0)}`,
  );
  const searchP99 = Math.max(...Object.values(history.search).map((s) => s.p99));
  console.log(
    `targets (${(PEOPLE * PER_CONVERSATION).toLocaleString('en')} messages): ingest >= 90 % of empty ${mark(history.full.rate >= 0.9 * history.empty.rate)}; ` +
      `search p99 < 100 ms ${mark(searchP99 < 100)} (worst ${searchP99.toFixed(0)} ms)`,
  );
  closeAgent();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
