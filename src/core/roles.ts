// Officer roles: one list for the database, the guards and the HTTP contract.
/** `representative` («مندوب»): a branch office's representative, who registers and sees only that branch's cases. */
export const OFFICER_ROLES = ['officer', 'researcher', 'committee', 'admin', 'representative'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
