// Dead letters: messages a channel refused for good (newest first), each with its conversation, channel, masked
// address, the provider's reason and when; «إعادة الإرسال» puts one back in the queue.
import { ApiError } from './api.ts';
import { channelPill } from './conv-parts.ts';
import { errorText, type Ctx, type View } from './ctx.ts';
import { bdi, busy, button, h, pill } from './dom.ts';
import { shortAddress } from './delivery-text.ts';
import { dualDateTime } from './format.ts';
import { fill } from './i18n.ts';
import type { FailedMessage } from './types.ts';

/** After a retry the list is read again: a message that went out leaves it, one refused again comes back. */
const RELOAD_AFTER_RETRY_MS = 2500;

export function renderDeliveries(ctx: Ctx, root: HTMLElement): View {
  const { s, locale } = ctx;
  let seq = 0;
  let gone = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const refresh = button(s.refresh, { class: 'btn sm', 'data-testid': 'failed-refresh' }, () => void load());
  const body = h('tbody', { 'data-testid': 'failed-list' });
  const empty = h('p', { class: 'empty', 'data-testid': 'failed-empty', hidden: '' }, s.noFailed);
  const cols = [s.colWhen, s.colConversation, s.colChannel, s.colAddress, s.colError, s.colAction];
  const table = h('table', {}, h('caption', { class: 'sr' }, s.deliveriesTitle), h('thead', {}, h('tr', {}, ...cols.map((t) => h('th', { scope: 'col' }, t)))), body);
  root.replaceChildren(
    h('div', { class: 'bar hd' }, h('h1', {}, s.deliveriesTitle), refresh),
    h('p', { class: 'hint' }, s.deliveriesIntro),
    h('div', { class: 'tw card' }, table, empty),
  );

  function row(f: FailedMessage): HTMLElement {
    const action = h('td', {});
    const retry = button(s.retrySend, { class: 'btn sm', 'data-testid': 'failed-retry' });
    action.append(retry);
    const tr = h(
      'tr',
      { 'data-testid': 'failed-row', 'data-id': f.messageId, 'data-channel': f.channel },
      h('td', {}, h('time', { datetime: f.updatedAt }, dualDateTime(f.updatedAt, locale))),
      h(
        'td',
        {},
        h('a', { href: `#/inbox/${encodeURIComponent(f.conversationId)}`, 'data-testid': 'failed-conversation' }, bdi(f.contactName || s.sender.beneficiary)),
        f.text ? h('div', { class: 'pv', dir: 'auto' }, f.text) : null,
      ),
      h('td', {}, channelPill(ctx, f.channel)),
      h('td', {}, bdi(shortAddress(f.address), { dir: 'ltr', 'data-testid': 'failed-address' })),
      h('td', {}, h('span', { class: 'why', dir: 'auto', 'data-testid': 'failed-error' }, f.error ?? s.noError)),
      action,
    );
    retry.onclick = async () => {
      action.querySelector('[role=alert]')?.remove();
      try {
        await busy(retry, () => ctx.api.retryMessage(f.messageId));
      } catch (e) {
        const why = e instanceof ApiError && e.code === 'ERR_NOT_FOUND' ? s.retryGone : fill(s.retryFailed, { reason: errorText(e, s, locale) });
        action.append(h('p', { class: 'fail', role: 'alert', 'data-testid': 'failed-retry-error' }, why));
        return;
      }
      tr.dataset.state = 'requeued';
      action.replaceChildren(pill(s.requeued, 'ok', { role: 'status', 'data-testid': 'failed-requeued' }));
      clearTimeout(timer);
      timer = setTimeout(() => void load(), RELOAD_AFTER_RETRY_MS);
    };
    return tr;
  }

  async function load(): Promise<void> {
    const mine = ++seq;
    try {
      const list = await busy(refresh, () => ctx.api.failed());
      if (gone || mine !== seq) return;
      body.replaceChildren(...list.map(row));
      empty.hidden = list.length > 0;
      table.hidden = list.length === 0;
    } catch (e) {
      if (!gone && mine === seq) ctx.fail(e);
    }
  }

  void load();
  return {
    destroy() {
      gone = true;
      clearTimeout(timer);
    },
  };
}
