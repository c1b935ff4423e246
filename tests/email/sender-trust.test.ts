// Whether a From address is proven, as a table of Authentication-Results headers (RFC 8601) an attacker could write
// and ones the charity's own server (mx.birr.example.org) writes; then the adapter's safe default without the id.
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailAdapter } from '../../channels/email/index.ts';
import { isSenderProven, parseAuthResults } from '../../channels/email/sender-trust.ts';
import type { ChannelAdapter } from '../../src/core/channel.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import { FakeImapServer } from '../fakes/imap-server.ts';
import { emailConfig, IMAP_AUTH, memoryLogger, until } from './support.ts';

const OURS = 'mx.birr.example.org';

/** Whether a mail with these headers (top first) from `from` is proven by OURS. */
async function proven(headers: string[], from = 'abdullah@example.sa'): Promise<boolean> {
  const mail = await simpleParser(Buffer.from([...headers, `From: <${from}>`, 'Subject: x', '', 'نص', ''].join('\r\n')));
  return isSenderProven(mail.headerLines, mail.from?.value[0]?.address ?? '', OURS);
}

const cases: [name: string, headers: string[], from: string | undefined, expected: boolean][] = [
  ['our server says dmarc=pass', [`Authentication-Results: ${OURS}; dmarc=pass (p=none dis=none) header.from=example.sa`], undefined, true],
  ['our server says dkim=pass for the From domain', [`Authentication-Results: ${OURS};\r\n\tdkim=pass header.d=example.sa header.s=s1 header.b=abc;\r\n\tspf=fail`], undefined, true],
  ['dkim=pass by the parent domain of a From subdomain (aligned)', [`Authentication-Results: ${OURS}; dkim=pass header.i=@example.sa`], 'a@mail.example.sa', true],
  ['names and results in any case, with a version and comments', [`Authentication-Results: MX.Birr.Example.Org 1; (checked) DMARC = PASS (p=reject) header.from=Example.SA`], undefined, true],
  ['the same words from another authserv-id (anyone can write them)', ['Authentication-Results: mx.attacker.net; dmarc=pass header.from=example.sa; dkim=pass header.d=example.sa'], undefined, false],
  ['no Authentication-Results at all', [], undefined, false],
  ['our server says dmarc=fail', [`Authentication-Results: ${OURS}; dmarc=fail header.from=example.sa; spf=pass`], undefined, false],
  ['dmarc=pass, but for another From domain', [`Authentication-Results: ${OURS}; dmarc=pass header.from=attacker.net`], undefined, false],
  ['dkim=pass for the attacker’s own domain (not aligned)', [`Authentication-Results: ${OURS}; dkim=pass header.d=attacker.net`], undefined, false],
  ['dkim=pass for a look-alike domain', [`Authentication-Results: ${OURS}; dkim=pass header.d=xample.sa`], 'a@example.sa', false],
  ['dkim=pass for a subdomain of the From domain (a tenant cannot vouch for its parent)', [`Authentication-Results: ${OURS}; dkim=pass header.d=tenant.example.sa`], 'a@example.sa', false],
  ['dkim=pass without a signing domain', [`Authentication-Results: ${OURS}; dkim=pass`], undefined, false],
  ['spf=pass alone (it proves the envelope, not From)', [`Authentication-Results: ${OURS}; spf=pass smtp.mailfrom=example.sa`], undefined, false],
  ['a forged pass with our id under the one our server wrote on top', [`Authentication-Results: ${OURS}; dmarc=fail header.from=example.sa`, 'Received: from attacker by mx', `Authentication-Results: ${OURS}; dmarc=pass header.from=example.sa`], undefined, false],
  ['a pass hidden in a comment or a quoted string', [`Authentication-Results: ${OURS}; dmarc=fail (dmarc=pass) reason="dkim=pass header.d=example.sa"`], undefined, false],
  ['our id hidden in a comment before another id', [`Authentication-Results: (${OURS}) mx.attacker.net; dmarc=pass`], undefined, false],
  ['no result from our server ("none")', [`Authentication-Results: ${OURS}; none`], undefined, false],
];

describe('isSenderProven', () => {
  it.each(cases)('%s', async (_name, headers, from, expected) => {
    expect(await proven(headers, from)).toBe(expected);
  });

  it('never proves a mail with two From headers or without a configured authserv-id', async () => {
    const twoFrom = await simpleParser(Buffer.from([`Authentication-Results: ${OURS}; dmarc=pass`, 'From: <a@example.sa>', 'From: <b@attacker.net>', '', 'x'].join('\r\n')));
    expect(isSenderProven(twoFrom.headerLines, 'a@example.sa', OURS)).toBe(false);
    const one = await simpleParser(Buffer.from([`Authentication-Results: ${OURS}; dmarc=pass`, 'From: <a@example.sa>', '', 'x'].join('\r\n')));
    expect(isSenderProven(one.headerLines, 'a@example.sa', OURS)).toBe(true);
    expect(isSenderProven(one.headerLines, 'a@example.sa', null)).toBe(false);
  });

  it('parses methods, results and properties past comments and folding', () => {
    expect(parseAuthResults(' mx.birr.example.org;\r\n dkim=pass (good sig) header.d=example.sa header.s="s;1"; dmarc=none')).toEqual({
      authservId: 'mx.birr.example.org',
      results: [
        { method: 'dkim', result: 'pass', props: new Map([['header.d', 'example.sa'], ['header.s', 's;1']]) },
        { method: 'dmarc', result: 'none', props: new Map() },
      ],
    });
  });
});

describe('the email adapter without EMAIL_AUTHSERV_ID', () => {
  let imap: FakeImapServer | undefined;
  let adapter: ChannelAdapter | undefined;
  afterEach(async () => {
    await adapter?.stop?.();
    await imap?.stop();
  });

  it('warns at start and treats every sender as unverified, even with a passing header', async () => {
    imap = new FakeImapServer(IMAP_AUTH);
    const { port } = await imap.start();
    imap.deliver([`Authentication-Results: ${OURS}; dmarc=pass header.from=example.sa`, 'From: <abdullah@example.sa>', 'Message-ID: <a@example.sa>', 'Subject: x', '', 'السلام عليكم', ''].join('\n'));
    const logger = memoryLogger();
    adapter = createEmailAdapter({ ...emailConfig(1, port), authservId: null }, { logger, pollMs: 30, backoff: { minMs: 20, maxMs: 100 } });
    const seen: NormalizedInbound[] = [];
    await adapter.start?.(async (event) => void seen.push(event));
    await until(() => seen.length === 1);
    expect(seen[0]?.sender).toEqual({ unverified: true });
    expect(logger.text()).toContain('EMAIL_AUTHSERV_ID is not set');
  });
});
