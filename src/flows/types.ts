// Engine inputs, outputs and state: the contract between the pure flow engine and the conversation service.
import type { Locale } from '../core/messages.ts';
import type { Flow, ValidatorType } from './schema.ts';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * A parameter value in an output. Plain values render as they are; `{ar, en}` objects pick the
 * conversation's language; `{ date: ISO }` renders as Hijri with Gregorian beside it.
 */
export type ParamValue = Json;

export interface OutputChoice {
  id: string;
  /** i18n key of the label. */
  label: string;
  params?: Record<string, ParamValue>;
}

export type EngineOutput =
  | {
      type: 'text';
      key: string;
      params: Record<string, ParamValue>;
      choices?: OutputChoice[];
      /** The flow and step the bot was at when it said this. */
      flow: string;
      step: string;
      /** Set when this text asks a question, so channels can hint the keyboard (numeric, email...). */
      expects?: ValidatorType;
    }
  /** The beneficiary asked for (or the flow sent them to) a human. Conversation becomes `waiting`. */
  | { type: 'handoff'; flow: string; step: string }
  /** The beneficiary switched language; later texts use it. */
  | { type: 'locale'; locale: Locale };

export interface FlowFrame {
  flow: string;
  step: string;
}

export interface FlowState {
  flow: string;
  step: string;
  /** What the engine waits for at `step`: an answer, an action result, or nothing (idle). */
  waiting: 'input' | 'action' | 'idle';
  locale: Locale;
  vars: Record<string, Json>;
  /** Wrong answers so far at the current ask/menu step. */
  attempts: number;
  /** Return points for `call` steps. */
  stack: FlowFrame[];
  /** Ask/menu steps answered in this flow, newest last: the `back` command returns to the previous one. */
  history: string[];
  /** Set while correcting one answer from a summary: where to come back to. */
  returnTo?: FlowFrame;
  /** Intents offered as buttons last turn («هل تقصد…؟»); cleared by the next input. */
  offered?: string[];
  /** Free-text messages in a row that nothing placed (after two, an officer is offered first). */
  misses?: number;
}

export type EngineInput =
  /** Begin a conversation at the main flow (or `flow` when given). */
  | { type: 'start'; flow?: string }
  | { type: 'text'; text: string }
  | { type: 'choice'; id: string }
  /** A file the beneficiary uploaded (already stored and type-checked); answers `document` questions. */
  | { type: 'file'; id: string; mime: string; name?: string }
  | { type: 'action_result'; ok: true; value: Json }
  | { type: 'action_result'; ok: false; error: string };

export interface ActionRequest {
  name: string;
  args: Record<string, Json>;
}

/** A typed message the bot could not place, and where: kept (without the text where `personal`) to learn from. */
export interface Unplaced {
  flow: string;
  step: string;
  /** The step collects personal data (a name, an ID, a mobile…): the text must not be kept. */
  personal: boolean;
}



export interface EngineResult {
  state: FlowState;
  outputs: EngineOutput[];
  unplaced?: Unplaced;
  /** When set, the caller runs this action and feeds its result back as an `action_result` input. */
  action?: ActionRequest;
  /** The typed input must not be kept (it came before consent at a `withhold` step): the caller blanks it. */
  withhold?: true;
}

/** One intent the classifier found in a message: `score` 0..1, where 1 is an example typed exactly. */
export interface IntentScore {
  intent: string;
  score: number;
}

export interface EngineContext {
  flows: ReadonlyMap<string, Flow>;
  /** The flow a conversation starts in and `menu` returns to. */
  mainFlow: string;
  /** The charity profile as plain data (for `{ profile: path }` expressions). */
  profile: Json;
  /**
   * Pure text lookup used only for matching input against labels, synonyms and command words
   * in both languages. Returns undefined for unknown keys.
   */
  lookup(key: string, locale: Locale): string | undefined;
  /** The current time, passed in so the engine stays pure (date validators). */
  now: Date;
  /** The intents in a free-text message, best first (built at start-up from locales/<lang>/intents.json). */
  classify?(text: string): IntentScore[];
}
