// The SQLite schema (drizzle), one file per topic under schema/; drizzle-kit generates migrations/ from these.
export * from './schema/conversations.js';
export * from './schema/applications.js';
export * from './schema/officers.js';
export * from './schema/nlu.js';
export * from './schema/interactions.js';
export * from './schema/coordination.js';
export * from './schema/retention.js';
export * from './schema/waits.js';
export * from './schema/checklist.js';
export * from './schema/privacy.js';
