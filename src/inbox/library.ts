// The officer's tools: canned replies and the knowledge base (read in the inbox, kept by admins), and who to refer to.
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { libraryRoutes as api } from '../api/library.ts';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { cannedReplies, knowledgeArticles } from '../db/schema.ts';
import { auditor, INBOX_ROLES, type InboxAudit, type InboxGuard } from './http.ts';
import type { InboxQueries } from './queries.ts';

export interface LibraryDeps {
  db: Db;
  guard: InboxGuard;
  audit: InboxAudit;
  queries: InboxQueries;
  now: () => Date;
}

export function registerLibraryRoutes(app: FastifyInstance, deps: LibraryDeps): void {
  const { db } = deps;
  const audit = auditor(deps.audit);
  const route = app.withTypeProvider<ZodTypeProvider>();
  // The guard runs before the body is validated: a stranger learns nothing from a 400.
  const inbox = { preValidation: deps.guard(...INBOX_ROLES) };
  const admin = { preValidation: deps.guard('admin') };
  const ts = () => deps.now().toISOString();
  const notFound = (what: string) => new AppError('ERR_NOT_FOUND', `${what} not found.`);

  route.get('/api/inbox/officers', { ...inbox, schema: api.officers }, async (req) => ({ officers: deps.queries.activeOfficers(req.query.role) }));

  const listCanned = async () => ({ cannedReplies: db.select().from(cannedReplies).orderBy(asc(cannedReplies.title)).all() });
  const listKnowledge = async (category: (typeof knowledgeArticles.$inferSelect)['category'] | undefined) => {
    const base = db.select().from(knowledgeArticles);
    const rows = (category ? base.where(eq(knowledgeArticles.category, category)) : base).orderBy(asc(knowledgeArticles.category), asc(knowledgeArticles.title)).all();
    return { articles: rows };
  };

  // Officers read the library in the inbox; admins read the same lists on their own pages, where they keep it.
  route.get('/api/inbox/canned-replies', { ...inbox, schema: api.cannedList }, listCanned);
  route.get('/api/inbox/knowledge', { ...inbox, schema: api.knowledgeList }, (req) => listKnowledge(req.query.category));
  route.get('/api/admin/canned-replies', { ...admin, schema: api.cannedList }, listCanned);
  route.get('/api/admin/knowledge', { ...admin, schema: api.knowledgeList }, (req) => listKnowledge(req.query.category));

  route.post('/api/admin/canned-replies', { ...admin, schema: api.cannedCreate }, async (req, reply) => {
    const body = req.body;
    const row = db.insert(cannedReplies).values({ id: randomUUID(), ...body, createdAt: ts(), updatedAt: ts() }).returning().get();
    audit(req, 'canned_reply.create', { type: 'canned_reply', id: row.id });
    return reply.code(201).send({ cannedReply: row });
  });

  route.patch('/api/admin/canned-replies/:id', { ...admin, schema: api.cannedUpdate }, async (req) => {
    const { id } = req.params;
    const patch = req.body;
    const row = db.update(cannedReplies).set({ ...patch, updatedAt: ts() }).where(eq(cannedReplies.id, id)).returning().get();
    if (!row) throw notFound('Canned reply');
    audit(req, 'canned_reply.update', { type: 'canned_reply', id }, { fields: Object.keys(patch) });
    return { cannedReply: row };
  });

  route.delete('/api/admin/canned-replies/:id', { ...admin, schema: api.cannedDelete }, async (req, reply) => {
    const { id } = req.params;
    const row = db.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning({ id: cannedReplies.id }).get();
    if (!row) throw notFound('Canned reply');
    audit(req, 'canned_reply.delete', { type: 'canned_reply', id });
    return reply.code(204).send(null);
  });

  route.post('/api/admin/knowledge', { ...admin, schema: api.knowledgeCreate }, async (req, reply) => {
    const body = req.body;
    const row = db.insert(knowledgeArticles).values({ id: randomUUID(), ...body, createdAt: ts(), updatedAt: ts() }).returning().get();
    audit(req, 'knowledge.create', { type: 'knowledge_article', id: row.id }, { category: row.category });
    return reply.code(201).send({ article: row });
  });

  route.patch('/api/admin/knowledge/:id', { ...admin, schema: api.knowledgeUpdate }, async (req) => {
    const { id } = req.params;
    const patch = req.body;
    const row = db.update(knowledgeArticles).set({ ...patch, updatedAt: ts() }).where(eq(knowledgeArticles.id, id)).returning().get();
    if (!row) throw notFound('Article');
    audit(req, 'knowledge.update', { type: 'knowledge_article', id }, { fields: Object.keys(patch) });
    return { article: row };
  });

  route.delete('/api/admin/knowledge/:id', { ...admin, schema: api.knowledgeDelete }, async (req, reply) => {
    const { id } = req.params;
    const row = db.delete(knowledgeArticles).where(eq(knowledgeArticles.id, id)).returning({ id: knowledgeArticles.id }).get();
    if (!row) throw notFound('Article');
    audit(req, 'knowledge.delete', { type: 'knowledge_article', id });
    return reply.code(204).send(null);
  });
}
