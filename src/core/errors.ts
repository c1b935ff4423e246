// The one error table: every failure the app reports has a code here; src/http maps codes to status.
export const ERROR_CODES = {
  ERR_VALIDATION: 400,
  /** A new password breaks the rules (too short, too common, contains the email or the charity's name). */
  ERR_WEAK_PASSWORD: 400,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_UNAUTHORIZED: 401,
  /** A web chat token past its idle period or its lifetime: the client starts a new chat. */
  ERR_TOKEN_EXPIRED: 401,
  /** The site's identity signature (`exp`) has passed: the page must be reloaded with a fresh one. */
  ERR_IDENTITY_EXPIRED: 401,
  ERR_FORBIDDEN: 403,
  ERR_CSRF: 403,
  /** An erasure must be confirmed by an admin other than the one who asked for it. */
  ERR_FOUR_EYES: 403,
  ERR_PASSWORD_CHANGE_REQUIRED: 403,
  /** Signed in with the password, but the officer must set up the authenticator app (TOTP) before anything else. */
  ERR_TOTP_SETUP_REQUIRED: 403,
  /** The password was right and the account has a second factor: send `totp` (a 6-digit code or a recovery code). */
  ERR_TOTP_REQUIRED: 401,
  /** A wrong, expired or already used TOTP or recovery code (401 at sign-in; the setup confirmation answers 400). */
  ERR_TOTP_INVALID: 401,
  ERR_NOT_FOUND: 404,
  ERR_CONFLICT: 409,
  /** Something must happen first: the checklist is incomplete (the error names the missing items), a visit's time has not come. */
  ERR_PRECONDITION: 409,
  /** Allowed only when confirmed: send `confirm: true` with a `confirmReason` (a visit outside working hours or on the weekend). */
  ERR_CONFIRMATION_REQUIRED: 409,
  /** A web chat upload while the bot is not asking for a document and no officer holds the conversation. */
  ERR_UPLOAD_NOT_EXPECTED: 409,
  /** A plain HTTP request to the WebSocket stream. */
  ERR_UPGRADE_REQUIRED: 426,
  ERR_RATE_LIMITED: 429,
  /** A contact's or network's daily upload allowance is used up. */
  ERR_UPLOAD_QUOTA: 429,
  ERR_CONFIG: 500,
  ERR_FLOW_INVALID: 500,
  ERR_CHANNEL_SEND: 502,
  /** Free disk space under DATA_DIR is below UPLOAD_MIN_FREE_MB: no file is stored. */
  ERR_INSUFFICIENT_STORAGE: 507,
  /** PDF letters cannot be made now: Chromium is missing at CHROMIUM_PATH, failed to start, or took too long. */
  ERR_PDF_UNAVAILABLE: 503,
  ERR_INTERNAL: 500,
} as const;

/** 5xx codes whose message is still safe and useful to show (it says nothing about the server's insides). */
export const SHOWN_SERVER_ERRORS: ReadonlySet<string> = new Set(['ERR_INSUFFICIENT_STORAGE', 'ERR_PDF_UNAVAILABLE']);

export type ErrorCode = keyof typeof ERROR_CODES;

export interface AppErrorOptions {
  /** True when trying the same operation again later may succeed (network, 5xx, 429). */
  retryable?: boolean;
  /** Provider-requested wait before a retry, in milliseconds (Telegram `retry_after`, HTTP Retry-After). */
  retryAfterMs?: number;
  cause?: unknown;
  details?: unknown;
  /** Fields added to the error object the client gets (below 500 only), e.g. `missing: [itemId…]`. */
  fields?: Record<string, unknown>;
}

/** The error type every layer throws; `code` selects the HTTP status and `message` is safe to show below 500. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: unknown;
  readonly fields: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
    this.fields = options.fields;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
