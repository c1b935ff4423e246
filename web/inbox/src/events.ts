// The live stream's pure parts: reading its events and the reconnect schedule (no DOM, no EventSource).
import { adaptMessage, obj, str } from './adapt.ts';
import type { Message } from './types.ts';

export type LiveEvent =
  | { type: 'conversation'; id: string; status: string; assignedOfficerId?: string }
  | { type: 'message'; conversationId: string; message: Message }
  | { type: 'assignment'; application?: { id: string; reference: string }; conversationId?: string };

/** One SSE event (`event:` name and `data:` text) → a typed event; null for anything unreadable. */
export function parseLiveEvent(type: string, data: string): LiveEvent | null {
  let v: unknown;
  try {
    v = JSON.parse(data);
  } catch {
    return null;
  }
  const o = obj(v);
  if (type === 'conversation') {
    const id = str(o.id ?? o.conversationId);
    if (!id) return null;
    const assigned = str(o.assignedOfficerId);
    return { type, id, status: str(o.status), assignedOfficerId: assigned || undefined };
  }
  if (type === 'message') {
    const conversationId = str(o.conversationId ?? obj(o.message).conversationId);
    // The feed is written by hand (SSE), not serialized through the contract: check the shape before trusting it.
    const m = obj(o.message);
    if (!conversationId || typeof m.id !== 'number' || typeof m.text !== 'string') return null;
    return { type, conversationId, message: adaptMessage(m, conversationId) };
  }
  if (type === 'assignment') {
    const a = o.application ? obj(o.application) : undefined;
    const application = a && str(a.id) ? { id: str(a.id), reference: str(a.reference) } : undefined;
    const conversationId = str(o.conversationId) || undefined;
    if (!application && !conversationId) return null;
    return { type, ...(application ? { application } : {}), ...(conversationId ? { conversationId } : {}) };
  }
  return null;
}

/**
 * Delay before reconnect attempt `failures` (1 = first): doubling from 1 s, capped at 30 s, with equal
 * jitter so a restarted server is not hit by every open inbox at the same instant.
 */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  const nominal = Math.min(30_000, 1000 * 2 ** Math.min(Math.max(failures - 1, 0), 15));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominal / 2 + (r * nominal) / 2);
}

/** Merges a message into a list by id (live echo of our own reply, delivery-status updates), keeping time order. */
export function upsertMessage(list: Message[], m: Message): Message[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i >= 0) return list.map((x, j) => (j === i ? { ...x, ...m, attachment: m.attachment ?? x.attachment, deliveries: m.deliveries ?? x.deliveries } : x));
  const out = [...list, m];
  // Usually already last; a late event is put in place.
  return out.length > 1 && (out[out.length - 2]?.createdAt ?? '') > m.createdAt ? out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0)) : out;
}
