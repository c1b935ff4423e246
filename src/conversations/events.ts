// In-process notifications after a commit: new messages, conversation status changes and assignments (web chat, inbox).
import { EventEmitter } from 'node:events';
import type { MessageRow } from './repo.ts';

export interface MessageEvent {
  identityId: string;
  conversationId: string;
  message: MessageRow;
}

export interface ConversationEvent {
  conversationId: string;
  identityId: string;
  status: 'bot' | 'waiting' | 'officer' | 'closed';
}

/** A case or conversation handed to an officer (a referral, an assignment): their inbox alerts them live. */
export interface AssignmentEvent {
  officerId: string;
  /** Who assigned it (an officer id). */
  by: string;
  application?: { id: string; reference: string };
  conversationId?: string;
}

export interface EventBus {
  onMessage(fn: (e: MessageEvent) => void): () => void;
  onConversation(fn: (e: ConversationEvent) => void): () => void;
  onAssignment(fn: (e: AssignmentEvent) => void): () => void;
  emitMessage(e: MessageEvent): void;
  emitConversation(e: ConversationEvent): void;
  emitAssignment(e: AssignmentEvent): void;
}

export function createEventBus(): EventBus {
  const ee = new EventEmitter();
  ee.setMaxListeners(0);
  return {
    onMessage(fn) {
      ee.on('message', fn);
      return () => ee.off('message', fn);
    },
    onConversation(fn) {
      ee.on('conversation', fn);
      return () => ee.off('conversation', fn);
    },
    onAssignment(fn) {
      ee.on('assignment', fn);
      return () => ee.off('assignment', fn);
    },
    emitAssignment(e) {
      ee.emit('assignment', e);
    },
    emitMessage(e) {
      ee.emit('message', e);
    },
    emitConversation(e) {
      ee.emit('conversation', e);
    },
  };
}
