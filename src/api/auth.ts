// Officer sign-in, the session, the second factor, and the admins' accounts and audit log in the HTTP contract.
// Imports only zod and plain constants: the inbox compiles against these types without the server's modules.
import { z } from 'zod';
import { ErrorBody, NoContent, OfficerRole, Timestamp } from './common.ts';

/** How Arabic addresses and describes the officer: role labels and verbs take the feminine for 'f'. */
export const GrammaticalGender = z.enum(['m', 'f']);
/** The most audit entries one page may carry. */
export const AUDIT_MAX_LIMIT = 500;

const displayName = z.string().trim().min(1).max(100);
const branchId = z.string().min(1).max(40).nullable().optional();
const filter = z.string().min(1).max(200).optional();

/** The signed-in officer, as /me and the sign-in answer describe them. */
export const SessionOfficer = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: OfficerRole,
    grammaticalGender: GrammaticalGender,
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
    /** MFA_REQUIRED and no confirmed second factor: only the set-up is open. */
    totpSetupRequired: z.boolean(),
    /** The name is still the first admin's placeholder: the inbox asks for it before anything else. */
    nameNeeded: z.boolean(),
  })
  .meta({ id: 'SessionOfficer' });

export const SessionInfo = z
  .object({ officer: SessionOfficer, csrfToken: z.string(), totpEnabled: z.boolean(), totpSetupRequired: z.boolean() })
  .meta({ id: 'Session', description: 'Who is signed in and the token every write sends as X-CSRF-Token.' });

/** An officer account as admins manage it. */
export const OfficerAccount = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: OfficerRole,
    grammaticalGender: GrammaticalGender,
    branchId: z.string().nullable().describe("A representative's branch; null for other roles"),
    active: z.boolean(),
    mustChangePassword: z.boolean(),
    totpEnabled: z.boolean(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'OfficerAccount' });

export const TotpEnrolment = z
  .object({ secret: z.string(), otpauthUri: z.string(), qrSvg: z.string().describe('The otpauth URI as a QR code (SVG document)') })
  .meta({ id: 'TotpEnrolment' });

export const AuditEntry = z
  .object({
    id: z.number().int(),
    officerId: z.string().nullable(),
    officerEmail: z.string().nullable(),
    officerName: z.string().nullable(),
    officerGender: GrammaticalGender.nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    details: z.unknown().describe('Facts of the event (a status change, a decision); never a password or a message text'),
    ip: z.string().nullable(),
    createdAt: Timestamp,
    target: z
      .object({
        type: z.string(),
        id: z.string().nullable(),
        reference: z.string().nullable().describe("The application's reference, when the entry concerns one"),
        officerName: z.string().nullable().describe('The officer acted on'),
        beneficiary: z.string().nullable().describe("The beneficiary's name, masked"),
        contactId: z.string().nullable(),
      })
      .nullable(),
  })
  .meta({ id: 'AuditEntry' });

const SignInBody = z.object({ email: z.string().max(320), password: z.string().max(1024), totp: z.string().max(64).optional() });
const OfficerCreate = z.object({
  email: z.string().trim().min(3).max(254),
  displayName,
  role: OfficerRole,
  grammaticalGender: GrammaticalGender.optional(),
  branchId,
  password: z.string().max(1024).optional(),
});
const OfficerPatch = z
  .object({ displayName: displayName.optional(), role: OfficerRole.optional(), grammaticalGender: GrammaticalGender.optional(), branchId, active: z.boolean().optional() })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of displayName, role, grammaticalGender, branchId, active' });
const OfficerParams = z.object({ id: z.string().min(1).max(64) });
const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(AUDIT_MAX_LIMIT).default(50),
  before: z.coerce.number().int().min(1).optional(),
  officerId: filter,
  action: filter,
  targetType: filter,
  targetId: filter,
  // The beneficiary: entries about their conversations, applications and contact record.
  contactId: filter,
});

export const authRoutes = {
  signIn: { body: SignInBody, response: { 200: SessionInfo } },
  signOut: { response: { 204: NoContent } },
  me: { response: { 200: SessionInfo } },
  // The officer's own name (the first admin's placeholder replaced at first sign-in).
  meName: { body: z.object({ name: z.string().trim().min(2).max(100) }), response: { 200: z.object({ officer: SessionOfficer }) } },
  password: { body: z.object({ current: z.string().max(1024), next: z.string().max(1024) }), response: { 200: z.object({ officer: SessionOfficer, csrfToken: z.string() }) } },
  totpSetup: { response: { 200: TotpEnrolment } },
  // A mistyped code is a 400 for the form, not a failed authentication.
  totpConfirm: { body: z.object({ code: z.string().min(1).max(64) }), response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), 400: ErrorBody } },
  officerList: { response: { 200: z.object({ officers: z.array(OfficerAccount) }) } },
  officerCreate: {
    body: OfficerCreate,
    response: { 201: z.object({ officer: OfficerAccount, oneTimePassword: z.string().optional().describe('Given when no password was set: shown once') }) },
  },
  officerUpdate: { params: OfficerParams, body: OfficerPatch, response: { 200: z.object({ officer: OfficerAccount }) } },
  officerResetPassword: { params: OfficerParams, response: { 200: z.object({ oneTimePassword: z.string() }) } },
  officerResetTotp: { params: OfficerParams, response: { 200: z.object({ officer: OfficerAccount }) } },
  audit: { querystring: AuditQuery, response: { 200: z.object({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable() }) } },
} as const;

export type SessionOfficer = z.infer<typeof SessionOfficer>;
export type SessionInfo = z.infer<typeof SessionInfo>;
export type OfficerAccount = z.infer<typeof OfficerAccount>;
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;
export type AuditEntry = z.infer<typeof AuditEntry>;
export type AuditPage = z.infer<(typeof authRoutes.audit.response)[200]>;
export type RecoveryCodes = z.infer<(typeof authRoutes.totpConfirm.response)[200]>;
export type OfficerCreated = z.infer<(typeof authRoutes.officerCreate.response)[201]>;
