// Application references from a guesser's side: their form, the check symbol against typos, how they are typed
// back, and that the next one cannot be worked out from the last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newApplicationReference } from '../../src/conversations/application-actions.ts';
import { CROCKFORD, encodeCode, parseReference } from '../../src/core/references.ts';
import { applications, contacts } from '../../src/db/schema.ts';
import { openTempDb } from '../support/temp-db.ts';

const FORM = /^TW-1448-[0-9A-HJKMNP-TV-Z]{7}$/;
const NOW = new Date('2026-11-19T07:00:00Z');

let store: ReturnType<typeof openTempDb>;
let refs: string[];
beforeAll(() => {
  store = openTempDb();
  const { db } = store;
  db.insert(contacts).values({ id: 'c1' }).run();
  // Each is stored as it is drawn, as the intake does, so a draw that collides is drawn again.
  refs = db.$client.transaction(() =>
    Array.from({ length: 3000 }, (_, i) => {
      const reference = newApplicationReference(db, NOW);
      const at = NOW.toISOString();
      db.insert(applications)
        .values({ id: `a${i}`, reference, contactId: 'c1', applicantName: 'x', nationalId: '1000000008', mobile: '+966551234567', answers: {}, declarationVersion: '1', declarationAcceptedAt: at, committeeDueAt: at })
        .run();
      return reference;
    }),
  )();
});
afterAll(() => store.close());

/** The 30-bit number the six random symbols spell. */
const valueOf = (ref: string) => [...ref.slice(8, 14)].reduce((v, ch) => v * 32 + CROCKFORD.indexOf(ch), 0);

describe('application references', () => {
  it('are TW-<Hijri year>- and seven symbols anyone can read off a phone: no I, L, O, U and no punctuation', () => {
    for (const ref of refs) expect(ref).toMatch(FORM);
    expect(refs[0]).toHaveLength(15);
    // The check symbol of every one is itself valid: it reads back unchanged.
    for (const ref of refs.slice(0, 200)) expect(parseReference(ref)).toBe(ref);
    expect(encodeCode(0)).toBe('0000000');
  });

  it('refuse any one mistyped symbol and any two neighbours swapped', () => {
    for (const ref of refs.slice(0, 40)) {
      const code = ref.slice(8);
      for (let i = 0; i < code.length; i++) {
        for (const ch of CROCKFORD) {
          if (ch === code[i]) continue;
          const typo = `TW-1448-${code.slice(0, i)}${ch}${code.slice(i + 1)}`;
          expect(parseReference(typo), typo).toBeNull();
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = `TW-1448-${code.slice(0, i)}${code[i + 1]}${code[i]}${code.slice(i + 2)}`;
          expect(parseReference(swapped), swapped).toBeNull();
        }
      }
      expect(parseReference(`TW-1448-${code.slice(0, 6)}`)).toBeNull();
      expect(parseReference(`TW-1448-${code}0`)).toBeNull();
    }
  });

  it('are read back however people type them: any case, O/I/L for 0/1, Arabic-Indic digits, spaces, no dashes', () => {
    const ref = `TW-1448-${encodeCode(0x0210421)}`;
    const code = ref.slice(8);
    expect(code).toMatch(/[01]/);
    const arabic = (s: string) => s.replace(/\d/g, (d) => String.fromCodePoint(0x660 + Number(d)));
    const confusable = code.replace(/0/g, 'o').replace(/1/g, 'l');
    for (const typed of [ref.toLowerCase(), `tw 1448 ${confusable}`, `TW1448${code.replace(/1/g, 'I')}`, arabic(ref), `\u2066${ref}\u2069`, `TW-1448-${code.slice(0, 3)}-${code.slice(3)}`]) {
      expect(parseReference(typed), typed).toBe(ref);
    }
  });

  it('old sequential references stay valid as they were', () => {
    expect(parseReference('TW-1448-00042')).toBe('TW-1448-00042');
    expect(parseReference('tw 1448 42')).toBe('TW-1448-00042');
    expect(parseReference('٢٠-TW-1448')).toBeNull();
    expect(parseReference('أحمد')).toBeNull();
  });

  it('are random: unique, every symbol in every place, and no step from one to the next', () => {
    expect(new Set(refs).size).toBe(refs.length);
    for (let place = 8; place < 14; place++) expect(new Set(refs.map((r) => r[place])).size, `place ${place}`).toBe(32);
    const values = refs.map(valueOf);
    const steps = values.slice(1).map((v, i) => v - (values[i] ?? 0));
    // A counter (or a counter in disguise) repeats its step; random draws almost never do.
    expect(new Set(steps).size).toBeGreaterThan(steps.length - 3);
    // Rising as often as falling: nothing orders them by time.
    const rises = steps.filter((d) => d > 0).length;
    expect(rises / steps.length).toBeGreaterThan(0.45);
    expect(rises / steps.length).toBeLessThan(0.55);
    // Neighbours share no more leading symbols than chance (1 in 32 share the first).
    const sameFirst = refs.slice(1).filter((r, i) => r[8] === refs[i]?.[8]).length;
    expect(sameFirst / steps.length).toBeLessThan(0.06);
  });
});
