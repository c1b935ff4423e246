// The charity profile: the example loads, and every kind of mistake is reported with its path.
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AppError } from '../../src/core/errors.ts';
import { ibanChecksumOk } from '../../src/profile/schema.ts';
import { loadProfile, parseProfile, profileJson } from '../../src/profile/load.ts';

const EXAMPLE = new URL('../../profiles/example.yaml', import.meta.url).pathname;
const exampleData = (): Record<string, unknown> => parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;

function problemsOf(data: unknown): string[] {
  try {
    parseProfile(data, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return (err as AppError).details as string[];
  }
  throw new Error('expected the profile to be rejected');
}

describe('charity profile', () => {
  it('loads the fictional example with display params ready for the texts', async () => {
    const p = await loadProfile(EXAMPLE);
    expect(p.names.ar).toContain('النموذجية');
    expect(p.working_hours).toEqual({ days: ['sun', 'mon', 'tue', 'wed', 'thu'], open: '08:00', close: '15:00' });
    expect(p.committee_review_days).toBe(14);
    expect(p.timezone).toBe('Asia/Riyadh');
    expect(p.donation_accounts[0]?.iban).toBe('SA3199000000000000012345'); // written grouped in the file
    expect(p.display.days).toEqual({ t: 'common.days_range', params: { from: { ar: 'الأحد', en: 'Sunday' }, to: { ar: 'الخميس', en: 'Thursday' } } });
    expect(p.display.open).toEqual({ ar: '٨:٠٠ ص', en: '8:00 AM' });
    expect(p.display.close).toEqual({ ar: '٣:٠٠ م', en: '3:00 PM' });
    expect(p.display.phone).toEqual({ ar: '0112345678', en: '+966112345678' });
    expect(p.holidays.some((h) => h.from === '2026-09-23')).toBe(true);
    expect(p.holidays.some((h) => h.from === '2027-02-22')).toBe(true);
  });

  it('uses only placeholder contact data', async () => {
    const p = await loadProfile(EXAMPLE);
    for (const link of [p.website, p.map_url, ...Object.values(p.social)]) expect(new URL(link ?? '').hostname).toMatch(/(^|\.)example\.org$/);
    expect(p.email.endsWith('@example.org')).toBe(true);
  });

  it('becomes plain JSON for the engine, without absent optionals', () => {
    const data = exampleData();
    delete data.whatsapp;
    const json = profileJson(parseProfile(data)) as Record<string, unknown>;
    expect('whatsapp' in json).toBe(false);
    expect(JSON.stringify((json.display as { contact: unknown }).contact)).not.toContain('whatsapp');
  });

  it('lists every problem with its path, not just the first', () => {
    const data = exampleData();
    delete data.names;
    data.phone = '0112345678';
    data.committee_review_days = 7;
    data.working_hours = { days: ['sun', 'sun', 'fri'], open: '16:00', close: '15:00' };
    data.holidays = [{ name: { ar: 'عيد', en: 'Eid' }, from: '2026-03-22', to: '2026-03-19' }];
    data.donation_accounts = [{ bank: { ar: 'بنك', en: 'Bank' }, iban: 'SA12345' }];
    data.website = 'not a url';
    data.colour = 'green';
    const problems = problemsOf(data);
    const paths = problems.map((p) => p.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'names',
        'phone',
        'committee_review_days',
        'working_hours.days',
        'working_hours.close',
        'holidays.0.to',
        'donation_accounts.0.iban',
        'website',
        '(top level)',
      ]),
    );
    expect(problems.find((p) => p.startsWith('(top level)'))).toContain('colour');
  });

  it('puts the file name and every problem in the error message', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'profile-'));
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'names: { ar: x }\nphone: 123\n');
    const err = await loadProfile(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const message = (err as Error).message;
    expect(message).toContain(file);
    for (const path of ['names.en', 'phone', 'short_name', 'working_hours', 'declaration_version']) expect(message).toContain(`- ${path}`);
  });

  it('reports YAML syntax errors as such', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'profile-'));
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'names: [unclosed\n');
    await expect(loadProfile(file)).rejects.toThrow(/invalid charity profile/);
  });

  it('refuses a committee review period under two weeks and defaults to 14 days', () => {
    const short = exampleData();
    short.committee_review_days = 13;
    expect(problemsOf(short).join('\n')).toMatch(/committee_review_days: .*two weeks/);
    const longer = exampleData();
    longer.committee_review_days = 21;
    expect(parseProfile(longer).committee_review_days).toBe(21);
    const unset = exampleData();
    delete unset.committee_review_days;
    expect(parseProfile(unset).committee_review_days).toBe(14);
  });

  it('refuses IBANs that are not SA + 22 digits or whose check digits fail', () => {
    const bad = ['SA31990000000000000123', 'AE070331234567890123456', 'SA3199000000000000012346', 'SA31 9900 0000 0000 0001 234X'];
    for (const iban of bad) {
      const data = exampleData();
      data.donation_accounts = [{ bank: { ar: 'بنك', en: 'Bank' }, iban }];
      expect(problemsOf(data)[0], iban).toMatch(/^donation_accounts\.0\.iban: /);
    }
    expect(ibanChecksumOk('SA0380000000608010167519')).toBe(true); // the standard published example format
    expect(ibanChecksumOk('SA0380000000608010167518')).toBe(false);
  });

  it('checks working hours are HH:MM with open before close', () => {
    for (const [open, close] of [['8:00', '15:00'], ['08:00', '24:00'], ['15:00', '15:00']] as const) {
      const data = exampleData();
      data.working_hours = { days: ['sun'], open, close };
      expect(problemsOf(data).join('\n'), `${open}-${close}`).toMatch(/working_hours\.(open|close)/);
    }
  });

  it('shows scattered working days as a list', () => {
    const data = exampleData();
    data.working_hours = { days: ['sun', 'tue', 'thu'], open: '08:00', close: '12:00' };
    expect(parseProfile(data).display.days).toEqual({ ar: 'الأحد والثلاثاء والخميس', en: 'Sunday, Tuesday, and Thursday' });
  });
});
