// The intent classifier: MiniSearch (BM25) over character trigrams of normalized examples, built once at start-up.
import MiniSearch from 'minisearch';
import type { Locale } from '../core/messages.ts';
import type { Flow } from '../flows/schema.ts';
import type { IntentScore } from '../flows/types.ts';
import { examplesFromTexts, type IntentExample } from './intents.ts';
import { classifierForm, dice, grams } from './text.ts';

export interface Classifier {
  /** Every intent that shares anything with the text, best first; `score` is 0..1 (1: an example typed exactly). */
  classify(text: string): IntentScore[];
  /** Adds examples to the running index (an admin's, from the misses page): the next message already sees them. */
  learn(examples: readonly IntentExample[]): void;
  readonly size: number;
}

interface Doc {
  id: number;
  intent: string;
  grams: string[];
}

// A message longer than this is a story (a complaint, a case), not a command; only its start is read.
const MAX_CHARS = 300;

export function createClassifier(examples: readonly IntentExample[]): Classifier {
  const docs: Doc[] = examples.map((e, id) => ({ id, intent: e.intent, grams: grams(classifierForm(e.text)) }));
  const index = new MiniSearch<Doc>({
    fields: ['grams'],
    storeFields: [],
    extractField: (doc, field) => (field === 'id' ? doc.id : doc.grams.join(' ')),
    tokenize: (text) => text.split(' '),
    processTerm: (term) => term,
  });
  index.addAll(docs);
  return {
    get size() {
      return docs.length;
    },
    learn(more) {
      for (const e of more) {
        const doc: Doc = { id: docs.length, intent: e.intent, grams: grams(classifierForm(e.text)) };
        docs.push(doc);
        index.add(doc);
      }
    },
    classify(text) {
      const query = grams(classifierForm(text.slice(0, MAX_CHARS)));
      if (query.length === 0) return [];
      const hits = index.search(query.join(' '), { combineWith: 'OR' });
      const top = hits[0]?.score ?? 0;
      if (top <= 0) return [];
      // BM25 ranks the intents (rare words weigh most); the Dice overlap of the intent's closest example says how
      // much of the message it accounts for, so a message about something else scores low whatever its rank.
      const rank = new Map<string, number>();
      const cover = new Map<string, number>();
      for (const hit of hits.slice(0, 60)) {
        const doc = docs[hit.id as number];
        if (!doc) continue;
        rank.set(doc.intent, Math.max(rank.get(doc.intent) ?? 0, hit.score / top));
        cover.set(doc.intent, Math.max(cover.get(doc.intent) ?? 0, dice(query, doc.grams)));
      }
      return [...rank.entries()]
        .map(([intent, r]) => ({ intent, score: r * (cover.get(intent) ?? 0) }))
        .sort((a, b) => b.score - a.score);
    },
  };
}

/** The classifier a gateway runs: the main flow's intents, learnt from their examples in the texts. */
export function classifierForFlows(lookup: (key: string, locale: Locale) => string | undefined, flows: ReadonlyMap<string, Flow>, mainFlow: string): Classifier {
  return createClassifier(examplesFromTexts(lookup, Object.keys(flows.get(mainFlow)?.intents ?? {})));
}
