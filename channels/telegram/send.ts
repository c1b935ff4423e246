// Telegram outbound: build sendMessage payloads and map telegraf failures to honest AppErrors.
import type { Telegram } from 'telegraf';
import { AppError } from '../../src/core/errors.ts';
import type { SendContext } from '../../src/core/channel.ts';
import type { OutboundMessage, SendResult } from '../../src/core/messages.ts';

// Telegram rejects callback_data over 64 bytes; ASCII keeps bytes == characters for choice ids.
const CALLBACK_DATA = /^[\x20-\x7e]{1,64}$/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

type CallSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal'];

/**
 * Aborts when any signal does, or after timeoutMs. telegraf types `signal` as the abort-controller
 * polyfill; node-fetch v2 underneath accepts Node's own AbortSignal (it checks the constructor name).
 */
export function apiSignal(timeoutMs: number, ...signals: AbortSignal[]): CallSignal {
  return AbortSignal.any([...signals, AbortSignal.timeout(timeoutMs)]) as unknown as CallSignal;
}

interface TelegramFailure {
  response: { error_code: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };
}

function isTelegramFailure(err: unknown): err is TelegramFailure {
  const response = (err as { response?: { error_code?: unknown } } | null)?.response;
  return typeof response === 'object' && response !== null && typeof response.error_code === 'number';
}

function networkCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { name?: unknown; code?: unknown; type?: unknown };
  // node-fetch v2 (used by telegraf): FetchError with a system code, or AbortError from our timeout signal.
  if (e.name === 'AbortError') return 'TIMEOUT';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
  if (e.name === 'FetchError') return typeof e.code === 'string' ? e.code : String(e.type ?? 'FETCH_ERROR');
  return undefined;
}

/** Maps a telegraf failure; the message carries only Telegram's description or a network code, never the token or URL. */
export function toSendError(err: unknown, method: string): AppError {
  if (isTelegramFailure(err)) {
    const { error_code: status, description = '', parameters } = err.response;
    const retryAfter = parameters?.retry_after;
    const retryable = status === 429 || status >= 500;
    return new AppError('ERR_CHANNEL_SEND', `Telegram ${method} failed: ${status} ${description}`.trim(), {
      retryable,
      ...(status === 429 && retryAfter !== undefined ? { retryAfterMs: retryAfter * 1000 } : {}),
      details: { channel: 'telegram', method, status, description, ...(parameters ? { parameters } : {}) },
    });
  }
  const code = networkCode(err);
  if (code !== undefined) {
    return new AppError('ERR_CHANNEL_SEND', `Telegram ${method} failed: network error ${code}`, {
      retryable: true,
      details: { channel: 'telegram', method, network: code },
    });
  }
  // Unknown errors are bugs on our side; retrying the same call would fail the same way.
  const name = err instanceof Error ? err.name : typeof err;
  return new AppError('ERR_CHANNEL_SEND', `Telegram ${method} failed: unexpected ${name}`, {
    details: { channel: 'telegram', method },
  });
}

function inlineKeyboard(message: OutboundMessage) {
  if (!message.buttons || message.buttons.length === 0) return undefined;
  for (const b of message.buttons) {
    if (!CALLBACK_DATA.test(b.id)) {
      throw new AppError('ERR_CHANNEL_SEND', 'Telegram button id must be printable ASCII, 1–64 bytes', {
        details: { channel: 'telegram', buttonId: b.id },
      });
    }
  }
  // One button per row: Arabic labels are long and Telegram truncates side-by-side buttons.
  return { inline_keyboard: message.buttons.map((b) => [{ text: b.label, callback_data: b.id }]) };
}

// Photos Telegram shows inline; anything else (HEIC, PDF…) goes as a document with its file name.
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const CAPTION_MAX = 1024;

/** A file an officer sent: sendPhoto or sendDocument as multipart, the text (if any) as its caption. */
async function sendTelegramFile(telegram: Telegram, address: string, message: OutboundMessage, context: SendContext | undefined, timeoutMs: number): Promise<SendResult> {
  const media = message.media;
  if (!media) throw new AppError('ERR_INTERNAL', 'no media');
  if (!context?.readMedia) throw new AppError('ERR_CHANNEL_SEND', 'Telegram file send needs the stored file', { details: { channel: 'telegram', reason: 'no_media_reader' } });
  const file = await context.readMedia(media.attachmentId);
  const photo = media.kind === 'image' && PHOTO_TYPES.has(file.mime);
  const method = photo ? 'sendPhoto' : 'sendDocument';
  const caption = message.text.trim().slice(0, CAPTION_MAX);
  const input = { source: file.data, filename: media.name ?? file.name ?? (photo ? 'photo.jpg' : 'document') };
  try {
    const sent = await telegram.callApi(
      method,
      { chat_id: address, ...(photo ? { photo: input } : { document: input }), ...(caption ? { caption } : {}) } as never,
      { signal: apiSignal(timeoutMs) },
    );
    return { externalId: String((sent as { message_id: number }).message_id) };
  } catch (err) {
    throw toSendError(err, method);
  }
}

export async function sendTelegramMessage(
  telegram: Telegram,
  address: string,
  message: OutboundMessage,
  timeoutMs: number,
  context?: SendContext,
): Promise<SendResult> {
  if (message.media) return sendTelegramFile(telegram, address, message, context, timeoutMs);
  const reply_markup = inlineKeyboard(message);
  try {
    const sent = await telegram.callApi(
      'sendMessage',
      { chat_id: address, text: message.text, ...(reply_markup ? { reply_markup } : {}) },
      { signal: apiSignal(timeoutMs) },
    );
    return { externalId: String(sent.message_id) };
  } catch (err) {
    throw toSendError(err, 'sendMessage');
  }
}
