// The text layer: file merging, param rendering ({ar,en}, {date}, {t}, lists), Arabic plurals, raw lookups.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../src/flows/types.ts';
import { createI18n } from '../../src/i18n/index.ts';
import type { Texts } from '../../src/i18n/index.ts';

const LOCALES = new URL('../../locales', import.meta.url).pathname;

async function localesDir(files: Record<string, unknown>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'locales-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path.split('/')[0] ?? ''), { recursive: true });
    await writeFile(join(dir, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('createI18n on small fixtures', () => {
  let texts: Texts;
  beforeAll(async () => {
    texts = await createI18n(
      await localesDir({
        'ar/apply.json': { ask_name: 'ما اسمك؟', hello: 'مرحبًا {{name}}', housing: { rented: 'إيجار', other: 'أخرى' }, pick: 'السكن: $t(apply.housing.{{housing}})' },
        'ar/common.json': { list: 'القائمة:\n{{items}}', days_one: 'يوم', days_other: '{{count}} يوم', x_other: 'ليست جمعًا', ctx: '{{context}}/{{ns}}' },
        'en/apply.json': { ask_name: 'Your name?', hello: 'Hello {{name}}', housing: { rented: 'Rented', other: 'Other' }, pick: 'Housing: $t(apply.housing.{{housing}})', pick_named: '{{name}}: $t(apply.housing.{{housing}})' },
        'en/common.json': { list: 'List:\n{{items}}', days_one: '{{count}} day', days_other: '{{count}} days', x_other: 'not a plural', ctx: '{{context}}/{{ns}}' },
      }),
    );
  });

  it('merges every file of a language under its file name', () => {
    expect(texts.t('ar', 'apply.ask_name')).toBe('ما اسمك؟');
    expect(texts.t('en', 'common.list', { items: [] })).toBe('List:\n');
    expect(texts.languages).toEqual(['ar', 'en']);
  });

  it('renders {ar,en} params in the conversation language', () => {
    const name = { ar: 'جمعية البر', en: 'Al-Birr' };
    expect(texts.t('ar', 'apply.hello', { name })).toBe('مرحبًا جمعية البر');
    expect(texts.t('en', 'apply.hello', { name })).toBe('Hello Al-Birr');
  });

  it('renders {date} params as Hijri with Gregorian', () => {
    expect(texts.t('ar', 'apply.hello', { name: { date: '2024-09-14T05:00:00Z' } })).toBe('مرحبًا ١١ ربيع الأول ١٤٤٦هـ الموافق ١٤ سبتمبر ٢٠٢٤م');
    expect(texts.t('en', 'apply.hello', { name: { date: '2024-09-14T05:00:00Z' } })).toBe('Hello 11 Rabiʻ I 1446 AH (14 September 2024)');
  });

  it('renders {t} params as that key translated, with its own params', () => {
    expect(texts.t('ar', 'apply.hello', { name: { t: 'apply.housing.rented' } })).toBe('مرحبًا إيجار');
    expect(texts.t('en', 'apply.hello', { name: { t: 'apply.hello', params: { name: { ar: 'س', en: 'you' } } } })).toBe('Hello Hello you');
  });

  it('renders arrays one item per line with a bullet, items rendered recursively', () => {
    const items: Json[] = [{ ar: 'أولًا', en: 'first' }, { t: 'apply.housing.other' }, 'plain', 7];
    expect(texts.t('ar', 'common.list', { items })).toBe('القائمة:\n• أولًا\n• أخرى\n• plain\n• ٧');
    expect(texts.t('en', 'common.list', { items })).toBe('List:\n• first\n• Other\n• plain\n• 7');
  });

  it('writes one digit style in Arabic, but references, IDs and phones stay Latin and copyable inside isolates; empties null', () => {
    expect(texts.t('ar', 'apply.hello', { name: 'TW-1448-00042 / 0551234567' })).toBe('مرحبًا \u2066TW-1448-00042\u2069 / \u20660551234567\u2069');
    expect(texts.t('ar', 'apply.hello', { name: '+966551234567، SA4420000001234567891234' })).toBe('مرحبًا \u2066+966551234567\u2069، \u2066SA4420000001234567891234\u2069');
    expect(texts.t('ar', 'apply.hello', { name: 1234 })).toBe('مرحبًا ١٢٣٤');
    expect(texts.t('en', 'apply.hello', { name: 1234 })).toBe('Hello 1234');
    expect(texts.t('ar', 'apply.hello', { name: null })).toBe('مرحبًا ');
  });

  it('writes Latin digits throughout Arabic texts when the profile says digits: latin', async () => {
    const latin = await createI18n(await localesDir({ 'ar/apply.json': { hello: 'مرحبًا {{name}} (١٠ أرقام)' }, 'en/apply.json': { hello: 'Hello {{name}}' } }), { digits: 'latin' });
    expect(latin.t('ar', 'apply.hello', { name: '٧ رجب ١٤٤٨هـ' })).toBe('مرحبًا 7 رجب 1448هـ (10 أرقام)');
  });

  it('shows a stored choice id in words through nesting, in the right language', () => {
    expect(texts.t('ar', 'apply.pick', { housing: 'rented' })).toBe('السكن: إيجار');
    expect(texts.t('en', 'apply.pick', { housing: 'rented' })).toBe('Housing: Rented');
  });

  it('keeps user-typed "$t(" and "{{" inert', () => {
    expect(texts.t('ar', 'apply.hello', { name: '{{name}} $t(apply.ask_name)' })).not.toContain('ما اسمك');
    // ...and such a value in the same text does not switch nesting off for the real labels.
    const mixed = texts.t('en', 'apply.pick_named', { name: '$t(apply.ask_name)', housing: 'rented' });
    expect(mixed).toMatch(/^\$\u200bt\(apply\.ask_name\): Rented$/);
  });

  it('treats params named like i18next options as plain params', () => {
    expect(texts.t('en', 'common.ctx', { context: 'c', ns: 'n' })).toBe('c/n');
  });

  it('returns the key for a missing text, silently', () => {
    expect(texts.t('ar', 'apply.nothing_here')).toBe('apply.nothing_here');
    expect(texts.t('ar', 'apply.housing')).toBe('apply.housing'); // an object, not a text
  });

  it('gives raw strings for matching, and folds only real plural groups', () => {
    expect(texts.lookup('apply.hello', 'ar')).toBe('مرحبًا {{name}}');
    expect(texts.lookup('apply.housing', 'ar')).toBeUndefined();
    expect(texts.lookup('common.days', 'ar')).toBeUndefined();
    expect(texts.has('common.days', 'ar')).toBe(true);
    expect(texts.has('common.nothing', 'ar')).toBe(false);
    const keys = texts.keys('en');
    expect(keys.has('common.days')).toBe(true);
    expect(keys.has('common.days_one')).toBe(false);
    expect(keys.has('common.x_other')).toBe(true); // alone, so not a plural group
    expect(keys.has('apply.housing.other')).toBe(true);
  });

  it('refuses broken locale files, listing every problem', async () => {
    const dir = await localesDir({ 'ar/a.json': '{ nope', 'ar/b.json': { list: ['x'], 'dotted.key': 'x' } });
    const err = (await createI18n(dir).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('ar/a.json');
    expect(err.message).toContain('ar/b.json.list');
    expect(err.message).toContain('ar/b.json.dotted.key');
  });
});

describe('the real locales', () => {
  let texts: Texts;
  beforeAll(async () => {
    texts = await createI18n(LOCALES);
  });

  it('use the Arabic plural forms for days', () => {
    const days = (count: number): string => texts.t('ar', 'common.days', { count });
    expect(days(1)).toBe('يوم واحد');
    expect(days(2)).toBe('يومين'); // the dual
    expect(days(3)).toBe('٣ أيام');
    expect(days(10)).toBe('١٠ أيام');
    expect(days(11)).toBe('١١ يومًا');
    expect(days(14)).toBe('١٤ يومًا');
    expect(days(99)).toBe('٩٩ يومًا');
    expect(days(100)).toBe('١٠٠ يوم');
    expect(texts.t('en', 'common.days', { count: 1 })).toBe('1 day');
    expect(texts.t('en', 'common.days', { count: 14 })).toBe('14 days');
  });

  it('nest the plural inside the application confirmation', () => {
    const params = { reference: 'TW-1447-00001', review_days: 14, due_date: { date: '2026-06-10T09:00:00Z' } };
    const ar = texts.t('ar', 'apply.confirmation', params);
    expect(ar).toContain('لا تقل عن ١٤ يومًا');
    expect(ar).toContain('٢٤ ذو الحجة ١٤٤٧هـ الموافق ١٠ يونيو ٢٠٢٦م');
    expect(ar).toContain('\u2066TW-1447-00001\u2069');
    expect(texts.t('en', 'apply.confirmation', { ...params, review_days: 21 })).toContain('no less than 21 days');
  });

  it('render application status labels from {t} params', () => {
    expect(texts.t('ar', 'status.show_decided', { reference: 'R', status: { t: 'status.approved' }, updated_at: { date: '2026-05-01T09:00:00Z' } })).toContain('الحالة: تمت الموافقة على الطلب');
  });
});
