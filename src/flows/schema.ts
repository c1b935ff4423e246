// The flow file format (YAML in flows/), as zod schemas; the JSON Schema for editors is generated from these.
import { z } from 'zod';

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are lower_snake_case ASCII');
/** An i18n key such as `apply.ask_name`, looked up in locales/<lang>/<namespace>.json. */
const i18nKey = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'an i18n key like "namespace.key"');

/** A value: a literal, or a reference to a flow variable or a profile field. */
export const exprSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.object({ var: z.string() }).strict(),
  z.object({ profile: z.string() }).strict(),
]);
export type Expr = z.infer<typeof exprSchema>;

const paramsSchema = z.record(z.string(), exprSchema);

export const choiceSchema = z
  .object({
    /** Stable id: kept when wording changes so conversations in flight keep working. ASCII, <= 64 bytes. */
    id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'choice ids are lower_snake_case ASCII, at most 64 characters'),
    label: i18nKey,
    params: paramsSchema.optional(),
    /** i18n key whose value (per language) lists more words that pick this choice, separated by "|". */
    synonyms: i18nKey.optional(),
    /** Step to go to (in this flow) when chosen. Defaults to the step's `next`. */
    next: id.optional(),
    /** Go to another flow when chosen. */
    flow: id.optional(),
    /** Jump to an ask step to correct it, then come back to this step (summary screens). */
    edit: id.optional(),
    /** Only offered when this condition holds. */
    when: z.lazy(() => conditionSchema).optional(),
  })
  .strict();
export type Choice = z.infer<typeof choiceSchema>;

/**
 * The most of one message's text the engine reads (every chat channel's own limit). Longer texts (an email) are kept
 * whole for officers; the bot reads their start, so no text answer may be allowed to be longer than this.
 */
export const TEXT_INPUT_MAX = 4096;

export const validatorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), min: z.number().int().min(0).default(1), max: z.number().int().positive().max(TEXT_INPUT_MAX).default(500) }).strict(),
  z.object({ type: z.literal('person_name'), max: z.number().int().positive().max(TEXT_INPUT_MAX).default(100) }).strict(),
  z.object({ type: z.literal('number'), min: z.number().optional(), max: z.number().optional(), integer: z.boolean().default(true) }).strict(),
  z.object({ type: z.literal('saudi_national_id') }).strict(),
  z.object({ type: z.literal('saudi_mobile') }).strict(),
  z.object({ type: z.literal('email') }).strict(),
  z.object({ type: z.literal('date'), past: z.boolean().optional(), future: z.boolean().optional() }).strict(),
  z.object({ type: z.literal('yes_no') }).strict(),
  z.object({ type: z.literal('choice'), choices: z.array(choiceSchema).min(1) }).strict(),
  /**
   * A file uploaded through the charity's own web form (an ID copy, income proof). The value is the
   * attachment id. `optional` offers a "later" choice whose value is null.
   */
  z.object({ type: z.literal('document'), optional: z.boolean().default(false) }).strict(),
]);
export type Validator = z.infer<typeof validatorSchema>;
export type ValidatorType = Validator['type'];

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(conditionSchema) }).strict(),
    z.object({ any: z.array(conditionSchema) }).strict(),
    z.object({ not: conditionSchema }).strict(),
    z
      .object({
        var: z.string(),
        equals: exprSchema.optional(),
        in: z.array(exprSchema).optional(),
        exists: z.boolean().optional(),
      })
      .strict(),
  ]),
);
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { var: string; equals?: Expr; in?: Expr[]; exists?: boolean };

const base = { note: z.string().optional() };

export const stepSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('say'), text: i18nKey, params: paramsSchema.optional(), next: id.optional() }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('ask'),
      text: i18nKey,
      params: paramsSchema.optional(),
      validator: validatorSchema,
      /** Variable that receives the validated value. */
      var: id,
      /** Offer this value as a one-tap answer when known (e.g. the channel's phone number). */
      offer: exprSchema.optional(),
      /** Wrong answers allowed before `on_fail`. */
      retries: z.number().int().min(1).max(10).default(3),
      on_fail: z.enum(['menu', 'officer']).default('menu'),
      next: id,
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('menu'),
      text: i18nKey,
      params: paramsSchema.optional(),
      choices: z.array(choiceSchema).min(1),
      /** Variable that receives the chosen id. */
      var: id.optional(),
      retries: z.number().int().min(1).max(10).default(3),
      on_fail: z.enum(['menu', 'officer']).default('officer'),
      next: id.optional(),
      /**
       * What is typed here and picks none of the choices is not kept (the privacy notice: nothing the beneficiary
       * writes before consenting is stored, and the engine marks it so the service blanks the message).
       */
      withhold: z.boolean().optional(),
    })
    .strict(),
  z.object({ ...base, kind: z.literal('set'), values: z.record(z.string(), exprSchema), next: id }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('branch'),
      cases: z.array(z.object({ when: conditionSchema, next: id }).strict()).min(1),
      else: id,
    })
    .strict(),
  z
    .object({
      ...base,
      kind: z.literal('action'),
      /** A TypeScript function registered in the action table (src/conversations/actions.ts). */
      name: id,
      args: paramsSchema.optional(),
      /** Variable that receives the action's result object. */
      var: id.optional(),
      next: id,
      /** Where to go when the action fails; without it the bot apologises and returns to the menu. */
      on_error: id.optional(),
    })
    .strict(),
  z.object({ ...base, kind: z.literal('handoff'), text: i18nKey.optional() }).strict(),
  z.object({ ...base, kind: z.literal('goto'), flow: id, step: id.optional() }).strict(),
  z.object({ ...base, kind: z.literal('call'), flow: id, next: id }).strict(),
  z
    .object({
      ...base,
      kind: z.literal('end'),
      text: i18nKey.optional(),
      params: paramsSchema.optional(),
      /**
       * What follows: back to the calling flow or the main menu (default), wait quietly (top level only), or `main`:
       * leave every calling flow too and show the main menu (a declined consent must not resume the intake).
       */
      then: z.enum(['menu', 'idle', 'main']).default('menu'),
    })
    .strict(),
]);
export type Step = z.infer<typeof stepSchema>;
export type StepKind = Step['kind'];

/** What a recognised intent does (intents are learnt from locales/<lang>/intents.json examples). */
export const intentTargetSchema = z.union([
  /** Go to a flow (its start, or `step`); a `say` step is an answer, given in place in the middle of a flow. */
  z.object({ flow: id, step: id.optional() }).strict(),
  /** A global command, as if its word had been typed. */
  z.object({ command: z.enum(['menu', 'officer', 'english', 'arabic']) }).strict(),
  /** Courtesy: say this and carry on where the conversation was. */
  z.object({ reply: i18nKey }).strict(),
  /** Ask which of these intents was meant, each offered as a button. */
  z.object({ ask: i18nKey, options: z.array(id).min(2).max(3) }).strict(),
]);
export type IntentTarget = z.infer<typeof intentTargetSchema>;

export const flowSchema = z
  .object({
    id,
    /** i18n key naming the flow (shown to officers). */
    title: i18nKey.optional(),
    start: id,
    /** Free-text questions may lead out of this flow to another (the main flow always allows it). */
    open: z.boolean().optional(),
    /** Main flow only: what each recognised intent does, wherever the conversation is. */
    intents: z.record(id, intentTargetSchema).optional(),
    steps: z.record(id, stepSchema),
  })
  .strict();
export type Flow = z.infer<typeof flowSchema>;
