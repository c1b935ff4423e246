// Free text that no offered choice names: what the classifier makes of it, offering intents as buttons, and misses.
import { looseForm, normalizeForMatch } from './normalize.ts';
import { decide } from './intents.ts';
import { matchChoice } from './matching.ts';
import type { ChoiceInput, MatchableChoice } from './matching.ts';
import { currentFlow, emitQuestion, say } from './runner.ts';
import type { Run, WaitingStep } from './runner.ts';
import type { IntentTarget } from './schema.ts';

export type Understood =
  | { kind: 'intent'; intent: string; target: IntentTarget; score: number }
  | { kind: 'ask'; intents: [string, string] }
  | { kind: 'emoji' }
  | { kind: 'none' };

/** Button ids of offered intents («هل تقصد…؟»), kept apart from the step's own choice ids. */
const OFFER_PREFIX = 'nlu_';
const MISSES_BEFORE_OFFICER = 2;

export function intentTable(run: Run): Readonly<Record<string, IntentTarget>> {
  return run.ctx.flows.get(run.ctx.mainFlow)?.intents ?? {};
}

/** Whether a question may lead out of where the conversation is (idle, the main flow, or a flow marked open). */
export function isOpen(run: Run): boolean {
  return run.state.waiting === 'idle' || run.state.flow === run.ctx.mainFlow || currentFlow(run)?.open === true;
}

/** Only emoji, stickers' stand-in characters or punctuation: worth a smile back, not «لم نتعرّف». */
function onlySymbols(text: string): boolean {
  return text.trim() !== '' && looseForm(normalizeForMatch(text)) === '' && /\p{Extended_Pictographic}/u.test(text);
}

export function understand(run: Run, text: string): Understood {
  const classify = run.ctx.classify;
  if (!classify) return { kind: 'none' };
  if (onlySymbols(text)) return { kind: 'emoji' };
  const table = intentTable(run);
  const decision = decide(classify(text).filter((s) => Object.hasOwn(table, s.intent)));
  if (decision.kind === 'ask') return decision;
  if (decision.kind === 'act') {
    const target = table[decision.intent];
    if (target) return { kind: 'intent', intent: decision.intent, target, score: decision.score };
  }
  return { kind: 'none' };
}

function offeredChoices(intents: readonly string[]): MatchableChoice[] {
  return intents.map((i) => ({ id: `${OFFER_PREFIX}${i}`, label: `intents.label.${i}` }));
}

/** Asks which intent was meant, the intents as buttons; the step keeps waiting for its own answer too. */
export function offerIntents(run: Run, key: string, intents: readonly string[]): void {
  run.outputs.push({
    type: 'text',
    key,
    params: {},
    choices: offeredChoices(intents).map((c) => ({ id: c.id, label: c.label })),
    flow: run.state.flow,
    step: run.state.step,
  });
  run.state.offered = [...intents];
}

/** The offered intent this input picks (button, number or label), if intents were offered last turn. */
export function pickOffered(run: Run, input: ChoiceInput): string | undefined {
  const offered = run.state.offered;
  delete run.state.offered;
  if (!offered || offered.length === 0) return undefined;
  const hit = matchChoice(input, offeredChoices(offered), run.ctx.lookup, { contains: false });
  return hit?.id.slice(OFFER_PREFIX.length);
}

/** Validators whose answers are never personal data: a typed miss there may be kept word for word. */
const IMPERSONAL = new Set(['choice', 'yes_no']);

/** Records that this typed message was placed nowhere, and whether the step collects personal data. */
export function markUnplaced(run: Run, current: WaitingStep): void {
  const personal = current.kind === 'ask' && !IMPERSONAL.has(current.validator.type);
  run.unplaced = { flow: run.state.flow, step: run.state.step, personal };
}

/** Nothing recognised: say so helpfully with the menu; after two misses in a row, offer an officer first. */
export function missed(run: Run, current: WaitingStep): void {
  run.missed = true;
  markUnplaced(run, current);
  const misses = (run.state.misses ?? 0) + 1;
  run.state.misses = misses;
  if (misses >= MISSES_BEFORE_OFFICER) return offerIntents(run, 'engine.not_understood_officer', ['officer', 'menu']);
  say(run, 'engine.not_understood');
  emitQuestion(run, current);
}
