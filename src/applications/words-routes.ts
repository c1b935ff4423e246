// Routes around what the beneficiary hears and who studies the case: the notice preview and the assigned researcher.
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { applicationWordsRoutes as api } from '../api/applications-words.ts';
import { AppError } from '../core/errors.ts';
import { APPLICATION_STATUSES, contacts, type ApplicationStatus } from '../db/schema.ts';
import { assignResearcher } from './assignment.ts';
import { officerOf, UUID, notFound, type ApplicationRouteDeps } from './deps.ts';
import { decisionNotice, statusNotice } from './notices.ts';
import { getApplication } from './queries.ts';
import { branchScope, ensureInScope } from './scope.ts';

function statusOf(value: string): ApplicationStatus {
  if (!(APPLICATION_STATUSES as readonly string[]).includes(value)) throw new AppError('ERR_VALIDATION', `status: one of ${APPLICATION_STATUSES.join(', ')}`);
  return value as ApplicationStatus;
}

export function registerWordsRoutes(app: FastifyInstance, deps: ApplicationRouteDeps): void {
  const route = app.withTypeProvider<ZodTypeProvider>();
  const clock = deps.now ?? (() => new Date());
  const appOf = (id: string) => {
    if (!UUID.test(id)) throw notFound('Application');
    return getApplication(deps.db, id);
  };

  // Exactly the words the beneficiary will get (same keys, same locale files, their language), before sending.
  route.post('/api/applications/:id/notice-preview', { preValidation: deps.guard('officer', 'researcher', 'committee', 'admin'), schema: api.noticePreview }, async (req) => {
    const application = appOf(req.params.id);
    ensureInScope(branchScope(deps.db, officerOf(req)), application);
    const body = req.body;
    const message = body.messageToBeneficiary || undefined;
    const notice = body.decision
      ? decisionNotice(application.reference, body.decision, message)
      : statusNotice(application.reference, statusOf(body.status ?? ''), message, body.status === 'incomplete' ? body.documents : undefined);
    const contact = deps.db.select({ locale: contacts.locale, preferredChannel: contacts.preferredChannel }).from(contacts).where(eq(contacts.id, application.contactId)).get();
    const language = contact?.locale ?? 'ar';
    const reachable = deps.conversations.reachableChannels(application.contactId);
    const channel = contact?.preferredChannel && reachable.includes(contact.preferredChannel) ? contact.preferredChannel : (reachable[0] ?? null);
    return { text: deps.texts.t(language, notice.key, notice.params), language, channel };
  });

  route.put('/api/applications/:id/assignee', { preValidation: deps.guard('officer', 'admin'), schema: api.assignee }, async (req) => {
    appOf(req.params.id);
    return assignResearcher(deps, req.params.id, req.body.officerId, { officer: officerOf(req), ip: req.ip }, clock());
  });
}
