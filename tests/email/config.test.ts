// emailConfigFromEnv: off without SMTP_URL, every problem named by its variable, passwords never echoed.
import { describe, expect, it } from 'vitest';
import { emailConfigFromEnv } from '../../channels/email/config.ts';

const base = { SMTP_URL: 'smtps://info%40birr.org:p%40ss-Secret@smtp.gmail.com:465', EMAIL_FROM: '"جمعية البر الخيرية" <Info@Birr.org>' };

describe('emailConfigFromEnv', () => {
  it('is null (channel off) when SMTP_URL is unset or empty', () => {
    expect(emailConfigFromEnv({})).toBeNull();
    expect(emailConfigFromEnv({ SMTP_URL: '', IMAP_URL: 'imap://a:b@h' })).toBeNull();
  });

  it('parses an outbound-only setup with defaults', () => {
    const r = emailConfigFromEnv(base);
    expect(r).toMatchObject({ success: true, config: { smtpUrl: base.SMTP_URL, imap: null, pollSeconds: 60, from: { name: 'جمعية البر الخيرية', address: 'info@birr.org' } } });
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
});
