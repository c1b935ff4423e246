// Shared helpers for the Telegram tests: a recording logger, fixture loading, a closed port.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Logger } from '../../src/core/channel.ts';

export const TOKEN = '123456789:AAH-test_TOKEN_must-never-leak';
export const SECRET = 'wXk3_Qm9-zT2pL7vR4sN8bY1';

export interface LogEntry {
  level: 'info' | 'warn' | 'error' | 'debug';
  obj: object | string;
  msg: string | undefined;
}

export function memoryLogger(): Logger & { entries: LogEntry[]; text(): string } {
  const entries: LogEntry[] = [];
  const at = (level: LogEntry['level']) => (obj: object | string, msg?: string) => void entries.push({ level, obj, msg });
  return {
    entries,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
    // Serialises errors too (message, cause), which JSON.stringify alone would drop.
    text: () =>
      entries
        .map((e) => JSON.stringify(e, (_k, v: unknown) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: v.cause } : v)))
        .join('\n'),
  };
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../fixtures/telegram/${name}.json`, import.meta.url), 'utf8')) as unknown;
}

/** An http root on 127.0.0.1 where nothing listens, so connections are refused. */
export async function refusedApiRoot(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
