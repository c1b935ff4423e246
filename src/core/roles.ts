// Officer roles: one list for the database, the guards and the HTTP contract.
export const OFFICER_ROLES = ['officer', 'researcher', 'committee', 'admin'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];
