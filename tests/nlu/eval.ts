// npm run nlu:eval — accuracy of the shipped classifier on each part of the corpus, and what it confuses.
// `npm run nlu:eval -- --compare` also measures NLP.js (@nlpjs/nlp + @nlpjs/lang-ar) on the same data.
import { decide } from '../../src/flows/intents.ts';
import type { IntentScore } from '../../src/flows/types.ts';
import { createClassifier } from '../../src/nlu/classifier.ts';
import type { IntentExample } from '../../src/nlu/intents.ts';
import { readCorpus, shippedExamples, type Utterance } from './corpus.ts';

export interface PartResult {
  part: string;
  total: number;
  correct: number;
  confusions: string[];
}

type Classify = (text: string) => IntentScore[];

/** Correct: the engine would act on the expected intent (or, for "none", on nothing). */
export function evaluate(part: string, corpus: readonly Utterance[], classify: Classify): PartResult {
  let correct = 0;
  const confusions: string[] = [];
  for (const u of corpus) {
    const d = decide(classify(u.text));
    const got = d.kind === 'act' ? d.intent : d.kind === 'ask' ? `ask(${d.intents.join('|')})` : 'none';
    if (got === u.intent) correct += 1;
    else confusions.push(`${u.locale} «${u.text}»: expected ${u.intent}, got ${got}`);
  }
  return { part, total: corpus.length, correct, confusions };
}

function memoryMb(): number {
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

async function timed(name: string, build: () => Promise<Classify> | Classify): Promise<Classify> {
  globalThis.gc?.();
  const before = memoryMb();
  const start = performance.now();
  const classify = await build();
  const ms = performance.now() - start;
  console.log(`${name}: built in ${ms.toFixed(0)} ms, heap +${(memoryMb() - before).toFixed(1)} MB`);
  return classify;
}

async function main(): Promise<void> {
  const { examples } = await shippedExamples();
  const parts = { train: readCorpus('train'), heldout: readCorpus('heldout') };
  const results: PartResult[] = [];
  const mini = await timed('MiniSearch (char trigrams, BM25 + Dice)', () => createClassifier(examples).classify);
  for (const [part, corpus] of Object.entries(parts)) {
    const t0 = performance.now();
    results.push(evaluate(part, corpus, mini));
    console.log(`MiniSearch ${part}: ${((performance.now() - t0) / corpus.length).toFixed(2)} ms per message`);
  }
  for (const r of results) {
    console.log(`\n${r.part}: ${r.correct}/${r.total} = ${((100 * r.correct) / r.total).toFixed(1)} %`);
    for (const c of r.confusions) console.log(`  ${c}`);
  }
  if (process.argv.includes('--compare')) await compareNlpjs(examples, parts);
}

async function compareNlpjs(examples: readonly IntentExample[], parts: Record<string, Utterance[]>): Promise<void> {
  // Untyped packages, used only here: imported by a name TypeScript does not resolve.
  const load = (name: string): Promise<unknown> => import(name);
  const { Nlp } = (await load('@nlpjs/nlp')) as { Nlp: new (s: object) => NlpLike };
  const { LangAr } = (await load('@nlpjs/lang-ar')) as { LangAr: unknown };
  interface NlpLike {
    use(x: unknown): void;
    addDocument(l: string, t: string, i: string): void;
    train(): Promise<void>;
    process(l: string, t: string): Promise<{ classifications?: { intent: string; score: number }[] }>;
  }
  globalThis.gc?.();
  const before = memoryMb();
  const start = performance.now();
  const nlp = new Nlp({ languages: ['ar', 'en'], autoSave: false, nlu: { log: false }, threshold: 0.5 });
  nlp.use(LangAr);
  for (const e of examples) nlp.addDocument(e.locale, e.text, e.intent);
  await nlp.train();
  console.log(`\nNLP.js (@nlpjs/nlp + lang-ar): built in ${(performance.now() - start).toFixed(0)} ms, heap +${(memoryMb() - before).toFixed(1)} MB`);
  for (const [part, corpus] of Object.entries(parts)) {
    let correct = 0;
    const t0 = performance.now();
    for (const u of corpus) {
      const locale = /[\u0600-\u06FF]/.test(u.text) ? 'ar' : 'en';
      const out = await nlp.process(locale, u.text);
      const top = out.classifications?.[0];
      const got = top && top.intent !== 'None' && top.score >= 0.5 ? top.intent : 'none';
      if (got === u.intent) correct += 1;
    }
    const per = (performance.now() - t0) / corpus.length;
    console.log(`NLP.js ${part}: ${correct}/${corpus.length} = ${((100 * correct) / corpus.length).toFixed(1)} % (${per.toFixed(2)} ms per message)`);
  }
}

if (process.argv[1]?.endsWith('eval.ts')) await main();
