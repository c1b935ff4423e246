// Admin routes for learning from misses: the grouped misses, and adding one as an example the running bot learns at once.
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { adminToolRoutes as api } from '../api/admin-tools.ts';
import { AppError } from '../core/errors.ts';
import type { Locale } from '../core/messages.ts';
import type { Db } from '../db/client.ts';
import type { OfficerRole } from '../db/schema.ts';
import { groupingKey } from '../flows/normalize.ts';
import { addExample, missGroups, personalMisses } from './misses.ts';

export interface LearningDeps {
  db: Db;
  /** requireOfficer from src/auth. */
  guard: (...roles: OfficerRole[]) => preHandlerAsyncHookHandler | preHandlerHookHandler;
  /** The intents the bot knows, with their labels in both languages (the page's choice of intent). */
  intents: readonly { id: string; label: Record<Locale, string> }[];
  /** Feeds an example to the running classifier. */
  learn(example: { intent: string; text: string; locale: Locale }): void;
  audit: { record(event: { officerId: string | null; action: string; targetType?: string; targetId?: string; details?: Record<string, unknown> }): void };
  now?: () => Date;
}

const localeOf = (text: string): Locale => (/\p{Script=Arabic}/u.test(text) ? 'ar' : 'en');

function officerId(req: FastifyRequest): string {
  if (!req.officer) throw new AppError('ERR_UNAUTHORIZED', 'Sign in first.');
  return req.officer.id;
}

export async function registerLearningRoutes(server: FastifyInstance, deps: LearningDeps): Promise<void> {
  const app = server.withTypeProvider<ZodTypeProvider>();
  const clock = deps.now ?? (() => new Date());
  const known = new Set(deps.intents.map((i) => i.id));

  app.get('/api/admin/nlu/misses', { preValidation: deps.guard('admin'), schema: api.misses }, async () => ({
    groups: missGroups(deps.db),
    personal: personalMisses(deps.db),
    intents: [...deps.intents],
  }));

  app.post('/api/admin/nlu/examples', { preValidation: deps.guard('admin'), schema: api.exampleAdd }, async (req, reply) => {
    const body = req.body;
    if (!known.has(body.intent)) throw new AppError('ERR_VALIDATION', `intent: unknown intent "${body.intent}"`);
    const normalized = groupingKey(body.text);
    if (normalized === '') throw new AppError('ERR_VALIDATION', 'text: has no letters or digits to learn from');
    const locale = localeOf(body.text);
    const by = officerId(req);
    const stored = addExample(deps.db, { intent: body.intent, text: body.text, normalized, locale, createdBy: by, now: clock() });
    if (stored) {
      deps.learn({ intent: stored.intent, text: stored.text, locale });
      deps.audit.record({ officerId: by, action: 'nlu.example_add', targetType: 'nlu_example', targetId: String(stored.id), details: { intent: stored.intent } });
    }
    return reply.code(stored ? 201 : 200).send({ example: { intent: body.intent, text: body.text, locale }, added: stored !== undefined });
  });
}
