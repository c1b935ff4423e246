// What a flow action is given and how it fails: the shared contract of the action table (actions.ts).
import type { Db } from '../db/client.ts';
import type { Json } from '../flows/types.ts';
import type { ContactRow, ConversationRow, IdentityRow, Repo } from './repo.ts';

export interface ActionProfile {
  committee_review_days: number;
  declaration_version: string;
  /** The privacy notice's version: consent is asked again when it changes. */
  privacy_notice_version?: string;
}

/** Status lookups allowed in any hour, per identity (its conversations) and per client network address. */
export interface LookupLimits {
  perIdentity: number;
  perIp: number;
}

export const DEFAULT_LOOKUP_LIMITS: LookupLimits = { perIdentity: 5, perIp: 30 };

export interface ActionContext {
  db: Db;
  repo: Repo;
  conversation: ConversationRow;
  contact: ContactRow;
  identity: IdentityRow;
  profile: ActionProfile;
  now: Date;
  /**
   * Tell a beneficiary something in their own language on their own channels, in this transaction; `first`
   * targets go before their usual ones (the registered mobile for a status request).
   */
  notify?: (contactId: string, key: string, params: Record<string, Json>, first?: { channel: string; address: string }[]) => void;
  /** The sender's network address, where the channel knows it (the web chat), for the per-address lookup limit. */
  clientIp?: string | undefined;
  /** Whether a notice can be sent to any registered mobile (SMS is enabled): what the status flow may promise. */
  textsMobiles?: boolean;
  /** STATUS_LOOKUP_LIMIT and STATUS_LOOKUP_IP_LIMIT (DEFAULT_LOOKUP_LIMITS when not given). */
  lookupLimits?: LookupLimits | undefined;
}

/** Thrown by an action for an expected failure; the flow takes its `on_error` path. */
export class ActionFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ActionFailure';
  }
}

export type Action = (ctx: ActionContext, args: Record<string, Json>) => Json;

export function str(args: Record<string, Json>, name: string): string {
  const v = args[name];
  if (v === undefined || v === null) throw new ActionFailure(`missing argument ${name}`);
  return String(v);
}

export function num(args: Record<string, Json>, name: string): number {
  const n = Number(args[name]);
  if (!Number.isFinite(n)) throw new ActionFailure(`argument ${name} is not a number`);
  return n;
}

const hijriYearFormat = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura-nu-latn', { year: 'numeric', timeZone: 'Asia/Riyadh' });

/** The Umm al-Qura year in Riyadh, as ASCII digits ("1448"). */
export function hijriYear(now: Date): string {
  return (hijriYearFormat.format(now).match(/\d+/) ?? ['0'])[0];
}
