// The beneficiary's preferred channel for notifications, in the conversation's contact panel: «تلقائي» (the channel
// they used last) or one they can be reached on; saved on change, with a confirmation or the reason it failed.
import { errorText, type Ctx } from './ctx.ts';
import { h, nextId } from './dom.ts';
import { fill, label } from './i18n.ts';
import type { ConversationDetail } from './types.ts';

export interface PreferredChannelControl {
  el: HTMLElement;
  /** Shows this contact's choice; a save in flight or an unchanged contact leaves the control as it is. */
  update(contact: ConversationDetail['contact']): void;
}

export function preferredChannelControl(ctx: Ctx): PreferredChannelControl {
  const { s, locale } = ctx;
  const id = nextId('pref');
  const hintId = `${id}-h`;
  const sel = h('select', { id, 'aria-describedby': hintId, 'data-testid': 'preferred-channel' });
  const status = h('span', { role: 'status', 'data-testid': 'preferred-channel-status' });
  const el = h('div', { class: 'pref', hidden: '' }, h('label', { for: id }, s.prefChannel), sel, status, h('small', { id: hintId, class: 'hint' }, s.prefHint));
  let contactId = '';
  let shown = '';
  let saved: string | null = null;
  let saving = false;

  /** Short names (as in the pills); the longer one where two channels would read the same (WhatsApp and WhatsApp Web). */
  function names(channels: string[]): Map<string, string> {
    const short = channels.map((c) => label(s.channel, c));
    return new Map(channels.map((c, i) => [c, short.indexOf(short[i] ?? '') !== short.lastIndexOf(short[i] ?? '') ? label(s.channelName, c) : (short[i] ?? c)]));
  }

  function draw(preferred: string | null, reachable: string[]): void {
    const channels = preferred && !reachable.includes(preferred) ? [...reachable, preferred] : reachable;
    const named = names(channels);
    sel.replaceChildren(
      h('option', { value: '' }, s.prefAuto),
      ...channels.map((c) => h('option', { value: c }, reachable.includes(c) ? (named.get(c) ?? c) : fill(s.prefGone, { name: named.get(c) ?? c }))),
    );
    sel.value = preferred ?? '';
    saved = preferred;
    // Nothing to choose between: a beneficiary reachable on no channel keeps the automatic choice.
    el.hidden = channels.length === 0;
  }

  sel.onchange = async () => {
    const channel = sel.value || null;
    saving = true;
    sel.disabled = true;
    status.className = 'hint';
    status.textContent = '';
    try {
      const r = await ctx.api.setPreferredChannel(contactId, channel);
      draw(r.preferredChannel, r.reachableChannels);
      shown = `${contactId}|${r.preferredChannel ?? ''}|${r.reachableChannels.join()}`;
      status.className = 'ok';
      status.textContent = r.preferredChannel ? s.prefSaved : s.prefCleared;
    } catch (e) {
      sel.value = saved ?? '';
      status.className = 'fail';
      status.textContent = fill(s.prefFailed, { reason: errorText(e, s, locale) });
    } finally {
      saving = false;
      sel.disabled = false;
    }
  };

  return {
    el,
    update(contact) {
      const sig = `${contact.id}|${contact.preferredChannel ?? ''}|${contact.reachableChannels.join()}`;
      if (saving || sig === shown) return;
      if (contact.id !== contactId) status.textContent = '';
      contactId = contact.id;
      shown = sig;
      draw(contact.preferredChannel, contact.reachableChannels);
    },
  };
}
