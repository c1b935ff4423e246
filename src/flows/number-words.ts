// Numbers written in words, as people type them: «ستة», «ثلاثة آلاف وخمسمية», «عشرين ألف», "six", "three thousand five hundred".
import { normalizeForMatch } from './normalize.ts';

const UNITS: Record<string, number> = {
  صفر: 0, واحد: 1, واحده: 1, وحده: 1, اثنين: 2, اثنان: 2, ثنين: 2, اثنتين: 2, ثلاث: 3, ثلاثه: 3, ثلث: 3, اربع: 4, اربعه: 4,
  خمس: 5, خمسه: 5, ست: 6, سته: 6, سبع: 7, سبعه: 7, ثمان: 8, ثمانيه: 8, ثمنيه: 8, ثماني: 8, تسع: 9, تسعه: 9, عشر: 10, عشره: 10,
  عشرين: 20, عشرون: 20, ثلاثين: 30, ثلاثون: 30, اربعين: 40, اربعون: 40, خمسين: 50, خمسون: 50, ستين: 60, ستون: 60,
  سبعين: 70, سبعون: 70, ثمانين: 80, ثمانون: 80, تسعين: 90, تسعون: 90, ميتين: 200, مئتين: 200, مائتين: 200, مئتان: 200,
};
const HUNDRED = /^(ثلاث|اربع|خمس|ست|سبع|ثمان|ثمن|تسع)?(ميه|مئه|مائه|ميت)$/;
const HUNDRED_OF: Record<string, number> = { ثلاث: 3, اربع: 4, خمس: 5, ست: 6, سبع: 7, ثمان: 8, ثمن: 8, تسع: 9 };

const EN_UNITS: Record<string, number> = {
  zero: 0, a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40,
  fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const EN_SCALES: Record<string, number> = { thousand: 1000, thousands: 1000, k: 1000, million: 1_000_000 };

/** "three thousand five hundred", "twenty-one", "a hundred and five"; undefined when any word is not a number word. */
function parseEnglishWords(words: readonly string[]): number | undefined {
  let total = 0;
  let current = 0;
  let any = false;
  for (const word of words) {
    if (word === 'and') continue;
    if (Object.hasOwn(EN_UNITS, word)) {
      const n = EN_UNITS[word] ?? 0;
      const below100 = current % 100;
      // "twenty one" adds up; "one two" or "twenty thirty" is a list of numbers, not one.
      if (below100 !== 0 && (below100 % 10 !== 0 || n >= 10)) return undefined;
      current += n;
    }
    else if (word === 'hundred' || word === 'hundreds') current = (current === 0 ? 1 : current) * 100;
    else if (Object.hasOwn(EN_SCALES, word)) {
      total += (current === 0 ? 1 : current) * (EN_SCALES[word] ?? 1);
      current = 0;
    } else return undefined;
    any = true;
  }
  // A lone "a" is a letter, not one.
  return any && words.join(' ') !== 'a' ? total + current : undefined;
}

/** The number the words say (Arabic or English), or undefined when any word is not a number word. */
export function parseNumberWords(raw: string): number | undefined {
  if (/^[a-z\s,-]+$/i.test(raw.trim())) {
    const english = raw.toLowerCase().split(/[\s,-]+/).filter((w) => w !== '');
    return english.length === 0 || english.length > 10 ? undefined : parseEnglishWords(english);
  }
  const words = normalizeForMatch(raw).split(' ').filter((w) => w !== '');
  if (words.length === 0 || words.length > 8) return undefined;
  let total = 0;
  let current = 0;
  for (const original of words) {
    const word = original.startsWith('و') && !Object.hasOwn(UNITS, original) && original.length > 2 ? original.slice(1) : original;
    const hundred = HUNDRED.exec(word);
    if (Object.hasOwn(UNITS, word)) current += UNITS[word] ?? 0;
    else if (hundred) current += 100 * (HUNDRED_OF[hundred[1] ?? ''] ?? 1);
    else if (word === 'الف' || word === 'الاف' || word === 'الوف') {
      total += (current === 0 ? 1 : current) * 1000;
      current = 0;
    } else if (word === 'الفين' || word === 'الفان') total += 2000;
    else return undefined;
  }
  return total + current;
}
