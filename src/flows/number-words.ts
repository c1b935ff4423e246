// Numbers written in Arabic words, as people type them: «ستة», «ثلاثة آلاف وخمسمية», «عشرين ألف».
import { normalizeForMatch } from './normalize.ts';

const UNITS: Record<string, number> = {
  صفر: 0, واحد: 1, واحده: 1, وحده: 1, اثنين: 2, اثنان: 2, ثنين: 2, اثنتين: 2, ثلاث: 3, ثلاثه: 3, ثلث: 3, اربع: 4, اربعه: 4,
  خمس: 5, خمسه: 5, ست: 6, سته: 6, سبع: 7, سبعه: 7, ثمان: 8, ثمانيه: 8, ثمنيه: 8, ثماني: 8, تسع: 9, تسعه: 9, عشر: 10, عشره: 10,
  عشرين: 20, عشرون: 20, ثلاثين: 30, ثلاثون: 30, اربعين: 40, اربعون: 40, خمسين: 50, خمسون: 50, ستين: 60, ستون: 60,
  سبعين: 70, سبعون: 70, ثمانين: 80, ثمانون: 80, تسعين: 90, تسعون: 90, ميتين: 200, مئتين: 200, مائتين: 200, مئتان: 200,
};
const HUNDRED = /^(ثلاث|اربع|خمس|ست|سبع|ثمان|ثمن|تسع)?(ميه|مئه|مائه|ميت)$/;
const HUNDRED_OF: Record<string, number> = { ثلاث: 3, اربع: 4, خمس: 5, ست: 6, سبع: 7, ثمان: 8, ثمن: 8, تسع: 9 };

/** The number the words say, or undefined when any word is not a number word. */
export function parseNumberWords(raw: string): number | undefined {
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
