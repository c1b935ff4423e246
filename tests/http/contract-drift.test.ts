// A route whose answer drifts from its declared schema fails in the server (a 500 and a log line), never reaching
// the client half-right: the zod serializer of src/http/base.ts, on a tiny app with the gateway's base.
import Fastify, { type FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registerBase } from '../../src/http/base.ts';

const Answer = z.object({ id: z.string(), count: z.number().int() });
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serving(answer: unknown): Promise<{ status: number; body: unknown; logged: string[] }> {
  const logged: string[] = [];
  app = Fastify({ logger: { level: 'error', stream: { write: (line: string) => void logged.push(line) } } });
  await registerBase(app, { https: false });
  app.withTypeProvider<ZodTypeProvider>().get('/api/thing', { schema: { response: { 200: Answer } } }, async () => answer as z.infer<typeof Answer>);
  const res = await app.inject({ method: 'GET', url: '/api/thing' });
  return { status: res.statusCode, body: res.json(), logged };
}

describe('response schemas are enforced', () => {
  it('answer as declared: sent', async () => {
    expect(await serving({ id: 'a', count: 2 })).toMatchObject({ status: 200, body: { id: 'a', count: 2 } });
  });

  it('a wrong-typed field is a 500 ERR_INTERNAL, logged as a contract break', async () => {
    const { status, body, logged } = await serving({ id: 'a', count: '2' });
    expect(status).toBe(500);
    expect(body).toEqual({ error: { code: 'ERR_INTERNAL', message: 'Internal error' } });
    expect(logged.join('\n')).toContain('response does not match its schema');
  });

  it('a renamed (missing) field is a 500 too', async () => {
    const { status } = await serving({ id: 'a', total: 2 });
    expect(status).toBe(500);
  });

  it('a field the schema does not declare never reaches the client', async () => {
    const { status, body } = await serving({ id: 'a', count: 2, passwordHash: 'scrypt$…' });
    expect(status).toBe(200);
    expect(body).toEqual({ id: 'a', count: 2 });
  });
});
