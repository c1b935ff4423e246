// What the engine makes of the classifier's scores: act on a clear winner, ask between two close ones, or neither.
import type { IntentScore } from './types.ts';

/** A winner needs at least this much of the message covered by one of its examples… */
export const ACT_SCORE = 0.3;
/** …and a lead over the runner-up: a runner-up within this ratio makes it a question («هل تقصد…؟»). */
export const CLOSE_RATIO = 0.9;
/** Below this nothing was recognised, however the scores compare. */
export const SUGGEST_SCORE = 0.3;

export type Decision = { kind: 'act'; intent: string; score: number } | { kind: 'ask'; intents: [string, string] } | { kind: 'none' };

export function decide(scores: readonly IntentScore[]): Decision {
  const [top, second] = scores;
  if (!top || top.score < SUGGEST_SCORE) return { kind: 'none' };
  const close = second !== undefined && second.score >= top.score * CLOSE_RATIO && second.score >= SUGGEST_SCORE;
  if (close) return { kind: 'ask', intents: [top.intent, second.intent] };
  return top.score >= ACT_SCORE ? { kind: 'act', intent: top.intent, score: top.score } : { kind: 'none' };
}
