// The officer's tools a charity ships with its profile (knowledge/*.md, canned-replies.yaml), put into the library
// once, on the first start: afterwards admins keep the library, and their edits and deletions stay.
import fs from 'node:fs/promises';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { Db } from '../db/client.ts';
import { cannedReplies, counters, KNOWLEDGE_CATEGORIES, knowledgeArticles } from '../db/schema.ts';

/** The row in `counters` that says the library was seeded (its presence is the marker, its value the count). */
export const LIBRARY_SEED_MARKER = 'seed:library';

const text = z.string().trim().min(1);
const cannedFile = z.array(z.strictObject({ title: text.max(200), ar: text.max(4000), en: text.max(4000) }));
const articleHeader = z.strictObject({ category: z.enum(KNOWLEDGE_CATEGORIES), title: text.max(200) });

export interface ShippedLibrary {
  canned: { id: string; title: string; textAr: string; textEn: string }[];
  articles: { id: string; category: (typeof KNOWLEDGE_CATEGORIES)[number]; title: string; body: string }[];
}

function invalid(file: string, why: string): never {
  throw new AppError('ERR_CONFIG', `invalid officer tool ${file}: ${why}`);
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A Markdown article: a YAML header between `---` lines, then the body. */
function parseArticle(file: string, source: string) {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(source);
  if (!m) invalid(file, 'start with a YAML header between --- lines (category, title)');
  const header = articleHeader.safeParse(parseYaml(m[1] ?? ''));
  if (!header.success) invalid(file, header.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const body = (m[2] ?? '').trim();
  if (!body) invalid(file, 'the article has no body');
  return { ...header.data, body };
}

/** Reads the tools next to a profile: `profiles/example.yaml` → `profiles/example/`. Missing files ship nothing. */
export async function readShippedLibrary(dir: string): Promise<ShippedLibrary> {
  const cannedPath = path.join(dir, 'canned-replies.yaml');
  const cannedSource = await readIfExists(cannedPath);
  const canned = cannedSource === undefined ? [] : cannedFile.safeParse(parseYaml(cannedSource));
  if (!Array.isArray(canned) && !canned.success) invalid(cannedPath, canned.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const replies = Array.isArray(canned) ? [] : canned.data;

  const kbDir = path.join(dir, 'knowledge');
  const names = ((await fs.readdir(kbDir).catch(() => [])) as string[]).filter((n) => n.endsWith('.md')).sort();
  const articles = [];
  for (const name of names) {
    const file = path.join(kbDir, name);
    articles.push({ id: `shipped-kb-${name.slice(0, -3)}`, ...parseArticle(file, await fs.readFile(file, 'utf8')) });
  }
  return {
    canned: replies.map((r, i) => ({ id: `shipped-canned-${String(i + 1).padStart(2, '0')}`, title: r.title, textAr: r.ar, textEn: r.en })),
    articles,
  };
}

/**
 * Seeds the library when its marker is absent, then sets the marker; a table an admin already filled (before this
 * ran for the first time) is left alone. Returns how many rows it added.
 */
export function seedLibrary(db: Db, shipped: ShippedLibrary, now: () => Date): number {
  return db.transaction((tx) => {
    const marked = tx.insert(counters).values({ name: LIBRARY_SEED_MARKER, value: 0 }).onConflictDoNothing().run();
    if (marked.changes === 0) return 0;
    const at = now().toISOString();
    let added = 0;
    const count = (table: typeof cannedReplies | typeof knowledgeArticles) => tx.select({ n: sql<number>`count(*)` }).from(table).get()?.n ?? 0;
    if (count(cannedReplies) === 0) {
      for (const c of shipped.canned) added += tx.insert(cannedReplies).values({ ...c, createdAt: at, updatedAt: at }).run().changes;
    }
    if (count(knowledgeArticles) === 0) {
      for (const a of shipped.articles) added += tx.insert(knowledgeArticles).values({ ...a, createdAt: at, updatedAt: at }).run().changes;
    }
    tx.update(counters).set({ value: added }).where(eq(counters.name, LIBRARY_SEED_MARKER)).run();
    return added;
  });
}
