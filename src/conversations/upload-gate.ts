// Whether a web chat visitor may upload a file now: while the bot waits for a document, an officer holds the
// conversation, or an application of theirs waits for documents («ناقص»). Read from committed rows, so the upload
// route and the widget's hint agree.
import type { Flow } from '../flows/schema.ts';
import type { FlowState } from '../flows/types.ts';
import type { Repo } from './repo.ts';

/** True when `state` rests on an ask step whose answer is a document. */
export function awaitsDocument(flows: ReadonlyMap<string, Flow>, state: FlowState | null): boolean {
  if (!state || state.waiting !== 'input') return false;
  const step = flows.get(state.flow)?.steps[state.step];
  return step?.kind === 'ask' && step.validator.type === 'document';
}

export function createUploadGate(deps: { repo: Pick<Repo, 'latestConversation'>; flows: ReadonlyMap<string, Flow>; hasIncomplete?: (contactId: string) => boolean }) {
  return {
    /** The identity's current conversation takes a file: a document question is open, an officer has it, or an application of theirs is «ناقص». */
    accepts(identityId: string): boolean {
      const conv = deps.repo.latestConversation(identityId);
      if (!conv) return false;
      if (conv.status === 'officer') return true;
      if (conv.status === 'bot' && awaitsDocument(deps.flows, conv.flowState)) return true;
      return deps.hasIncomplete?.(conv.contactId) ?? false;
    },
  };
}

export type UploadGate = ReturnType<typeof createUploadGate>;
