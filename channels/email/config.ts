// Email channel settings: SMTP for sending, optional IMAP polling for receiving, parsed from env.
import { z } from 'zod';

export interface MailServer {
  host: string;
  port: number;
  /** Implicit TLS (smtps:// / imaps://); plain URLs upgrade with STARTTLS when the server offers it. */
  secure: boolean;
  user: string | undefined;
  pass: string | undefined;
}

export interface EmailConfig {
  /** Given to nodemailer as is (it understands smtp:// and smtps:// with credentials). */
  smtpUrl: string;
  /** null: outbound only, nobody's replies are read. */
  imap: MailServer | null;
  from: { name: string; address: string };
  pollSeconds: number;
  /** EMAIL_MAX_BYTES: a mail larger than this is not downloaded (its sender is told, officers see it arrived). */
  maxBytes: number;
  /**
   * EMAIL_AUTHSERV_ID, lower-cased: the authserv-id of the charity's own receiving server, whose
   * Authentication-Results header decides whether a From address is trusted. null: no sender is trusted.
   */
  authservId: string | null;
}

/** An address with a dot-separated domain (no empty labels); one pass, no backtracking between the parts. */
export const EMAIL = /^[^\s@<>"]+@[^\s@<>".]+(?:\.[^\s@<>".]+)+$/;
// `"Name" <address>`, `Name <address>` (on the trimmed value) or a bare address.
const FROM = /^(?:"([^"]*)"\s*|([^<"]*))<([^<>\s]+)>$/;
// RFC 8601 authserv-id as servers write it: a host name such as mx.google.com.
const AUTHSERV_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

function mailUrl(schemes: readonly [plain: string, tls: string], hint: string) {
  return z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return schemes.includes(url.protocol.replace(/:$/, '')) && url.hostname !== '';
      } catch {
        return false;
      }
    },
    // The message never includes the value, which carries the password.
    { message: `must look like ${hint}` },
  );
}

function parseFrom(value: string): { name: string; address: string } | null {
  const bare = value.trim();
  if (EMAIL.test(bare)) return { name: '', address: bare.toLowerCase() };
  const m = FROM.exec(bare);
  const address = m?.[3];
  if (!m || !address || !EMAIL.test(address)) return null;
  return { name: (m[1] ?? m[2] ?? '').trim(), address: address.toLowerCase() };
}

function server(value: string, tlsScheme: string, plainPort: number, tlsPort: number): MailServer {
  const url = new URL(value);
  const secure = url.protocol === `${tlsScheme}:`;
  const decode = (s: string) => (s === '' ? undefined : decodeURIComponent(s));
  return { host: url.hostname, port: url.port ? Number(url.port) : secure ? tlsPort : plainPort, secure, user: decode(url.username), pass: decode(url.password) };
}

// Issue paths are the env var names, so an operator sees exactly which variable to fix.
export const emailEnvSchema = z
  .object({
    SMTP_URL: mailUrl(['smtp', 'smtps'], 'smtp://user:pass@host:587 or smtps://user:pass@host:465'),
    IMAP_URL: mailUrl(['imap', 'imaps'], 'imap://user:pass@host:143 or imaps://user:pass@host:993').optional(),
    EMAIL_FROM: z
      .string({ message: 'is required when SMTP_URL is set, e.g. "جمعية البر" <info@example.org>' })
      .refine((v) => parseFrom(v) !== null, { message: 'must look like "Name" <address@example.org>' }),
    EMAIL_POLL_SECONDS: z.coerce
      .number({ message: 'must be a whole number of seconds' })
      .int({ message: 'must be a whole number of seconds' })
      .min(5, { message: 'must be at least 5 (seconds)' })
      .max(3600, { message: 'must be at most 3600 (seconds)' })
      .default(60),
    EMAIL_MAX_BYTES: z.coerce
      .number({ message: 'must be a whole number of bytes, e.g. 10485760 (10 MB)' })
      .int({ message: 'must be a whole number of bytes, e.g. 10485760 (10 MB)' })
      .min(1_048_576, { message: 'must be at least 1048576 (1 MB)' })
      .max(104_857_600, { message: 'must be at most 104857600 (100 MB)' })
      .default(DEFAULT_MAX_BYTES),
    EMAIL_AUTHSERV_ID: z
      .string()
      .refine((v) => AUTHSERV_ID.test(v), { message: 'must be the host name your mail server writes first in Authentication-Results, e.g. mx.charity.org' })
      .optional(),
  })
  .transform(
    (env): EmailConfig => ({
      smtpUrl: env.SMTP_URL,
      imap: env.IMAP_URL === undefined ? null : server(env.IMAP_URL, 'imaps', 143, 993),
      from: parseFrom(env.EMAIL_FROM) ?? { name: '', address: '' },
      pollSeconds: env.EMAIL_POLL_SECONDS,
      maxBytes: env.EMAIL_MAX_BYTES,
      authservId: env.EMAIL_AUTHSERV_ID?.toLowerCase() ?? null,
    }),
  );

export type EmailConfigResult =
  | { success: true; config: EmailConfig }
  | { success: false; problems: string[]; error: z.ZodError };

/** null when SMTP_URL is unset (channel disabled); otherwise every problem at once. Empty strings count as unset. */
export function emailConfigFromEnv(env: Record<string, string | undefined>): EmailConfigResult | null {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  if (set.SMTP_URL === undefined) return null;
  const { SMTP_URL, IMAP_URL, EMAIL_FROM, EMAIL_POLL_SECONDS, EMAIL_MAX_BYTES, EMAIL_AUTHSERV_ID } = set;
  const parsed = emailEnvSchema.safeParse({ SMTP_URL, IMAP_URL, EMAIL_FROM, EMAIL_POLL_SECONDS, EMAIL_MAX_BYTES, EMAIL_AUTHSERV_ID });
  if (parsed.success) return { success: true, config: parsed.data };
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
  return { success: false, problems, error: parsed.error };
}
