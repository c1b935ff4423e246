// The officer's tools: canned replies and the knowledge base (read in the inbox, kept by admins), and who to refer to.
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { cannedReplies, KNOWLEDGE_CATEGORIES, knowledgeArticles, OFFICER_ROLES } from '../db/schema.ts';
import { auditor, INBOX_ROLES, parse, type InboxAudit, type InboxGuard } from './http.ts';
import type { InboxQueries } from './queries.ts';

export interface LibraryDeps {
  db: Db;
  guard: InboxGuard;
  audit: InboxAudit;
  queries: InboxQueries;
  now: () => Date;
}

const title = z.string().trim().min(1).max(200);
const longText = (max: number) => z.string().trim().min(1).max(max);
const cannedBody = z.object({ title, textAr: longText(4000), textEn: longText(4000) });
const knowledgeBody = z.object({ category: z.enum(KNOWLEDGE_CATEGORIES), title, body: longText(100_000) });
const nonEmpty = { message: 'send at least one field to change' };
const cannedPatch = cannedBody.partial().refine((b) => Object.keys(b).length > 0, nonEmpty);
const knowledgePatch = knowledgeBody.partial().refine((b) => Object.keys(b).length > 0, nonEmpty);
const idParams = z.object({ id: z.string().min(1).max(100) });
const knowledgeQuery = z.object({ category: z.enum(KNOWLEDGE_CATEGORIES).optional() });
const officersQuery = z.object({ role: z.enum(OFFICER_ROLES).optional() });

export function registerLibraryRoutes(app: FastifyInstance, deps: LibraryDeps): void {
  const { db } = deps;
  const audit = auditor(deps.audit);
  const inbox = { preHandler: deps.guard(...INBOX_ROLES) };
  const admin = { preHandler: deps.guard('admin') };
  const ts = () => deps.now().toISOString();
  const notFound = (what: string) => new AppError('ERR_NOT_FOUND', `${what} not found.`);

  app.get('/api/inbox/officers', inbox, async (req) => {
    const { role } = parse(officersQuery, req.query);
    return { officers: deps.queries.activeOfficers(role) };
  });

  const listCanned = async () => ({ cannedReplies: db.select().from(cannedReplies).orderBy(asc(cannedReplies.title)).all() });
  const listKnowledge = async (req: FastifyRequest) => {
    const { category } = parse(knowledgeQuery, req.query);
    const base = db.select().from(knowledgeArticles);
    const rows = (category ? base.where(eq(knowledgeArticles.category, category)) : base).orderBy(asc(knowledgeArticles.category), asc(knowledgeArticles.title)).all();
    return { articles: rows };
  };

  // Officers read the library in the inbox; admins read the same lists on their own pages, where they keep it.
  app.get('/api/inbox/canned-replies', inbox, listCanned);
  app.get('/api/inbox/knowledge', inbox, listKnowledge);
  app.get('/api/admin/canned-replies', admin, listCanned);
  app.get('/api/admin/knowledge', admin, listKnowledge);

  app.post('/api/admin/canned-replies', admin, async (req, reply) => {
    const body = parse(cannedBody, req.body);
    const row = db.insert(cannedReplies).values({ id: randomUUID(), ...body, createdAt: ts(), updatedAt: ts() }).returning().get();
    audit(req, 'canned_reply.create', { type: 'canned_reply', id: row.id });
    return reply.code(201).send({ cannedReply: row });
  });

  app.patch('/api/admin/canned-replies/:id', admin, async (req) => {
    const { id } = parse(idParams, req.params);
    const patch = parse(cannedPatch, req.body);
    const row = db.update(cannedReplies).set({ ...patch, updatedAt: ts() }).where(eq(cannedReplies.id, id)).returning().get();
    if (!row) throw notFound('Canned reply');
    audit(req, 'canned_reply.update', { type: 'canned_reply', id }, { fields: Object.keys(patch) });
    return { cannedReply: row };
  });

  app.delete('/api/admin/canned-replies/:id', admin, async (req, reply) => {
    const { id } = parse(idParams, req.params);
    const row = db.delete(cannedReplies).where(eq(cannedReplies.id, id)).returning({ id: cannedReplies.id }).get();
    if (!row) throw notFound('Canned reply');
    audit(req, 'canned_reply.delete', { type: 'canned_reply', id });
    return reply.code(204).send();
  });

  app.post('/api/admin/knowledge', admin, async (req, reply) => {
    const body = parse(knowledgeBody, req.body);
    const row = db.insert(knowledgeArticles).values({ id: randomUUID(), ...body, createdAt: ts(), updatedAt: ts() }).returning().get();
    audit(req, 'knowledge.create', { type: 'knowledge_article', id: row.id }, { category: row.category });
    return reply.code(201).send({ article: row });
  });

  app.patch('/api/admin/knowledge/:id', admin, async (req) => {
    const { id } = parse(idParams, req.params);
    const patch = parse(knowledgePatch, req.body);
    const row = db.update(knowledgeArticles).set({ ...patch, updatedAt: ts() }).where(eq(knowledgeArticles.id, id)).returning().get();
    if (!row) throw notFound('Article');
    audit(req, 'knowledge.update', { type: 'knowledge_article', id }, { fields: Object.keys(patch) });
    return { article: row };
  });

  app.delete('/api/admin/knowledge/:id', admin, async (req, reply) => {
    const { id } = parse(idParams, req.params);
    const row = db.delete(knowledgeArticles).where(eq(knowledgeArticles.id, id)).returning({ id: knowledgeArticles.id }).get();
    if (!row) throw notFound('Article');
    audit(req, 'knowledge.delete', { type: 'knowledge_article', id });
    return reply.code(204).send();
  });
}
