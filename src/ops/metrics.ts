// The gateway's Prometheus metrics: one prom-client Registry per gateway (several gateways share a test process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SendMetrics } from '../core/metrics.ts';
import type { EventBus } from '../conversations/events.ts';
import type { OutboxStats } from '../outbound/stats.ts';

/** Long-lived client connections, by kind. */
export type LiveKind = 'inbox_sse' | 'webchat_ws';

export interface GatewayMetrics {
  registry: Registry;
  /** Handed to the outbound worker. */
  send: SendMetrics;
  /** Counts one open connection; call the returned function when it closes (idempotent). */
  connectionOpened(kind: LiveKind): () => void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; text: string }>;
}

export interface MetricsDeps {
  bus: EventBus;
  /** Read at scrape time, so a scrape shows the outbox as the database holds it. */
  outbox: () => OutboxStats;
}

export function createMetrics(deps: MetricsDeps): GatewayMetrics {
  const registry = new Registry();
  // Process CPU, memory, handles and nodejs_eventloop_lag_seconds (with its percentiles).
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const inbound = new Counter({ name: 'tawasul_inbound_messages_total', help: 'Messages received from beneficiaries, by channel', labelNames: ['channel'], registers: [registry] });
  const queued = new Counter({ name: 'tawasul_replies_queued_total', help: 'Replies (bot, officer, notifications) stored for sending, by channel', labelNames: ['channel'], registers: [registry] });
  const sent = new Counter({ name: 'tawasul_replies_sent_total', help: 'Outbox rows the provider accepted, by channel', labelNames: ['channel'], registers: [registry] });
  const failures = new Counter({ name: 'tawasul_send_failures_total', help: 'Send attempts that failed, by channel and outcome (retry, rerouted, failed)', labelNames: ['channel', 'outcome'], registers: [registry] });
  const latency = new Histogram({
    name: 'tawasul_send_duration_seconds',
    help: 'Time the provider took to answer a send, by channel',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const live = new Gauge({ name: 'tawasul_live_connections', help: 'Open live connections: the inbox feed (SSE) and the web chat widget (WebSocket)', labelNames: ['kind'], registers: [registry] });
  for (const kind of ['inbox_sse', 'webchat_ws'] satisfies LiveKind[]) live.set({ kind }, 0);

  let latest: OutboxStats | undefined;
  // One database read per scrape, shared by the three outbox gauges (prom-client collects them one by one).
  const read = () => {
    latest ??= deps.outbox();
    queueMicrotask(() => {
      latest = undefined;
    });
    return latest;
  };
  new Gauge({
    name: 'tawasul_outbox_pending',
    help: 'Outbox rows waiting to be sent, by channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of read().channels) this.set({ channel: c.channel }, c.pending);
    },
  });
  new Gauge({
    name: 'tawasul_outbox_oldest_due_seconds',
    help: 'How long the oldest due outbox row has waited past its due time, by channel',
    labelNames: ['channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of read().channels) this.set({ channel: c.channel }, c.oldestDueSeconds);
    },
  });
  new Gauge({
    name: 'tawasul_dead_letters',
    help: 'Messages that failed for good (the inbox failed list)',
    registers: [registry],
    collect() {
      this.set(read().deadLetters);
    },
  });

  deps.bus.onMessage(({ message }) => {
    if (message.direction === 'in') inbound.inc({ channel: message.channel });
    else queued.inc({ channel: message.channel });
  });

  return {
    registry,
    send: {
      sent(channel, seconds, parts) {
        latency.observe({ channel }, seconds);
        sent.inc({ channel }, parts);
      },
      failed(channel, seconds, outcome) {
        latency.observe({ channel }, seconds);
        failures.inc({ channel, outcome });
      },
    },
    connectionOpened(kind) {
      live.inc({ kind });
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        live.dec({ kind });
      };
    },
    async render() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
