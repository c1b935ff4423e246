// Reads a charity profile YAML file and validates it, failing with every problem and where it is.
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { Json } from '../flows/types.ts';
import { profileSchema } from './schema.ts';
import type { Profile } from './schema.ts';

export type { Profile } from './schema.ts';

function describe(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(top level)'}: ${issue.message}`);
}

function fail(source: string, problems: string[]): never {
  const message = `invalid charity profile ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
  throw new AppError('ERR_CONFIG', message, { details: problems });
}

/** Validates already-parsed profile data (tests, or profiles kept elsewhere than a file). */
export function parseProfile(data: unknown, source = '(profile)'): Profile {
  const result = profileSchema.safeParse(data);
  if (!result.success) fail(source, describe(result.error.issues));
  return result.data;
}

export async function loadProfile(path: string): Promise<Profile> {
  const doc = parseDocument(await readFile(path, 'utf8'), { prettyErrors: true });
  if (doc.errors.length > 0) fail(path, doc.errors.map((e) => e.message));
  return parseProfile(doc.toJS(), path);
}

/** The profile as plain JSON for the flow engine's `{ profile: path }` expressions (drops absent optionals). */
export function profileJson(profile: Profile): Json {
  // Texts show a document as its name in the reader's language ({ar,en}); its id is for the checklist only.
  const documents = profile.required_documents.map(({ ar, en }) => ({ ar, en }));
  return JSON.parse(JSON.stringify({ ...profile, required_documents: documents })) as Json;
}
