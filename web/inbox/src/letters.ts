// An application's official letters: download each as PDF, or send it to the beneficiary in their conversation.
import type { DetailCtx } from './application.ts';
import { busy, button, h, section } from './dom.ts';
import { fill } from './i18n.ts';

export function lettersSection(dc: DetailCtx): HTMLElement {
  const { ctx, id, detail } = dc;
  const { s } = ctx;
  // The committee prints letters; sending in a conversation is for those who work conversations.
  const maySend = ctx.me.role !== 'committee';
  const kinds = ['receipt', 'documents'];
  if (detail.visits.some((v) => v.status === 'scheduled')) kinds.push('appointment');
  if (detail.decisions.length > 0) kinds.push('decision');
  const status = h('p', { role: 'status', 'data-testid': 'letter-status' });
  const rows = kinds.map((kind) => {
    const name = s.letterKind[kind] ?? kind;
    const download = h('a', { class: 'btn sm', href: ctx.api.letterUrl(id, kind), download: '', 'data-testid': `letter-download-${kind}` }, `⬇ ${s.letterDownload}`);
    const send = maySend ? button(`✉ ${s.letterSend}`, { class: 'btn sm', 'aria-label': fill(s.letterSendLabel, { kind: name }), 'data-testid': `letter-send-${kind}` }) : null;
    if (send) {
      send.onclick = async () => {
        ctx.notice(null);
        status.textContent = '';
        try {
          const sent = await busy(send, () => ctx.api.sendLetter(id, kind));
          status.replaceChildren(fill(s.letterSent, { kind: name, number: `\u2066${sent.number}\u2069`, channel: s.channel[sent.channel] ?? sent.channel }));
        } catch (e) {
          ctx.fail(e);
        }
      };
    }
    return h('li', { class: 'bar', 'data-testid': 'letter' }, h('span', {}, name), download, send);
  });
  return section(s.letters, h('p', { class: 'muted' }, s.lettersHint), h('ul', { class: 'plain' }, ...rows), status);
}
