// Officer roles: one list for the database, the guards and the HTTP contract.
/** `representative` («مندوب»): a branch office's representative, who registers and sees only that branch's cases. */
/** `privacy` («مسؤول حماية البيانات»): the charity's data protection officer, who handles the beneficiaries' privacy requests. */
export const OFFICER_ROLES = ['officer', 'researcher', 'committee', 'admin', 'representative', 'privacy'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
