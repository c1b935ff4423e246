// The channel contract: every adapter in channels/<id> implements ChannelAdapter.
import type { ChannelId, NormalizedInbound, OutboundMessage, SendResult } from './messages.ts';

/** What a channel can show, as data; src/outbound renders every reply to fit these. */
export interface ChannelCapabilities {
  /** Longest text in one message; longer texts are split. */
  maxTextLength: number;
  /** Quick-reply buttons, or null when the channel has none (choices become a numbered list). */
  buttons: { max: number; labelMax: number } | null;
  /** Pick-lists for choices too many or too long for buttons (WhatsApp: 10 rows, 24-char titles, 20-char button). */
  list?: { maxRows: number; titleMax: number; buttonMax: number } | null;
  media: boolean;
  /** Whether the gateway may write first (false: only inside a reply window). */
  canInitiate: boolean;
  /** Hours after the user's last message during which free-form replies are allowed; null = no window. */
  replyWindowHours: number | null;
  /**
   * Whether plain-text apps may reorder numbers and references inside Arabic here, so the renderer wraps them
   * in Unicode isolates (default true). Front ends that render HTML with <bdi> say false.
   */
  bidiIsolation?: boolean;
  /**
   * What the provider does with SendContext.reference, which decides what the worker does after a crash
   * between the provider accepting a message and our commit:
   * - 'echoed': it comes back in delivery reports (WhatsApp biz_opaque_callback_data, a Twilio status callback
   *   URL), so an in-doubt send waits for that report before it is sent again;
   * - 'idempotent': a second send with the same reference is dropped downstream (an email Message-ID);
   * - 'none' (default): the provider cannot tell, so an in-doubt send is sent again (never lost).
   */
  reference?: 'echoed' | 'idempotent' | 'none';
  /** Outbound pacing: messages per second for the whole sender, and per recipient with a small burst. */
  rate: { perSecond: number; perRecipientPerSecond: number; perRecipientBurst: number };
}

/** The pieces of an HTTP request a webhook verifier may read. */
export interface WebhookRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received; signatures are computed over these. */
  rawBody: Buffer;
  /** The parsed body (JSON or form fields). */
  body: unknown;
  /** The public URL the provider called (for schemes that sign the URL). */
  url: string;
  query: Record<string, string | undefined>;
}

/** A provider's report on something we sent (WhatsApp statuses, Twilio status callbacks). */
export interface DeliveryUpdate {
  /** The provider's id returned by send() (`SendResult.externalId`). */
  externalId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  at?: Date;
  /** Provider error code/description for `failed`. */
  error?: string;
  /** Our SendContext.reference, when the provider echoes it (finds a send whose commit a crash lost). */
  reference?: string;
}

/** What the worker knows about a recipient when sending (for reply windows and language). */
export interface SendContext {
  /** When this address last wrote to us (ISO), if ever: WhatsApp's 24-hour window is measured from it. */
  lastInboundAt?: string;
  /**
   * Our own stable reference for this outbox row (ASCII letters, digits, '-', '.'; at most 64 chars), the same on
   * every attempt. Pass it to the provider where it accepts one (see ChannelCapabilities.reference).
   */
  reference?: string;
  /** The bytes of an OutboundMessage.media attachment (reads the stored file). */
  readMedia?(attachmentId: string): Promise<{ data: Buffer; mime: string; name?: string }>;
}

/** Bytes a channel downloaded for an inbound media `ref`. */
export interface FetchedMedia {
  data: Buffer;
  /** The provider's content type, when it gives one. */
  mime?: string;
  name?: string;
}

export interface WebhookHandler {
  /** Route path, e.g. `/webhooks/telegram`. */
  path: string;
  /** Required: true only when the request provably comes from the provider. No default accepts everything. */
  verify(req: WebhookRequest): boolean;
  /** Pure: zod-parse the raw body and return zero or more normalized events (ignored update kinds give []). */
  normalize(body: unknown): NormalizedInbound[];
  /** Optional GET handshake (WhatsApp); returns the text to answer, or null for 403. */
  handshake?(query: Record<string, string | undefined>): string | null;
  /**
   * Delivery reports carried by the same or a dedicated webhook; applied as a monotonic max. `query` is the
   * callback URL's query string (Twilio status callbacks carry our reference there).
   */
  statuses?(body: unknown, query?: Record<string, string | undefined>): DeliveryUpdate[];
}

export type Emit = (event: NormalizedInbound) => Promise<void>;

/** Where long-lived channels hand the delivery reports they receive (the same path webhooks' `statuses` take). */
export type ReportDeliveries = (updates: readonly DeliveryUpdate[]) => void;

/** A live link's state (WhatsApp Web): shown to admins on the Channels page. */
export interface ChannelLinkStatus {
  state: 'starting' | 'qr' | 'ready' | 'disconnected';
  /** ISO time the state began. */
  since?: string;
  /** The pairing string while state is 'qr' (drawn as a QR code for admins, never logged). */
  qr?: string;
}

export interface ChannelAdapter {
  readonly id: ChannelId;
  readonly capabilities: ChannelCapabilities;
  /** Present for channels that receive over HTTP webhooks. */
  readonly webhook?: WebhookHandler;
  /** More webhook routes of the same channel (e.g. Twilio's status callback at its own path). */
  readonly extraWebhooks?: readonly WebhookHandler[];
  /**
   * Long-lived receivers (polling, sockets) start here and call `emit` per event, and `deliveries` with the
   * delivery reports they receive outside webhooks (WhatsApp Web's acks).
   */
  start?(emit: Emit, deliveries?: ReportDeliveries): Promise<void>;
  /** Channels with a live link report its state (absent: the channel is simply on). */
  status?(): ChannelLinkStatus;
  stop?(): Promise<void>;
  /**
   * Called once an inbound event is committed, for provider acknowledgements that are not messages
   * (e.g. Telegram answerCallbackQuery). Failures are logged, never retried.
   */
  acknowledge?(event: NormalizedInbound): Promise<void>;
  /**
   * Download the bytes behind an inbound media content's `ref` (after the message is committed). Refuses more
   * than `maxBytes` with AppError('ERR_PAYLOAD_TOO_LARGE'); network/provider failures throw
   * AppError('ERR_CHANNEL_SEND', …, { retryable }).
   */
  fetchMedia?(ref: string, opts: { maxBytes: number }): Promise<FetchedMedia>;
  /**
   * Send one rendered message part. Called only by the outbound worker.
   * Throws AppError('ERR_CHANNEL_SEND', ..., { retryable, retryAfterMs }).
   */
  send(address: string, message: OutboundMessage, context?: SendContext): Promise<SendResult>;
}

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}
