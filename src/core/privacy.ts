// The kinds of request a beneficiary makes about their own data (PDPL): one list for the database and the contract.
export const PRIVACY_REQUEST_KINDS = ['access', 'erasure', 'correction'] as const;
export type PrivacyRequestKind = (typeof PRIVACY_REQUEST_KINDS)[number];
