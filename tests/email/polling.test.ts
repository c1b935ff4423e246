// IMAP polling with the real imapflow client against the fake IMAP responder: order, \Seen after emit, retries, stop.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { createEmailAdapter } from '../../channels/email/index.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { deferred, emailConfig, eml, IMAP_AUTH, memoryLogger, until } from './support.ts';

let imap: FakeImapServer;
let port: number;
let logger: ReturnType<typeof memoryLogger>;
let running: ChannelAdapter | undefined;

function poller(pollMs = 30): ChannelAdapter {
  running = createEmailAdapter(emailConfig(1, port), { logger, pollMs, backoff: { minMs: 20, maxMs: 100 } });
  return running;
}

beforeEach(async () => {
  imap = new FakeImapServer(IMAP_AUTH);
  ({ port } = await imap.start());
  logger = memoryLogger();
});

afterEach(async () => {
  await running?.stop?.();
  running = undefined;
  await imap.stop();
});

describe('email polling', () => {
  it('emits unseen mail in order with the Message-ID as externalId, then marks it \\Seen', async () => {
    const seen: NormalizedInbound[] = [];
    const a = imap.deliver(eml('arabic-plain'));
    await poller().start?.(async (event) => void seen.push(event));
    await until(() => seen.length === 1 && imap.seen(a));
    const b = imap.deliver(eml('arabic-reply'));
    const c = imap.deliver(eml('english-reply'));
    await until(() => seen.length === 3 && imap.seen(c));
    expect(imap.seen(b)).toBe(true);
    expect(seen.map((e) => e.externalId)).toEqual([
      '<CAF-arabic-plain-1@mail.example.sa>',
      '<CAF-arabic-reply-2@mail.gmail.com>',
      '<english-reply-3@example.com>',
    ]);
    expect(seen[0]).toMatchObject({
      channel: 'email',
      address: 'noura.alotaibi@example.sa',
      sender: { displayName: 'نورة العتيبي' },
      content: { type: 'text', text: 'السلام عليكم ورحمة الله\nأرغب في التقديم على المساعدة الشهرية.\n\nنورة' },
    });
    // Quoted history is cut from replies; only the new words reach the flow.
    expect(seen[1]?.content).toEqual({ type: 'text', text: 'نعم، رقم الطلب صحيح وشكراً لكم.' });
    expect(seen[1]?.raw).toMatchObject({ replyKey: '0123456789ab' });
    expect(seen[2]?.content).toEqual({ type: 'text', text: 'Yes, Thursday evening works for me.' });
    // Never a plain FETCH of BODY[…] (that would set \Seen before the mail is stored): headers and source are PEEKed.
    const fetches = imap.commands.filter((c) => /FETCH/.test(c.name)).map((c) => c.args);
    expect(fetches.some((args) => /BODY\.PEEK\[\]/i.test(args))).toBe(true);
    expect(fetches.filter((args) => /BODY\[/i.test(args))).toEqual([]);
    expect(logger.text()).not.toContain(IMAP_AUTH.pass);
  });

  it('reads an HTML-only mail as text', async () => {
    const seen: NormalizedInbound[] = [];
    imap.deliver(eml('html-only'));
    await poller().start?.(async (event) => void seen.push(event));
    await until(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ address: 'umfahad@example.sa', sender: { displayName: 'أم فهد' } });
    expect(seen[0]?.content).toEqual({ type: 'text', text: 'مرحبا، أحتاج مساعدة في دفع الإيجار.\nشكراً' });
  });

  it('marks a mail \\Seen only after emit has resolved', async () => {
    const gate = deferred();
    const seen: string[] = [];
    const a = imap.deliver(eml('arabic-plain'));
    const b = imap.deliver(eml('english-reply'));
    await poller().start?.(async (event) => {
      seen.push(event.externalId);
      if (seen.length === 1) await gate.promise;
    });
    await until(() => seen.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toHaveLength(1);
    expect([imap.seen(a), imap.seen(b)]).toEqual([false, false]);
    expect(imap.calls('UID STORE')).toHaveLength(0);
    gate.resolve();
    await until(() => imap.seen(a) && imap.seen(b));
    expect(seen).toHaveLength(2);
  });

  it('leaves a mail unseen when emit fails, and emits it again on the next poll', async () => {
    let failures = 1;
    const seen: string[] = [];
    const a = imap.deliver(eml('arabic-plain'));
    const b = imap.deliver(eml('english-reply'));
    await poller().start?.(async (event) => {
      if (event.externalId === '<english-reply-3@example.com>' && failures-- > 0) throw new Error('SQLITE_BUSY: database is locked');
      seen.push(event.externalId);
    });
    await until(() => seen.length === 2 && imap.seen(b));
    expect(imap.seen(a)).toBe(true);
    expect(seen).toEqual(['<CAF-arabic-plain-1@mail.example.sa>', '<english-reply-3@example.com>']);
    expect(logger.entries.some((e) => e.level === 'error' && /will retry/.test(e.msg ?? ''))).toBe(true);
  });

  it('skips auto-replies (marked \\Seen, never emitted) so out-of-office mail cannot loop', async () => {
    const seen: string[] = [];
    const auto = eml('english-reply').replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\nMIME-Version: 1.0');
    const a = imap.deliver(auto);
    const b = imap.deliver(eml('arabic-plain'));
    await poller().start?.(async (event) => void seen.push(event.externalId));
    await until(() => imap.seen(a) && imap.seen(b));
    expect(seen).toEqual(['<CAF-arabic-plain-1@mail.example.sa>']);
  });

  it('backs off after a refused login or a dropped connection and keeps polling', async () => {
    const seen: string[] = [];
    imap.failNext('LOGIN');
    imap.failNext('SELECT', 'disconnect');
    imap.deliver(eml('arabic-plain'));
    await poller().start?.(async (event) => void seen.push(event.externalId));
    await until(() => seen.length === 1);
    expect(imap.calls('LOGIN').length).toBeGreaterThanOrEqual(3);
    expect(logger.entries.filter((e) => e.level === 'warn' && /IMAP poll failed/.test(e.msg ?? '')).length).toBeGreaterThanOrEqual(2);
    expect(logger.text()).not.toContain(IMAP_AUTH.pass);
  });

  it('stop() returns promptly between polls and no more commands follow', async () => {
    const a = poller(10_000);
    await a.start?.(async () => {});
    await until(() => imap.calls('LOGOUT').length === 1);
    const started = Date.now();
    await a.stop?.();
    expect(Date.now() - started).toBeLessThan(300);
    const count = imap.commands.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(imap.commands).toHaveLength(count);
  });

  it('stop() waits for the mail being stored', async () => {
    const gate = deferred();
    let started = false;
    let stored = false;
    imap.deliver(eml('arabic-plain'));
    const a = poller();
    await a.start?.(async () => {
      started = true;
      await gate.promise;
      stored = true;
    });
    await until(() => started);
    const stopping = a.stop?.();
    await new Promise((r) => setTimeout(r, 50));
    expect(stored).toBe(false);
    gate.resolve();
    await stopping;
    expect(stored).toBe(true);
  });
});
