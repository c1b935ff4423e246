// Shared by the letters tests: officers signed in through the real sign-in route (the shared auth helpers), an
// applicant who applied over any channel, and the PDF read back with poppler (pdftotext, pdftoppm).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import { addOfficer, signIn, type AuthTestApp } from '../auth/support.ts';
import { nationalId } from '../applications/helpers.ts';
import { applications, type OfficerRole } from '../../src/db/schema.ts';
import type { NormalizedInbound } from '../../src/core/messages.ts';
import type { TestGateway } from '../support/gateway.ts';
import { tempDir } from '../support/temp-db.ts';

/** The gateway seen through the shared sign-in helpers (they use its app and its auth service). */
function asAuthApp(gw: TestGateway): AuthTestApp {
  return { app: gw.app, db: gw.db, dir: gw.dir, auth: gw.auth, audit: gw.audit, advance: () => undefined, close: () => gw.close() };
}

export type Headers = Record<string, string>;

/** A new officer with this role, signed in: the cookie and CSRF headers of their requests. */
export async function officerSession(gw: TestGateway, role: OfficerRole, name = role): Promise<Headers> {
  const t = asAuthApp(gw);
  const email = `${name}-${Math.random().toString(36).slice(2, 8)}@birr.example.org`;
  await addOfficer(t, email, role);
  const s = await signIn(t, email);
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}

let n = 0;
/** Applies through the intake on any channel, as that channel's adapter would hand the answers in. */
export async function applyOn(gw: TestGateway, channel: NormalizedInbound['channel'], address: string, answers: { name: string; city: string }) {
  const id = nationalId();
  const steps: NormalizedInbound['content'][] = [
    { type: 'text', text: 'مرحبا' },
    { type: 'choice', id: 'apply' },
    // A new beneficiary is shown the privacy notice first (flows/privacy.yaml).
    { type: 'choice', id: 'privacy_accept' },
    ...[answers.name, id, '0551234567', answers.city, '4', '2500'].map((text) => ({ type: 'text' as const, text })),
    { type: 'choice', id: 'rented' },
    { type: 'choice', id: 'medical' },
    { type: 'text', text: 'later' },
    { type: 'text', text: 'later' },
    { type: 'choice', id: 'confirm' },
    { type: 'choice', id: 'accept' },
  ];
  for (const content of steps) {
    await gw.conversations.receive({ channel, externalId: `letters-${++n}`, address, sender: { displayName: answers.name }, content, receivedAt: new Date(), raw: null });
  }
  const row = gw.db.select().from(applications).where(eq(applications.nationalId, id)).get();
  if (!row) throw new Error(`the intake on ${channel} did not create an application`);
  return row;
}

/** The PDF's text as pdftotext reads it (logical order), bidi controls removed and presentation forms folded (NFKC). */
export function pdfText(pdf: Buffer): string {
  const dir = tempDir();
  const file = path.join(dir, 'letter.pdf');
  fs.writeFileSync(file, pdf);
  const raw = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  return raw.normalize('NFKC').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** Page 1 at 60 dpi: saved as a PNG test artifact, and its share of dark pixels (read from a greyscale PGM). */
export function renderPage(pdf: Buffer, artifact: string): { png: string; ink: number; width: number; height: number } {
  const dir = tempDir();
  const file = path.join(dir, 'letter.pdf');
  fs.writeFileSync(file, pdf);
  const base = artifact.replace(/\.png$/, '');
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, base]);
  execFileSync('pdftoppm', ['-gray', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(dir, 'page')]);
  const pgm = fs.readFileSync(path.join(dir, 'page.pgm'));
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const pixels = pgm.subarray(header[0].length);
  let dark = 0;
  for (const p of pixels) if (p < 128) dark++;
  return { png: `${base}.png`, ink: dark / pixels.length, width, height };
}

/**
 * For comparing with what the letter should say: pdftotext places spaces and neutral punctuation (، : . ( )) at
 * the visual edges of direction runs and breaks lines where the page does, so both are left out; letters, digits
 * and their order are what is compared.
 */
export function compact(text: string): string {
  return text.replace(/[\s،,.:;()«»"“”]/gu, '');
}

export const isPdf = (res: LightMyRequestResponse) => res.rawPayload.subarray(0, 5).toString('latin1') === '%PDF-';
