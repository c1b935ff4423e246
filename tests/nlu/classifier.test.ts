// The intent classifier against the corpus: the held-out part stays unseen, and is understood ≥ 95 % of the time.
import { beforeAll, describe, expect, it } from 'vitest';
import { classifierForm } from '../../src/nlu/text.ts';
import { createClassifier, type Classifier } from '../../src/nlu/classifier.ts';
import type { IntentExample } from '../../src/nlu/intents.ts';
import { readCorpus, shippedExamples } from './corpus.ts';
import { evaluate } from './eval.ts';

let examples: IntentExample[];
let ids: string[];
let classifier: Classifier;
beforeAll(async () => {
  ({ examples, ids } = await shippedExamples());
  classifier = createClassifier(examples);
});

describe('the NLU corpus', () => {
  it('holds at least 400 utterances: 300 Arabic and 100 English', () => {
    const all = [...readCorpus('train'), ...readCorpus('heldout')];
    expect(all.length).toBeGreaterThanOrEqual(400);
    expect(all.filter((u) => u.locale === 'ar').length).toBeGreaterThanOrEqual(300);
    expect(all.filter((u) => u.locale === 'en').length).toBeGreaterThanOrEqual(100);
  });

  it('expects only intents the texts define (or none)', () => {
    for (const u of [...readCorpus('train'), ...readCorpus('heldout')]) expect([...ids, 'none'], u.text).toContain(u.intent);
  });

  it('keeps the held-out part out of the examples, even spelled differently', () => {
    const seen = new Set(examples.map((e) => classifierForm(e.text)));
    const leaked = readCorpus('heldout').filter((u) => seen.has(classifierForm(u.text)));
    expect(leaked.map((u) => u.text)).toEqual([]);
  });
});

describe('the classifier', () => {
  it('understands at least 95 % of the held-out utterances', () => {
    const result = evaluate('heldout', readCorpus('heldout'), classifier.classify);
    expect(result.correct / result.total, result.confusions.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('places every training utterance', () => {
    const result = evaluate('train', readCorpus('train'), classifier.classify);
    expect(result.confusions).toEqual([]);
  });

  it('gives every intent examples in both languages', () => {
    for (const id of ids) {
      expect(examples.some((e) => e.intent === id && e.locale === 'ar'), id).toBe(true);
      expect(examples.some((e) => e.intent === id && e.locale === 'en'), id).toBe(true);
    }
  });

  it('reads stretched letters, tashkeel and missing hamza as the plain words', () => {
    for (const text of ['وين مقرّكم', 'ويـــن مقركم', 'وييين مقركم؟؟']) expect(classifier.classify(text)[0]?.intent, text).toBe('address');
    expect(classifier.classify('اريد التبرع')[0]?.intent).toBe('donate');
  });
});
