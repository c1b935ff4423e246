// The officer's tools in the HTTP contract: canned replies, the knowledge base, and who an officer can refer to.
import { z } from 'zod';
import { KNOWLEDGE_CATEGORIES } from '../core/knowledge.ts';
import { IdParams, NoContent, OfficerRole, Timestamp } from './common.ts';

export { KNOWLEDGE_CATEGORIES } from '../core/knowledge.ts';
export const KnowledgeCategory = z.enum(KNOWLEDGE_CATEGORIES);

const title = z.string().trim().min(1).max(200);
const longText = (max: number) => z.string().trim().min(1).max(max);
const nonEmpty = { message: 'send at least one field to change' };

export const CannedReply = z
  .object({ id: z.string(), title: z.string(), textAr: z.string(), textEn: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
  .meta({ id: 'CannedReply', description: 'A ready answer an officer inserts into a reply, in Arabic and English.' });

export const KnowledgeArticle = z
  .object({ id: z.string(), category: KnowledgeCategory, title: z.string(), body: z.string(), createdAt: Timestamp, updatedAt: Timestamp })
  .meta({ id: 'KnowledgeArticle', description: 'A page of the bylaws, the social research guide or the support policy.' });

export const OfficerSummary = z.object({ id: z.string(), displayName: z.string(), role: OfficerRole }).meta({ id: 'OfficerSummary' });

export const CannedReplyInput = z.object({ title, textAr: longText(4000), textEn: longText(4000) });
export const CannedReplyPatch = CannedReplyInput.partial().refine((b) => Object.keys(b).length > 0, nonEmpty);
export const KnowledgeInput = z.object({ category: KnowledgeCategory, title, body: longText(100_000) });
export const KnowledgePatch = KnowledgeInput.partial().refine((b) => Object.keys(b).length > 0, nonEmpty);

export const libraryRoutes = {
  officers: { querystring: z.object({ role: OfficerRole.optional() }), response: { 200: z.object({ officers: z.array(OfficerSummary) }) } },
  cannedList: { response: { 200: z.object({ cannedReplies: z.array(CannedReply) }) } },
  knowledgeList: { querystring: z.object({ category: KnowledgeCategory.optional() }), response: { 200: z.object({ articles: z.array(KnowledgeArticle) }) } },
  cannedCreate: { body: CannedReplyInput, response: { 201: z.object({ cannedReply: CannedReply }) } },
  cannedUpdate: { params: IdParams, body: CannedReplyPatch, response: { 200: z.object({ cannedReply: CannedReply }) } },
  cannedDelete: { params: IdParams, response: { 204: NoContent } },
  knowledgeCreate: { body: KnowledgeInput, response: { 201: z.object({ article: KnowledgeArticle }) } },
  knowledgeUpdate: { params: IdParams, body: KnowledgePatch, response: { 200: z.object({ article: KnowledgeArticle }) } },
  knowledgeDelete: { params: IdParams, response: { 204: NoContent } },
} as const;

export type CannedReply = z.infer<typeof CannedReply>;
export type KnowledgeArticle = z.infer<typeof KnowledgeArticle>;
export type OfficerSummary = z.infer<typeof OfficerSummary>;
export type CannedReplyInput = z.infer<typeof CannedReplyInput>;
export type KnowledgeInput = z.infer<typeof KnowledgeInput>;
