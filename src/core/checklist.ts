// The states of an application's checklist item, shared by the schema, the HTTP contract and the services.
export const CHECKLIST_STATES = ['pending', 'received', 'verified', 'done', 'waived'] as const;
export type ChecklistState = (typeof CHECKLIST_STATES)[number];
