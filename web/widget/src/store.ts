// The message list as pure data: server messages by id, optimistic sends by clientId, and how they merge.
import type { Attachment, MessageStatus, MessageView } from './types.ts';

export type Delivery = 'sending' | 'sent' | 'read' | 'failed';

/** A visitor's send that the server has not (knowingly) echoed yet. */
export interface Local {
  clientId: string;
  text: string;
  choice?: string;
  attachment?: Attachment;
  /** 0..1 while an upload is in flight. */
  progress?: number;
  state: Delivery;
  /** Set by the POST answer (confirmed) or, before it, by an echo that looks like this send. */
  serverId?: number;
  confirmed?: boolean;
  createdAt: string;
}

export interface Item {
  /** Stable across the optimistic → server copy switch, so the DOM node can stay. */
  key: string;
  msg: MessageView;
  /** Only for the visitor's own messages. */
  delivery?: Delivery;
  progress?: number;
  clientId?: string;
}

const RANK: Record<MessageStatus, number> = { received: 0, queued: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

export class Store {
  private byId = new Map<number, MessageView>();
  private locals = new Map<string, Local>();
  /** server id → clientId of the local it stands for. */
  private links = new Map<number, string>();
  private sorted: MessageView[] | undefined;
  /** Highest server id received: the resume cursor for GET ?after= and the WebSocket. */
  cursor = 0;

  /** Adds server messages (any order, repeats allowed); returns those not seen before, in id order. */
  add(messages: MessageView[]): MessageView[] {
    const fresh: MessageView[] = [];
    for (const m of [...messages].sort((a, b) => a.id - b.id)) {
      const known = this.byId.get(m.id);
      if (known) {
        // Delivery status only moves forward, whatever order copies arrive in.
        if (RANK[m.status] > RANK[known.status]) this.byId.set(m.id, { ...known, status: m.status });
        continue;
      }
      this.byId.set(m.id, m);
      this.sorted = undefined;
      if (m.id > this.cursor) this.cursor = m.id;
      fresh.push(m);
      if (m.direction === 'in' && !this.links.has(m.id)) this.match(m);
    }
    for (const [id, cid] of this.links) if (this.byId.has(id) && this.locals.get(cid)?.confirmed) this.locals.delete(cid);
    return fresh;
  }

  // An echo may arrive (over the socket) before the POST answers: link it to the send it looks like.
  private match(m: MessageView): void {
    for (const l of this.locals.values()) {
      if (l.serverId !== undefined) continue;
      const same = m.clientId
        ? m.clientId === l.clientId
        : l.attachment
          ? m.attachment?.name === l.attachment.name && m.attachment.size === l.attachment.size
          : m.text.trim() === l.text.trim() || (l.choice !== undefined && m.text === l.choice);
      if (same) {
        l.serverId = m.id;
        if (m.clientId) l.confirmed = true;
        this.links.set(m.id, l.clientId);
        return;
      }
    }
  }

  addLocal(local: Omit<Local, 'state'>): void {
    this.locals.set(local.clientId, { ...local, state: 'sending' });
  }

  /** The POST answered with the server id: this is authoritative over any guess made from an echo. */
  ack(clientId: string, id: number): void {
    const l = this.locals.get(clientId);
    if (!l) return;
    const other = this.links.get(id);
    const previous = l.serverId;
    if (previous !== undefined && previous !== id) this.links.delete(previous);
    if (other !== undefined && other !== clientId) {
      // Two identical sends crossed: the other one takes the echo this one had guessed.
      const o = this.locals.get(other);
      if (o) {
        o.serverId = previous;
        if (previous !== undefined && previous !== id) this.links.set(previous, other);
      }
    }
    l.serverId = id;
    l.confirmed = true;
    l.state = 'sent';
    l.progress = undefined;
    this.links.set(id, clientId);
    if (this.byId.has(id)) this.locals.delete(clientId);
  }

  fail(clientId: string): void {
    const l = this.locals.get(clientId);
    // Already echoed by the server: it arrived, whatever the POST said.
    if (l && !(l.serverId !== undefined && this.byId.has(l.serverId))) {
      l.state = 'failed';
      l.progress = undefined;
    }
  }

  retry(clientId: string): Local | undefined {
    const l = this.locals.get(clientId);
    if (l) l.state = 'sending';
    return l;
  }

  progress(clientId: string, p: number): void {
    const l = this.locals.get(clientId);
    if (l && l.state === 'sending') l.progress = p;
  }

  /** Drops a send the server refused (too long, rate limited, bad file): it never happened. */
  remove(clientId: string): void {
    const l = this.locals.get(clientId);
    if (l?.serverId !== undefined) this.links.delete(l.serverId);
    this.locals.delete(clientId);
  }

  clear(): void {
    this.byId.clear();
    this.locals.clear();
    this.links.clear();
    this.sorted = undefined;
    this.cursor = 0;
  }

  messages(): MessageView[] {
    if (!this.sorted) this.sorted = [...this.byId.values()].sort((a, b) => a.id - b.id);
    return this.sorted;
  }

  /** What to show, in order: server messages by id, then sends still waiting for their server copy. */
  items(): Item[] {
    const out: Item[] = [];
    for (const m of this.messages()) {
      const cid = this.links.get(m.id);
      if (m.direction === 'out') out.push({ key: `s${m.id}`, msg: m });
      else {
        const delivery: Delivery = m.status === 'failed' ? 'failed' : m.status === 'read' ? 'read' : 'sent';
        out.push({ key: cid ? `c${cid}` : `s${m.id}`, msg: m, delivery, ...(cid ? { clientId: cid } : {}) });
      }
    }
    for (const l of this.locals.values()) {
      if (l.serverId !== undefined && this.byId.has(l.serverId)) continue;
      out.push({
        key: `c${l.clientId}`,
        clientId: l.clientId,
        delivery: l.state,
        ...(l.progress !== undefined ? { progress: l.progress } : {}),
        msg: {
          id: l.serverId ?? 0,
          direction: 'in',
          sender: 'beneficiary',
          text: l.text,
          ...(l.attachment ? { attachment: l.attachment } : {}),
          status: 'received',
          createdAt: l.createdAt,
        },
      });
    }
    return out;
  }

  /** The latest message from our side of the service (bot or officer), for `expects`. */
  latestOut(): MessageView | undefined {
    const list = this.messages();
    for (let i = list.length - 1; i >= 0; i--) if (list[i]?.direction === 'out') return list[i];
    return undefined;
  }

  unreadAfter(seen: number): number {
    return this.messages().filter((m) => m.direction === 'out' && m.id > seen).length;
  }
}
