import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/core/errors.ts';
import { checkActions, collectI18nKeys, loadFlows } from '../../src/flows/loader.ts';
import { FLOW_JSON_SCHEMA_PATH, flowJsonSchemaText } from '../../src/flows/write-json-schema.ts';
import { ALL_FLOWS, APPLY, IDENTIFY, MAIN, STATUS, SURVEY } from './fixtures.ts';

const dirs: string[] = [];

/** A temp `flows/` folder holding the given files. */
function flowsDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tawasul-flows-'));
  dirs.push(root);
  const dir = join(root, 'flows');
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function problemsOf(dir: string): string[] {
  try {
    loadFlows(dir);
  } catch (error) {
    if (isAppError(error) && error.code === 'ERR_FLOW_INVALID') {
      const lines = error.message.split('\n').slice(1);
      expect(error.details).toEqual(lines.map((l) => l.slice(2)));
      return lines.map((l) => l.slice(2));
    }
    throw error;
  }
  throw new Error('expected loadFlows to throw');
}

const VALID = { 'main.yaml': MAIN, 'apply.yaml': APPLY, 'status.yaml': STATUS, 'identify.yml': IDENTIFY, 'survey.yaml': SURVEY };

describe('loadFlows', () => {
  it('loads every yaml/yml file of a valid set, ignoring other files', () => {
    const dir = flowsDir({ ...VALID, 'flow.schema.json': '{}', 'README.md': '# flows' });
    const { flows, files } = loadFlows(dir);
    expect([...flows.keys()].sort()).toEqual(['apply', 'identify', 'main', 'status', 'survey']);
    expect(files).toHaveLength(5);
    expect(flows.get('apply')?.steps.ask_id).toMatchObject({ retries: 2, on_fail: 'officer' });
    // schema defaults are applied
    expect(flows.get('apply')?.steps.ask_name).toMatchObject({ retries: 3, on_fail: 'menu', validator: { max: 500 } });
  });

  it('lists every broken reference with its file and step, all at once', () => {
    const broken = APPLY.replace('next: ask_id }', 'next: ask_idd }')
      .replace('on_error: failed', 'on_error: failure')
      .replace('edit: ask_mobile', 'edit: ask_mobil')
      .replace('else: summary', 'else: summery')
      .replace('- { when: { var: married, equals: true }, next: ask_spouse }', '- { when: { var: married, equals: true }, next: ask_wife }');
    const main = MAIN.replace('flow: status }', 'flow: statuss }').replace('next: human }', 'next: humans }');
    const status = STATUS.replace('flow: identify', 'flow: identity');
    const problems = problemsOf(flowsDir({ ...VALID, 'apply.yaml': broken, 'main.yaml': main, 'status.yaml': status }));
    expect(problems).toEqual(
      expect.arrayContaining([
        'flows/apply.yaml: step "ask_name": next "ask_idd" does not exist',
        'flows/apply.yaml: step "submit": on_error "failure" does not exist',
        'flows/apply.yaml: step "summary": choice "edit_mobile": edit "ask_mobil" does not exist',
        'flows/apply.yaml: step "check": else "summery" does not exist',
        'flows/apply.yaml: step "check": case 1: next "ask_wife" does not exist',
        'flows/main.yaml: step "menu": choice "status": flow "statuss" does not exist',
        'flows/main.yaml: step "menu": choice "talk": next "humans" does not exist',
        'flows/status.yaml: step "identify": call flow "identity" does not exist',
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('checks the start step, goto targets and that edits point at questions', () => {
    const odd = `
id: odd
start: begin
steps:
  first: { kind: goto, flow: main, step: nowhere }
  second: { kind: goto, flow: elsewhere }
  third:
    kind: menu
    text: odd.menu
    choices: [ { id: fix, label: odd.fix, edit: first } ]
`;
    expect(problemsOf(flowsDir({ ...VALID, 'odd.yaml': odd }))).toEqual([
      'flows/odd.yaml: start "begin" does not exist',
      'flows/odd.yaml: step "first": goto step "nowhere" does not exist in flow "main"',
      'flows/odd.yaml: step "second": goto flow "elsewhere" does not exist',
      'flows/odd.yaml: step "third": choice "fix": edit "first" is a goto step, not an ask or menu step',
    ]);
  });

  it('reports schema errors with the step and field', () => {
    const bad = `
id: bad
start: a
steps:
  a: { kind: ask, text: bad.q, validator: { type: phone }, var: x, next: b }
  b: { kind: say, text: "Hello there", nxt: a }
`;
    const problems = problemsOf(flowsDir({ ...VALID, 'bad.yaml': bad }));
    expect(problems).toEqual([
      expect.stringMatching(/^flows\/bad\.yaml: step "a": validator\.type: Invalid discriminator value/),
      'flows/bad.yaml: step "b": text: an i18n key like "namespace.key"',
      'flows/bad.yaml: step "b": Unrecognized key: "nxt"',
    ]);
  });

  it('reports YAML syntax errors, file/id mismatch, duplicates and a missing main flow', () => {
    const problems = problemsOf(
      flowsDir({
        'apply.yaml': APPLY,
        'apply.yml': APPLY,
        'helper.yaml': APPLY.replace('id: apply', 'id: helper_x'),
        'broken.yaml': 'id: broken\nsteps: [unclosed',
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^flows\/broken\.yaml: YAML error: /),
        'flows/apply.yml: duplicate flow id "apply" (also in flows/apply.yaml)',
        'flows/helper.yaml: flow id "helper_x" does not match the file name (expected "helper")',
        'flows: no "main" flow (expected flows/main.yaml)',
      ]),
    );
  });
});

describe('collectI18nKeys and checkActions', () => {
  const { flows } = loadFlows(flowsDir(VALID));

  it('collects texts, labels and synonyms from every flow', () => {
    const keys = collectI18nKeys(flows);
    for (const key of ['main.menu', 'main.apply', 'main.apply_syn', 'apply.edit_name', 'survey.good_syn', 'identify.thanks', 'main.human']) {
      expect(keys).toContain(key);
    }
    expect(keys.size).toBe(33);
    // every text key the fixture uses, nothing else
    const used = new Set(ALL_FLOWS.join('\n').match(/\b[a-z]+\.[a-z_]+(?=[ ,}\n])/g)?.filter((k) => /^(main|apply|status|identify|survey)\./.test(k)));
    expect(keys).toEqual(used);
  });

  it('names unknown actions with flow and step', () => {
    expect(checkActions(flows, ['submit_application', 'find_application'])).toEqual([]);
    expect(checkActions(flows, ['submit_application'])).toEqual([
      'flow "status": step "lookup": action "find_application" is not registered',
    ]);
  });
});

describe('flows/flow.schema.json', () => {
  it('is current with the zod schema (run `npm run flows:schema` after changing src/flows/schema.ts)', () => {
    expect(readFileSync(FLOW_JSON_SCHEMA_PATH, 'utf8')).toBe(flowJsonSchemaText());
  });

  it('describes the step kinds and rejects unknown fields, so editors flag typos', () => {
    const schema = JSON.parse(flowJsonSchemaText()) as { properties: { steps: { additionalProperties: { oneOf: Array<{ properties: { kind: { const: string } }; additionalProperties: boolean }> } } } };
    const kinds = schema.properties.steps.additionalProperties.oneOf;
    expect(kinds.map((k) => k.properties.kind.const).sort()).toEqual(
      ['action', 'ask', 'branch', 'call', 'end', 'goto', 'handoff', 'menu', 'say', 'set'],
    );
    expect(kinds.every((k) => k.additionalProperties === false)).toBe(true);
  });
});
