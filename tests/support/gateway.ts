// Starts the real gateway on a temp SQLite file, for HTTP, WebSocket and channel tests.
import { parseConfig } from '../../src/config.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.ts';
import { tempDir } from './temp-db.ts';

export interface TestGateway extends Gateway {
  dir: string;
  /** Base URL once `listen()` ran. */
  url(): string;
  /** The clock the gateway was given (the second-factor helpers compute codes on it). */
  now?: () => Date;
}

export async function startGateway(env: Record<string, string> = {}, options: GatewayOptions & { dir?: string } = {}): Promise<TestGateway> {
  const dir = options.dir ?? tempDir();
  // Tests drive many conversations from 127.0.0.1 quickly; limit tests pass their own small values.
  const limits = {
    WEBCHAT_RATE_LIMIT: '100000',
    WEBCHAT_IP_RATE_LIMIT: '10000000',
    WEBCHAT_SESSION_RATE_LIMIT: '100000',
    UPLOAD_QUOTA_FILES_PER_DAY: '100000',
    UPLOAD_QUOTA_MB_PER_DAY: '100000',
    UPLOAD_IP_QUOTA_FILES_PER_DAY: '1000000',
    UPLOAD_IP_QUOTA_MB_PER_DAY: '1000000',
    STATUS_LOOKUP_IP_LIMIT: '100000',
  };
  const config = parseConfig({ DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...limits, ...env });
  const gateway = await createGateway(config, { workerPollMs: 20, ...options });
  return Object.assign(gateway, {
    dir,
    ...(options.now ? { now: options.now } : {}),
    url() {
      const addr = gateway.app.server.address();
      if (!addr || typeof addr !== 'object') throw new Error('not listening');
      return `http://127.0.0.1:${addr.port}`;
    },
  });
}

/** Poll until `check` returns a value (bounded), for effects that happen after a commit. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 15));
  }
}

/**
 * Lets a web chat conversation take files the way an officer does: by taking it over (through the service, as the
 * inbox's take-over button does). Uploads are refused otherwise unless the bot asks for a document.
 */
export async function officerHolds(gw: Gateway, conversationId: string): Promise<void> {
  await gw.conversations.takeOver(conversationId, { id: 'officer-test', displayName: 'موظف الاختبار' }, () => undefined);
}
