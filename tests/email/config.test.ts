// emailConfigFromEnv: off without SMTP_URL, every problem named by its variable, passwords never echoed.
import { describe, expect, it } from 'vitest';
import { emailConfigFromEnv } from '../../channels/email/config.ts';
import { ConfigError, parseConfig } from '../../src/config.ts';

const base = { SMTP_URL: 'smtps://info%40birr.org:p%40ss-Secret@smtp.gmail.com:465', EMAIL_FROM: '"جمعية البر الخيرية" <Info@Birr.org>' };

describe('emailConfigFromEnv', () => {
  it('is null (channel off) when SMTP_URL is unset or empty', () => {
    expect(emailConfigFromEnv({})).toBeNull();
    expect(emailConfigFromEnv({ SMTP_URL: '', IMAP_URL: 'imap://a:b@h' })).toBeNull();
  });

  it('parses an outbound-only setup with defaults', () => {
    const r = emailConfigFromEnv(base);
    expect(r).toMatchObject({ success: true, config: { smtpUrl: base.SMTP_URL, imap: null, pollSeconds: 60, from: { name: 'جمعية البر الخيرية', address: 'info@birr.org' } } });
    // 10 MB, and no sender trusted until the receiving server's authserv-id is given.
    expect(r).toMatchObject({ config: { maxBytes: 10_485_760, authservId: null } });
  });

  it('parses IMAP settings (decoded credentials, default ports) and the poll interval', () => {
    const r = emailConfigFromEnv({ ...base, IMAP_URL: 'imaps://info%40birr.org:p%40ss@imap.gmail.com', EMAIL_POLL_SECONDS: '30' });
    expect(r?.success && r.config.imap).toEqual({ host: 'imap.gmail.com', port: 993, secure: true, user: 'info@birr.org', pass: 'p@ss' });
    expect(r?.success && r.config.pollSeconds).toBe(30);
    const plain = emailConfigFromEnv({ ...base, IMAP_URL: 'imap://u:p@127.0.0.1' });
    expect(plain?.success && plain.config.imap).toMatchObject({ port: 143, secure: false });
  });

  it('accepts a bare address or an unquoted name in EMAIL_FROM', () => {
    expect(emailConfigFromEnv({ ...base, EMAIL_FROM: 'info@birr.org' })).toMatchObject({ config: { from: { name: '', address: 'info@birr.org' } } });
    expect(emailConfigFromEnv({ ...base, EMAIL_FROM: 'جمعية البر <info@birr.org>' })).toMatchObject({ config: { from: { name: 'جمعية البر' } } });
  });

  it('lists every problem at once by variable name, without echoing the password', () => {
    const r = emailConfigFromEnv({
      SMTP_URL: 'http://user:Hunter2-Secret@smtp.example.org',
      IMAP_URL: 'pop3://user:Hunter2-Secret@mail.example.org',
      EMAIL_POLL_SECONDS: 'soon',
    });
    expect(r?.success).toBe(false);
    const problems = r && !r.success ? r.problems : [];
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['EMAIL_FROM', 'EMAIL_POLL_SECONDS', 'IMAP_URL', 'SMTP_URL']);
    expect(problems.join('\n')).not.toContain('Hunter2');
  });

  it('refuses a malformed EMAIL_FROM and a poll interval below 5 seconds', () => {
    const r = emailConfigFromEnv({ ...base, EMAIL_FROM: 'جمعية البر', EMAIL_POLL_SECONDS: '1' });
    const problems = r && !r.success ? r.problems : [];
    expect(problems).toEqual([expect.stringMatching(/^EMAIL_FROM: /), expect.stringMatching(/^EMAIL_POLL_SECONDS: .*at least 5/)]);
  });

  it('reads EMAIL_MAX_BYTES and EMAIL_AUTHSERV_ID (lower-cased, as servers compare it)', () => {
    const r = emailConfigFromEnv({ ...base, EMAIL_MAX_BYTES: '20971520', EMAIL_AUTHSERV_ID: 'MX.Birr.org' });
    expect(r).toMatchObject({ success: true, config: { maxBytes: 20_971_520, authservId: 'mx.birr.org' } });
  });

  it('stops start-up naming EMAIL_MAX_BYTES or EMAIL_AUTHSERV_ID when they are wrong', () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseConfig({ ...base, ...env });
        return [];
      } catch (err) {
        return err instanceof ConfigError ? err.problems : [String(err)];
      }
    };
    expect(problems({ EMAIL_MAX_BYTES: 'ten MB' })).toEqual([expect.stringMatching(/^EMAIL_MAX_BYTES: must be a whole number of bytes/)]);
    expect(problems({ EMAIL_MAX_BYTES: '65536' })).toEqual([expect.stringMatching(/^EMAIL_MAX_BYTES: must be at least 1048576/)]);
    expect(problems({ EMAIL_MAX_BYTES: '1000000000' })).toEqual([expect.stringMatching(/^EMAIL_MAX_BYTES: must be at most/)]);
    // A header value pasted whole, not the id at its start.
    expect(problems({ EMAIL_AUTHSERV_ID: 'mx.birr.org; dmarc=pass' })).toEqual([expect.stringMatching(/^EMAIL_AUTHSERV_ID: must be the host name/)]);
    expect(problems({ EMAIL_MAX_BYTES: '10485760', EMAIL_AUTHSERV_ID: 'mx.birr.org' })).toEqual([]);
  });
});
