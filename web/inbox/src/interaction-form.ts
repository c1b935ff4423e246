// Record a phone call, a visit or a letter in the beneficiary's history, from the conversation pane.
import type { Ctx } from './ctx.ts';
import { busy, h, select } from './dom.ts';
import { label } from './i18n.ts';
import type { Interaction } from './types.ts';

const KINDS = ['phone_call', 'visit', 'letter_in', 'letter_out'];

/** A one-line form; `contactId()` is read on submit (the pane loads the contact after building it). */
export function interactionForm(ctx: Ctx, contactId: () => string | undefined, added: (x: Interaction) => void): HTMLFormElement {
  const { s } = ctx;
  const kind = select(KINDS.map((k) => ({ value: k, label: label(s.interaction, k) })), { 'aria-label': s.interactionKind, 'data-testid': 'interaction-kind' });
  const summary = h('input', { type: 'text', dir: 'auto', 'aria-label': s.interactionSummary, placeholder: s.interactionAdd, 'data-testid': 'interaction-summary' });
  const save = h('button', { type: 'submit', class: 'btn', 'data-testid': 'interaction-save' }, s.interactionSave);
  const form = h('form', { class: 'nf', 'aria-label': s.interactionAdd }, kind, summary, save);
  form.onsubmit = async (e) => {
    e.preventDefault();
    const id = contactId();
    const text = summary.value.trim();
    if (!id || !text) return;
    ctx.notice(null);
    try {
      const x = await busy(save, () => ctx.api.recordInteraction(id, kind.value, text));
      summary.value = '';
      added(x);
    } catch (err) {
      ctx.fail(err);
    }
  };
  return form;
}
