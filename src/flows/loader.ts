// Loads flows/*.yaml, validates them with the schema and cross-checks every reference; fails fast listing all problems.
import { readFileSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { AppError } from '../core/errors.ts';
import { flowSchema } from './schema.ts';
import type { Choice, Flow, Step } from './schema.ts';

export interface LoadedFlows {
  flows: Map<string, Flow>;
  /** The files read, in load order. */
  files: string[];
}

export const MAIN_FLOW_ID = 'main';

interface Parsed {
  label: string;
  flow: Flow;
}

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  if (path[0] === 'steps' && path.length >= 2) {
    const rest = path.slice(2).map(String).join('.');
    return `step "${String(path[1])}": ${rest === '' ? '' : `${rest}: `}`;
  }
  return path.length === 0 ? '' : `${path.map(String).join('.')}: `;
}

function parseFile(dir: string, file: string, problems: string[]): Parsed | undefined {
  const label = `${basename(dir)}/${file}`;
  const doc = parseDocument(readFileSync(join(dir, file), 'utf8'), { prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) problems.push(`${label}: YAML error: ${error.message}`);
    return undefined;
  }
  const result = flowSchema.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${label}: ${issuePath(issue.path)}${issue.message}`);
    return undefined;
  }
  const expected = basename(file, extname(file));
  if (result.data.id !== expected) {
    problems.push(`${label}: flow id "${result.data.id}" does not match the file name (expected "${expected}")`);
  }
  return { label, flow: result.data };
}

function stepTargets(step: Step): Array<[string, string]> {
  const targets: Array<[string, string]> = [];
  const add = (what: string, id: string | undefined): void => {
    if (id !== undefined) targets.push([what, id]);
  };
  const addChoices = (choices: readonly Choice[]): void => {
    for (const c of choices) {
      add(`choice "${c.id}": next`, c.next);
      add(`choice "${c.id}": edit`, c.edit);
    }
  };
  switch (step.kind) {
    case 'say':
    case 'set':
    case 'call':
      add('next', step.next);
      break;
    case 'ask':
      add('next', step.next);
      if (step.validator.type === 'choice') addChoices(step.validator.choices);
      break;
    case 'menu':
      add('next', step.next);
      addChoices(step.choices);
      break;
    case 'branch':
      step.cases.forEach((c, i) => add(`case ${i + 1}: next`, c.next));
      add('else', step.else);
      break;
    case 'action':
      add('next', step.next);
      add('on_error', step.on_error);
      break;
    case 'handoff':
    case 'goto':
    case 'end':
      break;
  }
  return targets;
}

function flowTargets(step: Step): Array<[string, string]> {
  const choices = step.kind === 'menu' ? step.choices : step.kind === 'ask' && step.validator.type === 'choice' ? step.validator.choices : [];
  const targets: Array<[string, string]> = choices.flatMap((c) => (c.flow === undefined ? [] : [[`choice "${c.id}": flow`, c.flow] as [string, string]]));
  if (step.kind === 'goto' || step.kind === 'call') targets.push([`${step.kind} flow`, step.flow]);
  return targets;
}

function crossCheck({ label, flow }: Parsed, flows: ReadonlyMap<string, Flow>, problems: string[]): void {
  if (!Object.hasOwn(flow.steps, flow.start)) problems.push(`${label}: start "${flow.start}" does not exist`);
  for (const [stepId, step] of Object.entries(flow.steps)) {
    const at = `${label}: step "${stepId}"`;
    for (const [what, target] of stepTargets(step)) {
      const found = Object.hasOwn(flow.steps, target) ? flow.steps[target] : undefined;
      if (!found) problems.push(`${at}: ${what} "${target}" does not exist`);
      else if (what.endsWith('edit') && found.kind !== 'ask' && found.kind !== 'menu') {
        problems.push(`${at}: ${what} "${target}" is a ${found.kind} step, not an ask or menu step`);
      }
    }
    for (const [what, target] of flowTargets(step)) {
      if (!flows.has(target)) problems.push(`${at}: ${what} "${target}" does not exist`);
    }
    if (step.kind === 'goto' && step.step !== undefined) {
      const other = flows.get(step.flow);
      if (other && !Object.hasOwn(other.steps, step.step)) {
        problems.push(`${at}: goto step "${step.step}" does not exist in flow "${step.flow}"`);
      }
    }
  }
  for (const [intent, target] of Object.entries(flow.intents ?? {})) {
    const at = `${label}: intent "${intent}"`;
    if ('flow' in target) {
      const other = flows.get(target.flow);
      if (!other) problems.push(`${at}: flow "${target.flow}" does not exist`);
      else if (target.step !== undefined && !Object.hasOwn(other.steps, target.step)) problems.push(`${at}: step "${target.step}" does not exist in flow "${target.flow}"`);
    }
    if ('options' in target) for (const o of target.options) if (!Object.hasOwn(flow.intents ?? {}, o)) problems.push(`${at}: option "${o}" is not an intent of this flow`);
  }
}

/** Reads every *.yaml / *.yml in `dir`. Throws ERR_FLOW_INVALID listing every problem found, one per line. */
export function loadFlows(dir: string, mainFlow: string = MAIN_FLOW_ID): LoadedFlows {
  const problems: string[] = [];
  const names = readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort();
  const parsed: Parsed[] = [];
  const owner = new Map<string, string>();
  const flows = new Map<string, Flow>();
  for (const name of names) {
    const p = parseFile(dir, name, problems);
    if (!p) continue;
    const previous = owner.get(p.flow.id);
    if (previous !== undefined) {
      problems.push(`${p.label}: duplicate flow id "${p.flow.id}" (also in ${previous})`);
      continue;
    }
    owner.set(p.flow.id, p.label);
    flows.set(p.flow.id, p.flow);
    parsed.push(p);
  }
  for (const p of parsed) crossCheck(p, flows, problems);
  if (!flows.has(mainFlow) && !names.some((n) => basename(n, extname(n)) === mainFlow)) {
    problems.push(`${basename(dir)}: no "${mainFlow}" flow (expected ${basename(dir)}/${mainFlow}.yaml)`);
  }
  if (problems.length > 0) {
    throw new AppError('ERR_FLOW_INVALID', `Invalid flows:\n${problems.map((p) => `- ${p}`).join('\n')}`, {
      details: problems,
    });
  }
  return { flows, files: names.map((n) => join(dir, n)) };
}

function* allSteps(flows: ReadonlyMap<string, Flow>): Generator<[Flow, string, Step]> {
  for (const flow of flows.values()) for (const [id, step] of Object.entries(flow.steps)) yield [flow, id, step];
}

/** Every i18n key the flows use (titles, texts, labels, synonyms), for the locale-completeness test. */
export function collectI18nKeys(flows: ReadonlyMap<string, Flow>): Set<string> {
  const keys = new Set<string>();
  const addChoices = (choices: readonly Choice[]): void => {
    for (const c of choices) {
      keys.add(c.label);
      if (c.synonyms !== undefined) keys.add(c.synonyms);
    }
  };
  for (const flow of flows.values()) if (flow.title !== undefined) keys.add(flow.title);
  for (const flow of flows.values()) {
    for (const target of Object.values(flow.intents ?? {})) {
      if ('reply' in target) keys.add(target.reply);
      if ('ask' in target) keys.add(target.ask);
    }
  }
  for (const [, , step] of allSteps(flows)) {
    if ('text' in step && step.text !== undefined) keys.add(step.text);
    if (step.kind === 'menu') addChoices(step.choices);
    if (step.kind === 'ask' && step.validator.type === 'choice') addChoices(step.validator.choices);
  }
  return keys;
}

/** Problems (one line each) for action steps naming an action that is not registered; empty when all are known. */
export function checkActions(flows: ReadonlyMap<string, Flow>, knownActionNames: Iterable<string>): string[] {
  const known = new Set(knownActionNames);
  const problems: string[] = [];
  for (const [flow, id, step] of allSteps(flows)) {
    if (step.kind === 'action' && !known.has(step.name)) {
      problems.push(`flow "${flow.id}": step "${id}": action "${step.name}" is not registered`);
    }
  }
  return problems;
}
