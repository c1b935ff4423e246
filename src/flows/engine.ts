// The pure flow engine: (context, state, input) → (state, outputs, action). No I/O, clock, randomness or i18n.
import type { Locale } from '../core/messages.ts';
import { COMMAND_KEYS, detectCommand } from './commands.ts';
import type { Command } from './commands.ts';
import { evalParams, setPath } from './expressions.ts';
import { matchChoice } from './matching.ts';
import type { ChoiceInput, MatchableChoice } from './matching.ts';
import {
  DOCUMENT_LATER,
  USE_OFFERED,
  advance,
  askChoices,
  choiceSpec,
  currentFlow,
  currentStep,
  emitQuestion,
  enterFlow,
  finish,
  goStep,
  handoff,
  menuChoices,
  offeredValue,
  pushHistory,
  say,
  scope,
  toMainMenu,
} from './runner.ts';
import type { AskStep, MenuStep, Run, WaitingStep } from './runner.ts';
import type { Choice } from './schema.ts';
import { intentTable, isOpen, markUnplaced, missed, offerIntents, pickOffered, understand } from './understand.ts';
import type { Understood } from './understand.ts';
import type { EngineContext, EngineInput, EngineResult, FlowState, Json } from './types.ts';
import { VALIDATION_KEYS, validate } from './validators.ts';
import type { ValidationResult } from './validators.ts';

/** A fresh conversation resting at the main flow; the first input (start or text) wakes it. */
export function initialState(ctx: EngineContext, locale: Locale = 'ar'): FlowState {
  const main = ctx.flows.get(ctx.mainFlow);
  return { flow: ctx.mainFlow, step: main?.start ?? '', waiting: 'idle', locale, vars: {}, attempts: 0, stack: [], history: [] };
}

/** Applies one input. `state` is never mutated; null means a new conversation (Arabic). */
export function step(ctx: EngineContext, state: FlowState | null, input: EngineInput): EngineResult {
  const run: Run = { ctx, state: state ? structuredClone(state) : initialState(ctx), outputs: [] };
  const withhold = withheld(run, input);
  dispatch(run, input);
  if (!run.missed) delete run.state.misses;
  const result: EngineResult = { state: run.state, outputs: run.outputs };
  if (run.action) result.action = run.action;
  if (run.unplaced) result.unplaced = withhold ? { ...run.unplaced, personal: true } : run.unplaced;
  if (withhold) result.withhold = true;
  return result;
}

/** Text typed at a `withhold` menu (the privacy notice) that picks none of its choices: never kept. */
function withheld(run: Run, input: EngineInput): boolean {
  const current = waitingStep(run);
  if (input.type !== 'text' || current?.kind !== 'menu' || current.withhold !== true) return false;
  return matchChoice(input, menuChoices(run, current), run.ctx.lookup, { contains: false }) === undefined;
}

function dispatch(run: Run, input: EngineInput): void {
  if (input.type === 'start') return restart(run, input.flow);
  if (input.type === 'action_result') return onActionResult(run, input);
  if (input.type === 'file') return onFile(run, input);
  const picked = pickOffered(run, input);
  if (picked !== undefined && actOn(run, picked, waitingStep(run), true)) return;
  const current = currentStep(run);
  if (run.state.waiting === 'input' && (current?.kind === 'ask' || current?.kind === 'menu')) {
    return onAnswer(run, current, input);
  }
  if (run.state.waiting === 'action' && current?.kind === 'action') return whileBusy(run, input);
  // Idle, or a position that no longer exists because the flows were edited under a live conversation.
  return onIdle(run, input);
}

function restart(run: Run, flowId?: string): void {
  run.state.stack = [];
  enterFlow(run, flowId !== undefined && run.ctx.flows.has(flowId) ? flowId : run.ctx.mainFlow);
  advance(run);
}

function setLocale(run: Run, locale: Locale): void {
  run.state.locale = locale;
  run.outputs.push({ type: 'locale', locale });
}

const COMMAND_LOCALE: Partial<Record<Command, Locale>> = { english: 'en', arabic: 'ar' };

function onIdle(run: Run, input: ChoiceInput): void {
  const command = input.type === 'text' ? commandOf(run, input.text) : undefined;
  if (command === 'officer') {
    say(run, 'engine.handoff');
    return handoff(run);
  }
  const locale = command && COMMAND_LOCALE[command];
  if (locale) setLocale(run, locale);
  if (command === 'greeting') say(run, 'engine.greeting_reply');
  const understood: Understood = input.type === 'text' && !command ? understand(run, input.text) : { kind: 'none' };
  // «صباح الخير» gets «صباح النور» before the welcome, not after it.
  const courtesy = courtesyKey(run, understood);
  if (courtesy) say(run, courtesy);
  restart(run);
  if (command || courtesy) return;
  // Someone who already knows the menu ("2", "طلب مساعدة") goes straight there without seeing it again.
  const menu = currentStep(run);
  if (run.state.waiting !== 'input' || menu?.kind !== 'menu') return;
  const hit = matchChoice(input, menuChoices(run, menu), run.ctx.lookup, { contains: understood.kind === 'none' });
  if (!hit && understood.kind === 'none') {
    // A first message nothing placed: the welcome and menu answer it, and it is kept to learn from.
    if (input.type === 'text') markUnplaced(run, menu);
    return;
  }
  const prompt = run.outputs.at(-1);
  if (prompt?.type === 'text' && prompt.flow === run.state.flow && prompt.step === run.state.step) run.outputs.pop();
  if (hit) return chooseFromMenu(run, menu, hit);
  if (!actOnUnderstood(run, understood, menu) && prompt) run.outputs.push(prompt);
}

/** The global command in a message; greetings are left to the classifier when there is one (each gets its reply). */
function commandOf(run: Run, text: string, context?: Parameters<typeof detectCommand>[2]): Command | undefined {
  const command = detectCommand(text, run.ctx.lookup, context);
  return command === 'greeting' && run.ctx.classify ? undefined : command;
}

function courtesyKey(_run: Run, understood: Understood): string | undefined {
  if (understood.kind === 'emoji') return 'engine.emoji_reply';
  if (understood.kind === 'intent' && 'reply' in understood.target) return understood.target.reply;
  return undefined;
}

function waitingStep(run: Run): WaitingStep | undefined {
  const current = currentStep(run);
  return run.state.waiting === 'input' && (current?.kind === 'ask' || current?.kind === 'menu') ? current : undefined;
}

/** Does what the understood message asks; false when it cannot be done here (then it is an answer after all). */
function actOnUnderstood(run: Run, understood: Understood, current: WaitingStep | undefined): boolean {
  switch (understood.kind) {
    case 'none':
      return false;
    case 'emoji':
      say(run, 'engine.emoji_reply');
      if (current) emitQuestion(run, current);
      return true;
    case 'ask':
      offerIntents(run, 'engine.did_you_mean', understood.intents);
      return true;
    case 'intent':
      return actOn(run, understood.intent, current, false);
  }
}

/** One intent's target. `chosen`: picked from offered buttons, so it may leave even a flow in progress. */
function actOn(run: Run, intent: string, current: WaitingStep | undefined, chosen: boolean): boolean {
  const target = intentTable(run)[intent];
  if (!target) return false;
  if ('reply' in target) {
    say(run, target.reply);
    if (current) emitQuestion(run, current);
    return true;
  }
  if ('ask' in target) {
    offerIntents(run, target.ask, target.options);
    return true;
  }
  if ('command' in target) {
    applyCommand(run, target.command, current);
    return true;
  }
  if (chosen || isOpen(run)) {
    run.state.stack = [];
    enterFlow(run, target.flow, target.step);
    advance(run);
    return true;
  }
  // In the middle of a flow a question is answered in place, and the pending question asked again.
  const answer = target.step === undefined ? undefined : run.ctx.flows.get(target.flow)?.steps[target.step];
  if (answer?.kind !== 'say') return false;
  say(run, answer.text, evalParams(answer.params, scope(run)));
  if (current) emitQuestion(run, current);
  return true;
}

/** An upload answers a document question; anywhere else it is kept (officers see it) and the question repeats. */
function onFile(run: Run, input: Extract<EngineInput, { type: 'file' }>): void {
  const current = currentStep(run);
  if (run.state.waiting === 'input' && current?.kind === 'ask' && current.validator.type === 'document') {
    setPath(run.state.vars, current.var, input.id);
    pushHistory(run, run.state.step);
    return follow(run, undefined, current.next);
  }
  say(run, 'validation.file_unexpected');
  if (run.state.waiting === 'input' && (current?.kind === 'ask' || current?.kind === 'menu')) emitQuestion(run, current);
}

function whileBusy(run: Run, input: ChoiceInput): void {
  const command = input.type === 'text' ? commandOf(run, input.text) : undefined;
  const locale = command && COMMAND_LOCALE[command];
  if (locale) return setLocale(run, locale);
  if (command === 'menu' || command === 'cancel' || command === 'officer') return applyCommand(run, command);
  say(run, 'engine.busy');
}

function onActionResult(run: Run, input: Extract<EngineInput, { type: 'action_result' }>): void {
  const current = currentStep(run);
  // A late or duplicate result (the user cancelled meanwhile) must not move the conversation.
  if (run.state.waiting !== 'action' || current?.kind !== 'action') return;
  if (input.ok) {
    if (current.var !== undefined) setPath(run.state.vars, current.var, input.value);
    goStep(run, current.next);
  } else if (current.on_error !== undefined) {
    goStep(run, current.on_error);
  } else {
    say(run, 'engine.action_failed');
    return toMainMenu(run);
  }
  advance(run);
}

function onAnswer(run: Run, current: WaitingStep, input: ChoiceInput): void {
  const choices = current.kind === 'menu' ? menuChoices(run, current) : askChoices(run, current);
  // An offered option named in full wins over a command word: "موظف" answering "what is your job?" is not a handoff.
  const named = input.type === 'text' && matchChoice(input, choices, run.ctx.lookup, { byNumber: false, contains: false }) !== undefined;
  if (input.type === 'text' && !named) {
    const validator = current.kind === 'ask' ? current.validator.type : undefined;
    const command = commandOf(run, input.text, {
      numberExpected: validator === 'number',
      // Long free text (a complaint, a comment) may mention "the officer"; short answers (a name, a city)
      // never contain phrases like "ابي اكلم موظف", so there a sentence asking for a person counts.
      freeText: current.kind === 'ask' && current.validator.type === 'text' && current.validator.max > 100,
    });
    if (command) return applyCommand(run, command, current);
  }
  if (current.kind === 'ask') return answerAsk(run, current, input);
  const classify = input.type === 'text' && run.ctx.classify !== undefined;
  const exact = matchChoice(input, choices, run.ctx.lookup, { contains: !classify });
  if (exact) return chooseFromMenu(run, current, exact);
  if (input.type !== 'text' || !classify) {
    if (input.type === 'text') markUnplaced(run, current);
    return reject(run, current, { ok: false, reason: 'validation.choice_invalid', params: { max: choices.length } });
  }
  if (actOnUnderstood(run, understand(run, input.text), current)) return;
  // Without a recognised intent, a choice's words inside a sentence still count ("ابي اقدم طلب مساعدة").
  const contained = matchChoice(input, choices, run.ctx.lookup);
  if (contained) return chooseFromMenu(run, current, contained);
  missed(run, current);
}

/** A wrong answer mid-flow counts as a question or command only when it clearly is one (no «هل تقصد…؟» there). */
const MIDFLOW_SCORE = 0.45;
/** Short free-text answers (a name, a city) are checked first: only what plainly is something else is taken so. */
const STRONG_SCORE = 0.6;

function confidentIntent(run: Run, text: string, min: number): Understood {
  const understood = understand(run, text);
  if (understood.kind === 'emoji') return understood;
  return understood.kind === 'intent' && understood.score >= min ? understood : { kind: 'none' };
}

function strongIntent(run: Run, ask: AskStep, text: string): Understood {
  const { validator } = ask;
  if (validator.type !== 'text' || validator.max > 100) return { kind: 'none' };
  return confidentIntent(run, text, STRONG_SCORE);
}

function applyCommand(run: Run, command: Command, current?: WaitingStep): void {
  switch (command) {
    case 'cancel':
      say(run, 'engine.cancelled');
      return toMainMenu(run);
    case 'menu':
      return toMainMenu(run);
    case 'officer':
      say(run, 'engine.handoff');
      return handoff(run);
    case 'back': {
      const previous = run.state.history.at(-1);
      const target = previous === undefined ? undefined : currentFlow(run)?.steps[previous];
      if (previous !== undefined && (target?.kind === 'ask' || target?.kind === 'menu')) {
        run.state.history = run.state.history.slice(0, -1);
        goStep(run, previous);
        return advance(run);
      }
      say(run, 'engine.back_unavailable');
      break;
    }
    case 'english':
    case 'arabic':
      setLocale(run, command === 'english' ? 'en' : 'ar');
      break;
    case 'greeting':
      say(run, 'engine.greeting_reply');
      break;
  }
  if (current) emitQuestion(run, current);
}

function chooseFromMenu(run: Run, menu: MenuStep, hit: MatchableChoice): void {
  if (menu.var !== undefined) setPath(run.state.vars, menu.var, hit.id);
  pushHistory(run, run.state.step);
  follow(run, choiceSpec(menu, hit.id), menu.next);
}

/** Where an answered step leads: the choice's edit/flow/next, else back to a summary being corrected, else next. */
function follow(run: Run, choice: Choice | undefined, next: string | undefined): void {
  const { returnTo } = run.state;
  if (choice?.edit !== undefined) {
    run.state.returnTo = { flow: run.state.flow, step: run.state.step };
    goStep(run, choice.edit);
  } else if (choice?.flow !== undefined) {
    enterFlow(run, choice.flow);
  } else if (choice?.next !== undefined) {
    goStep(run, choice.next);
  } else if (returnTo !== undefined && returnTo.flow === run.state.flow) {
    delete run.state.returnTo;
    goStep(run, returnTo.step);
  } else if (next !== undefined) {
    goStep(run, next);
  } else {
    finish(run);
  }
  advance(run);
}

function acceptOffered(run: Run, ask: AskStep, offered: Json): ValidationResult {
  const { type } = ask.validator;
  // The offer came from our own records; only re-check values a typed answer would also be checked as.
  if (type === 'choice' || type === 'yes_no' || (typeof offered !== 'string' && typeof offered !== 'number')) {
    return { ok: true, value: offered };
  }
  return validate(ask.validator, String(offered), { now: run.ctx.now, lookup: run.ctx.lookup });
}

function answerAsk(run: Run, ask: AskStep, input: ChoiceInput): void {
  const { type } = ask.validator;
  if (input.type === 'text' && actOnUnderstood(run, strongIntent(run, ask, input.text), ask)) return;
  const choices = askChoices(run, ask);
  // Where a bare number is a valid answer, "1" must not pick the "use offered value" button.
  const byNumber = type !== 'number' && type !== 'text';
  const hit = matchChoice(input, choices, run.ctx.lookup, { byNumber, contains: type === 'choice' });
  const offered = offeredValue(run, ask);
  let result: ValidationResult;
  if (hit?.id === USE_OFFERED && offered !== undefined) result = acceptOffered(run, ask, offered);
  else if (hit?.id === DOCUMENT_LATER && type === 'document') result = { ok: true, value: null };
  else if (hit && type === 'yes_no') result = { ok: true, value: hit.id === 'yes' };
  else if (hit && type === 'choice') result = { ok: true, value: hit.id };
  else {
    const real = choices.filter((c) => c.id !== USE_OFFERED);
    const answer = input.type === 'text' ? input.text : input;
    result = validate(ask.validator, answer, { now: run.ctx.now, lookup: run.ctx.lookup, choices: real });
  }
  if (!result.ok) {
    // Not an answer: perhaps a question or a command typed mid-flow («وين مقركم؟» while the name is asked).
    if (input.type === 'text' && actOnUnderstood(run, confidentIntent(run, input.text, MIDFLOW_SCORE), ask)) return;
    if (input.type === 'text') markUnplaced(run, ask);
    return reject(run, ask, result);
  }
  setPath(run.state.vars, ask.var, result.value);
  pushHistory(run, run.state.step);
  follow(run, hit && type === 'choice' ? choiceSpec(ask, hit.id) : undefined, ask.next);
}

function reject(run: Run, current: WaitingStep, result: Extract<ValidationResult, { ok: false }>): void {
  run.state.attempts += 1;
  if (run.state.attempts >= current.retries) {
    say(run, 'engine.too_many_attempts');
    if (current.on_fail === 'menu') return toMainMenu(run);
    say(run, 'engine.handoff');
    return handoff(run);
  }
  say(run, result.reason, result.params ?? {});
  emitQuestion(run, current);
}

/** Every i18n key the engine itself can emit or read; the locale files must define all of them in ar and en. */
export const ENGINE_I18N_KEYS: readonly string[] = [
  'engine.yes',
  'engine.no',
  'engine.yes_words',
  'engine.no_words',
  'engine.use_offered',
  'engine.too_many_attempts',
  'engine.cancelled',
  'engine.back_unavailable',
  'engine.action_failed',
  'engine.handoff',
  'engine.busy',
  'engine.internal_error',
  'engine.greeting_reply',
  'engine.document_later',
  'engine.document_later_words',
  'engine.did_you_mean',
  'engine.not_understood',
  'engine.not_understood_officer',
  'engine.emoji_reply',
  ...VALIDATION_KEYS,
  ...COMMAND_KEYS,
];
