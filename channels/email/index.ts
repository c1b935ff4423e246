// The email channel adapter: nodemailer over SMTP for sending, imapflow polling of INBOX for receiving.
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { createTransport, type Transporter } from 'nodemailer';
import type { ChannelAdapter, ChannelCapabilities, Logger } from '../../src/core/channel.ts';
import { AppError } from '../../src/core/errors.ts';
import { EMAIL, type EmailConfig } from './config.ts';
import { MediaCache, type MediaCacheLimits } from './media-cache.ts';
import { runImapPolling } from './poll.ts';
import { composeMail, readAttachment, toSendError, type ThreadState } from './send.ts';

export type { EmailConfig } from './config.ts';
export { emailConfigFromEnv } from './config.ts';
export { stripQuoted } from './quote.ts';

export const emailCapabilities: ChannelCapabilities = {
  maxTextLength: 20_000,
  buttons: null,
  media: true,
  canInitiate: true,
  replyWindowHours: null,
  // The outbox reference becomes the Message-ID, and receivers drop a second mail with the same one.
  reference: 'idempotent',
  // Gmail / Workspace accept about 2,000 messages a day; one a second stays far from that in bursts.
  rate: { perSecond: 1, perRecipientPerSecond: 1, perRecipientBurst: 5 },
};

export interface EmailDeps {
  logger: Logger;
  /** Injected for tests; by default `createTransport(SMTP_URL)`. */
  transport?: Transporter;
  /** Injected for tests; by default `new ImapFlow(options)`. */
  imapClientFactory?: (options: ImapFlowOptions) => ImapFlow;
  now?: () => Date;
  /** Overrides EMAIL_POLL_SECONDS (tests poll every few milliseconds). */
  pollMs?: number;
  /** Back-off after a failed poll: doubles from min to max (default 5 s → 5 min). */
  backoff?: { minMs: number; maxMs: number };
  /** Where inbound attachment bytes wait for fetchMedia (default 50 MB in all, 10 minutes each). */
  mediaCache?: MediaCacheLimits;
}

// Only the last inbound mail per address is needed to thread a reply; it is fine to lose this on restart.
const THREADS_MAX = 5_000;

export function createEmailAdapter(config: EmailConfig, deps: EmailDeps): ChannelAdapter {
  const { logger } = deps;
  const transport = deps.transport ?? createTransport(config.smtpUrl);
  const now = deps.now ?? (() => new Date());
  // Per address: the last mail whose sender was proven, and the last one whose sender only claimed the address.
  const threads = new Map<string, { proven?: ThreadState; claimed?: ThreadState }>();
  const media = new MediaCache(deps.mediaCache ?? { maxBytes: 50 * 1024 * 1024, ttlMs: 10 * 60_000 });
  let polling: { controller: AbortController; done: Promise<void> } | undefined;

  function remember(address: string, state: ThreadState, proven: boolean): void {
    const known = threads.get(address) ?? {};
    threads.delete(address);
    threads.set(address, proven ? { ...known, proven: state } : { ...known, claimed: state });
    if (threads.size > THREADS_MAX) threads.delete(threads.keys().next().value as string);
  }

  function imapClient(): ImapFlow {
    const imap = config.imap;
    if (!imap) throw new Error('IMAP_URL is not set');
    const options: ImapFlowOptions = {
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user ?? '', pass: imap.pass ?? '' },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 30_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    };
    return (deps.imapClientFactory ?? ((o) => new ImapFlow(o)))(options);
  }

  return {
    id: 'email',
    capabilities: emailCapabilities,

    async start(emit) {
      if (!config.imap) {
        logger.info({ channel: 'email' }, 'email is outbound only: IMAP_URL is not set');
        return;
      }
      if (polling) return;
      if (!config.authservId) {
        logger.warn(
          { channel: 'email' },
          'EMAIL_AUTHSERV_ID is not set: no sender address can be proven, so every mail is stored as «sender not verified» and joins no beneficiary; set it to the authserv-id your mail server writes in Authentication-Results',
        );
      }
      const controller = new AbortController();
      const done = runImapPolling(emit, controller.signal, {
        logger,
        client: imapClient,
        pollMs: deps.pollMs ?? config.pollSeconds * 1000,
        backoff: deps.backoff ?? { minMs: 5_000, maxMs: 300_000 },
        ownAddress: config.from.address,
        maxBytes: config.maxBytes,
        authservId: config.authservId,
        now,
        stash: (ref, file) => media.put(ref, file),
        remember: (address, mail, messageId, proven) => {
          const refs = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
          remember(address, { messageId, references: refs, subject: mail.subject }, proven);
        },
      }).catch((err: unknown) => logger.error({ channel: 'email', err }, 'IMAP polling stopped unexpectedly'));
      polling = { controller, done };
      logger.info({ channel: 'email', host: config.imap.host, everySeconds: config.pollSeconds }, 'IMAP polling started');
    },

    async stop() {
      // The SMTP transport is not pooled (a connection per mail), so the worker may still send after this.
      const current = polling;
      polling = undefined;
      if (!current) return;
      current.controller.abort();
      // Waits for an in-flight emit so shutdown does not close the database under it.
      await current.done;
      media.clear();
    },

    async fetchMedia(ref, { maxBytes }) {
      const file = media.take(ref);
      if (!file) {
        throw new AppError('ERR_NOT_FOUND', 'email attachment not found: its bytes are held in memory only until fetched, and for a few minutes at most', {
          retryable: false,
        });
      }
      if (file.data.length > maxBytes) {
        throw new AppError('ERR_PAYLOAD_TOO_LARGE', `email attachment is ${file.data.length} bytes, over the ${maxBytes}-byte limit`, {
          retryable: false,
          details: { size: file.data.length, maxBytes },
        });
      }
      return file;
    },

    async send(address, message, context) {
      const to = address.trim().toLowerCase();
      if (!EMAIL.test(to)) throw new AppError('ERR_CHANNEL_SEND', 'email send failed: not an email address', { retryable: false });
      // A forged mail never sets the subject and thread of answers to someone whose own mail was proven.
      const known = threads.get(to);
      const thread = known?.proven ?? known?.claimed;
      const attachment = message.media ? await readAttachment(message.media, context) : undefined;
      const mail = composeMail(config, to, message.text, thread, { reference: context?.reference, attachment });
      try {
        const info = (await transport.sendMail(mail)) as { messageId?: string };
        return info.messageId ? { externalId: info.messageId } : {};
      } catch (err) {
        throw toSendError(err);
      }
    },
  };
}
