// The engine's step runner: executes steps from the current position until it needs input, an action, or rests.
import { evalCondition, evalExpr, evalParams, evalValues, isEmptyValue, setPath } from './expressions.ts';
import type { Scope } from './expressions.ts';
import { toOutputChoice } from './matching.ts';
import type { MatchableChoice } from './matching.ts';
import type { Choice, Flow, Step } from './schema.ts';
import type { ActionRequest, EngineContext, EngineOutput, FlowState, Json, ParamValue, Unplaced } from './types.ts';
import { YES_NO_CHOICES } from './validators.ts';

/** One call's working set: a private copy of the state plus what has been said so far. */
export interface Run {
  ctx: EngineContext;
  state: FlowState;
  outputs: EngineOutput[];
  action?: ActionRequest;
  /** Set when this input was not understood (the miss count then grows instead of resetting). */
  missed?: boolean;
  /** Set when a typed message was placed nowhere (not understood, or refused by the step's validator). */
  unplaced?: Unplaced;
}

export type AskStep = Extract<Step, { kind: 'ask' }>;
export type MenuStep = Extract<Step, { kind: 'menu' }>;
export type WaitingStep = AskStep | MenuStep;

// A flow that loops through set/branch steps without ever waiting is a bug; stop instead of hanging the worker.
const MAX_STEPS_PER_CALL = 200;
const MAX_HISTORY = 50;
export const USE_OFFERED = 'use_offered';
export const DOCUMENT_LATER = 'later';

export function scope(run: Run): Scope {
  return { vars: run.state.vars, profile: run.ctx.profile };
}

export function currentFlow(run: Run): Flow | undefined {
  return run.ctx.flows.get(run.state.flow);
}

export function currentStep(run: Run): Step | undefined {
  const flow = currentFlow(run);
  return flow && Object.hasOwn(flow.steps, run.state.step) ? flow.steps[run.state.step] : undefined;
}

export function say(run: Run, key: string, params: Record<string, ParamValue> = {}): void {
  run.outputs.push({ type: 'text', key, params, flow: run.state.flow, step: run.state.step });
}

export function goStep(run: Run, stepId: string): void {
  run.state.step = stepId;
  run.state.attempts = 0;
}

/** Moves into a flow: history and a pending correction belong to the flow being left. */
export function enterFlow(run: Run, flowId: string, stepId?: string): void {
  const flow = run.ctx.flows.get(flowId);
  run.state.flow = flowId;
  run.state.history = [];
  delete run.state.returnTo;
  goStep(run, stepId ?? flow?.start ?? '');
}

/**
 * Back to the main menu. Vars are kept on purpose: the conversation service may seed them (contact phone for
 * `offer`), and earlier answers make useful offers; flows must ask or set a var before branching on it.
 */
export function toMainMenu(run: Run): void {
  run.state.stack = [];
  enterFlow(run, run.ctx.mainFlow);
  advance(run);
}

export function handoff(run: Run): void {
  run.outputs.push({ type: 'handoff', flow: run.state.flow, step: run.state.step });
  run.state.waiting = 'idle';
  run.state.stack = [];
  delete run.state.returnTo;
}

export function pushHistory(run: Run, stepId: string): void {
  run.state.history = [...run.state.history, stepId].slice(-MAX_HISTORY);
}

function offeredChoices(choices: readonly Choice[], s: Scope): MatchableChoice[] {
  return choices
    .filter((c) => c.when === undefined || evalCondition(c.when, s))
    .map((c) => {
      const out: MatchableChoice = { id: c.id, label: c.label };
      if (c.params !== undefined) out.params = evalParams(c.params, s);
      if (c.synonyms !== undefined) out.synonyms = c.synonyms;
      return out;
    });
}

export function offeredValue(run: Run, step: AskStep): Json | undefined {
  if (step.offer === undefined) return undefined;
  const value = evalExpr(step.offer, scope(run));
  return isEmptyValue(value) ? undefined : value;
}

/** The choices shown with a question; `use_offered` comes last so the numbering of real options is stable. */
export function askChoices(run: Run, step: AskStep): MatchableChoice[] {
  const s = scope(run);
  const base =
    step.validator.type === 'choice'
      ? offeredChoices(step.validator.choices, s)
      : step.validator.type === 'yes_no'
        ? [...YES_NO_CHOICES]
        : step.validator.type === 'document' && step.validator.optional
          ? [{ id: DOCUMENT_LATER, label: 'engine.document_later', synonyms: 'engine.document_later_words' }]
          : [];
  const offered = offeredValue(run, step);
  if (offered !== undefined) base.push({ id: USE_OFFERED, label: 'engine.use_offered', params: { value: offered } });
  return base;
}

export function menuChoices(run: Run, step: MenuStep): MatchableChoice[] {
  return offeredChoices(step.choices, scope(run));
}

/** The schema choice behind an offered id (for its next/flow/edit). */
export function choiceSpec(step: WaitingStep, id: string): Choice | undefined {
  const list = step.kind === 'menu' ? step.choices : step.validator.type === 'choice' ? step.validator.choices : [];
  return list.find((c) => c.id === id);
}

/** Says the question of the waiting step (again) and waits for the answer. */
export function emitQuestion(run: Run, step: WaitingStep): void {
  const choices = step.kind === 'menu' ? menuChoices(run, step) : askChoices(run, step);
  const out: EngineOutput = {
    type: 'text',
    key: step.text,
    params: evalParams(step.params, scope(run)),
    flow: run.state.flow,
    step: run.state.step,
  };
  if (choices.length > 0) out.choices = choices.map(toOutputChoice);
  if (step.kind === 'ask') out.expects = step.validator.type;
  run.outputs.push(out);
  run.state.waiting = 'input';
}

/** Something the loader should have caught (or flows changed under a live conversation): hand over politely. */
function breakdown(run: Run): void {
  say(run, 'engine.internal_error');
  handoff(run);
}

/** Leaves a flow at its end: back to the caller of a `call`, else to the main menu. */
export function finish(run: Run): void {
  const frame = run.state.stack.at(-1);
  if (frame) {
    run.state.stack = run.state.stack.slice(0, -1);
    enterFlow(run, frame.flow, frame.step);
    return;
  }
  enterFlow(run, run.ctx.mainFlow);
}

/** Executes steps until one waits; afterwards `state.waiting` tells what for. */
export function advance(run: Run): void {
  for (let i = 0; i < MAX_STEPS_PER_CALL; i++) {
    const step = currentStep(run);
    if (!step) return breakdown(run);
    const s = scope(run);
    switch (step.kind) {
      case 'say':
        say(run, step.text, evalParams(step.params, s));
        if (step.next === undefined) finish(run);
        else goStep(run, step.next);
        break;
      case 'ask':
      case 'menu':
        return emitQuestion(run, step);
      case 'set':
        for (const [path, value] of Object.entries(evalValues(step.values, s))) setPath(run.state.vars, path, value);
        goStep(run, step.next);
        break;
      case 'branch': {
        const hit = step.cases.find((c) => evalCondition(c.when, s));
        goStep(run, hit ? hit.next : step.else);
        break;
      }
      case 'action':
        run.action = { name: step.name, args: evalValues(step.args, s) };
        run.state.waiting = 'action';
        return;
      case 'handoff':
        if (step.text !== undefined) say(run, step.text);
        return handoff(run);
      case 'goto':
        enterFlow(run, step.flow, step.step);
        break;
      case 'call':
        run.state.stack = [...run.state.stack, { flow: run.state.flow, step: step.next }];
        enterFlow(run, step.flow);
        break;
      case 'end':
        if (step.text !== undefined) say(run, step.text, evalParams(step.params, s));
        if (step.then === 'idle' && run.state.stack.length === 0) {
          run.state.waiting = 'idle';
          return;
        }
        if (step.then === 'main') {
          run.state.stack = [];
          enterFlow(run, run.ctx.mainFlow);
          break;
        }
        finish(run);
        break;
      default:
        return step satisfies never;
    }
  }
  breakdown(run);
}
