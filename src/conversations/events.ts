// In-process notifications after a commit: new messages and conversation status changes (web chat stream, inbox).
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

export interface EventBus {
  onMessage(fn: (e: MessageEvent) => void): () => void;
  onConversation(fn: (e: ConversationEvent) => void): () => void;
  emitMessage(e: MessageEvent): void;
  emitConversation(e: ConversationEvent): void;
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
    emitMessage(e) {
      ee.emit('message', e);
    },
    emitConversation(e) {
      ee.emit('conversation', e);
    },
  };
}
