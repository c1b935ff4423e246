// Telegram long polling: getUpdates in a loop, emitting each update before confirming it via the offset.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Telegram } from 'telegraf';
import type { Emit, Logger } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { normalizeTelegramUpdate } from './normalize.ts';
import { apiSignal, toSendError } from './send.ts';

export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollOptions {
  logger: Logger;
  pollTimeoutSeconds: number;
  requestTimeoutMs: number;
  backoff: { minMs: number; maxMs: number };
}

/** Runs until `signal` aborts; never throws for API or emit failures (it logs and backs off instead). */
export async function runPolling(telegram: Telegram, emit: Emit, signal: AbortSignal, opts: PollOptions): Promise<void> {
  const { logger, backoff } = opts;
  try {
    await telegram.callApi('deleteWebhook', {}, { signal: apiSignal(opts.requestTimeoutMs, signal) });
  } catch (err) {
    // getUpdates answers 409 while a webhook is still set; the loop below reports that and backs off.
    if (!signal.aborted) {
      logger.warn({ channel: 'telegram', error: toSendError(err, 'deleteWebhook').message }, 'Telegram deleteWebhook failed');
    }
  }
  let offset = 0;
  let delay = backoff.minMs;
  const pause = async (ms: number) => {
    await sleep(ms, undefined, { signal }).catch(() => undefined);
    delay = Math.min(delay * 2, backoff.maxMs);
  };

  while (!signal.aborted) {
    let updates;
    try {
      const payload = { timeout: opts.pollTimeoutSeconds, limit: 100, offset, allowed_updates: [...ALLOWED_UPDATES] };
      // The margin over the poll timeout catches a long poll that a middlebox silently dropped.
      const pollSignal = apiSignal((opts.pollTimeoutSeconds + 15) * 1000, signal);
      updates = await telegram.callApi('getUpdates', payload, { signal: pollSignal });
    } catch (err) {
      if (signal.aborted) break;
      const error = toSendError(err, 'getUpdates');
      // 401 (bad token) and 409 (webhook still set, or a second poller) need an operator; the rest heal.
      const level = error.retryable ? 'warn' : 'error';
      logger[level]({ channel: 'telegram', error: error.message, retryInMs: delay }, 'Telegram getUpdates failed');
      await pause(Math.max(delay, error.retryAfterMs ?? 0));
      continue;
    }
    delay = backoff.minMs;
    for (const update of updates) {
      if (signal.aborted) break;
      let events: NormalizedInbound[];
      try {
        events = normalizeTelegramUpdate(update);
      } catch (err) {
        // Telegram would return the same bytes forever; skipping is the only way forward.
        logger.warn({ channel: 'telegram', updateId: update.update_id, err }, 'Telegram update skipped: unexpected shape');
        offset = update.update_id + 1;
        continue;
      }
      try {
        for (const event of events) await emit(event);
      } catch (err) {
        // The offset stays put, so the update comes back on the next getUpdates; dedupe absorbs partial work.
        logger.error({ channel: 'telegram', updateId: update.update_id, err, retryInMs: delay }, 'Telegram update not stored; will retry');
        await pause(delay);
        break;
      }
      offset = update.update_id + 1;
    }
  }
}
