// Every text key the TypeScript code uses (not only the flows) exists in Arabic and in English.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT_DIR } from '../src/config.ts';
import { APPLICATION_STATUSES } from '../src/db/schema.ts';
import { createI18n, type Texts } from '../src/i18n/index.ts';

let texts: Texts;
beforeAll(async () => {
  texts = await createI18n(path.join(ROOT_DIR, 'locales'));
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

const NAMESPACES = fs.readdirSync(path.join(ROOT_DIR, 'locales/ar')).map((f) => f.replace(/\.json$/, ''));

describe('text keys used in code', () => {
  it('are all defined in both languages', () => {
    const used = new Set<string>();
    const pattern = new RegExp(`['"\`]((?:${NAMESPACES.join('|')})\\.[a-z_]+(?:\\.[a-z_]+)*)['"\`]`, 'g');
    // src/auth and src/cli name audit actions ("officer.create"), not texts.
    const sources = [...walk(path.join(ROOT_DIR, 'src')), ...walk(path.join(ROOT_DIR, 'channels'))].filter(
      (f) => !f.includes(`${path.sep}src${path.sep}auth${path.sep}`) && !f.includes(`${path.sep}src${path.sep}cli${path.sep}`),
    );
    for (const file of sources) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(pattern)) if (m[1]) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].flatMap((key) => (['ar', 'en'] as const).filter((l) => !texts.has(key, l)).map((l) => `${l}: ${key}`));
    expect(missing).toEqual([]);
  });

  it('every application status has plain words in both languages', () => {
    for (const status of APPLICATION_STATUSES) {
      for (const locale of ['ar', 'en'] as const) {
        const text = texts.t(locale, `status.${status}`);
        expect(text, `${locale} status.${status}`).not.toBe(`status.${status}`);
        expect(text.length).toBeGreaterThan(3);
      }
    }
  });

  it('the handoff times render with the Hijri date beside the Gregorian one', () => {
    const ar = texts.t('ar', 'handoff.waiting_closed', { next_opening: { datetime: '2026-11-22T05:00:00Z' } });
    expect(ar).toContain('هـ');
    expect(ar).toContain('الموافق');
    const en = texts.t('en', 'handoff.waiting_closed', { next_opening: { datetime: '2026-11-22T05:00:00Z' } });
    expect(en).toContain('AH');
    expect(en).toContain('2026');
  });
});
