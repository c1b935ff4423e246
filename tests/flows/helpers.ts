// Test helpers for the flow engine: a context from inline YAML flows, the real engine locales and an inline text table.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Locale } from '../../src/core/messages.ts';
import { initialState, step } from '../../src/flows/engine.ts';
import { flowSchema } from '../../src/flows/schema.ts';
import type { Flow } from '../../src/flows/schema.ts';
import type { EngineContext, EngineInput, EngineOutput, EngineResult, FlowState, Json } from '../../src/flows/types.ts';

export const ROOT = new URL('../../', import.meta.url);

/** The engine's own locale namespaces, flattened to `ns.key`, so tests exercise the real command word lists. */
export function localeTable(locale: Locale): Record<string, string> {
  const table: Record<string, string> = {};
  for (const ns of ['engine', 'validation', 'commands']) {
    const file = new URL(`locales/${locale}/${ns}.json`, ROOT);
    const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    for (const [key, value] of Object.entries(data)) table[`${ns}.${key}`] = value;
  }
  return table;
}

export type Texts = Record<string, { ar: string; en: string }>;

export function makeLookup(texts: Texts): EngineContext['lookup'] {
  const tables = { ar: localeTable('ar'), en: localeTable('en') };
  return (key, locale) => texts[key]?.[locale] ?? tables[locale][key];
}

export function parseFlows(...yamlDocs: string[]): Map<string, Flow> {
  const flows = new Map<string, Flow>();
  for (const doc of yamlDocs) {
    const flow = flowSchema.parse(parse(doc));
    flows.set(flow.id, flow);
  }
  return flows;
}

export function makeCtx(flows: Map<string, Flow>, texts: Texts, extra: Partial<EngineContext> = {}): EngineContext {
  return {
    flows,
    mainFlow: 'main',
    profile: { name: { ar: 'جمعية البر', en: 'Al-Birr Society' }, channel_name: 'whatsapp' },
    lookup: makeLookup(texts),
    now: new Date('2024-09-14T09:00:00Z'),
    ...extra,
  };
}

/** What a user would notice in an output, compactly: the text key (or handoff/locale marker). */
export function keyOf(output: EngineOutput): string {
  if (output.type === 'text') return output.key;
  if (output.type === 'handoff') return 'HANDOFF';
  return `LOCALE:${output.locale}`;
}

export function textOutputs(result: EngineResult): Array<Extract<EngineOutput, { type: 'text' }>> {
  return result.outputs.flatMap((o) => (o.type === 'text' ? [o] : []));
}

/** A conversation driven turn by turn; keeps the latest state like the conversation service would. */
export class Convo {
  state: FlowState | null;
  last!: EngineResult;

  constructor(
    readonly ctx: EngineContext,
    initial: FlowState | null = null,
  ) {
    this.state = initial;
  }

  static seeded(ctx: EngineContext, vars: Record<string, Json>, locale: Locale = 'ar'): Convo {
    return new Convo(ctx, { ...initialState(ctx, locale), vars });
  }

  send(input: EngineInput | string): string[] {
    const engineInput: EngineInput = typeof input === 'string' ? { type: 'text', text: input } : input;
    this.last = step(this.ctx, this.state, engineInput);
    this.state = this.last.state;
    return this.last.outputs.map(keyOf);
  }

  start(): string[] {
    return this.send({ type: 'start' });
  }

  get vars(): Record<string, Json> {
    return this.state?.vars ?? {};
  }

  /** The last text output (usually the question now being asked). */
  get question(): Extract<EngineOutput, { type: 'text' }> {
    const texts = textOutputs(this.last);
    const last = texts.at(-1);
    if (!last) throw new Error('no text output');
    return last;
  }
}
