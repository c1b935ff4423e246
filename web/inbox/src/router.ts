// Hash routes (#/inbox, #/inbox/<id>, #/deliveries, #/applications[/<id>], #/new-application, #/reports, #/channels,
// #/admin[/<section>]) and who may see each.
import type { Role } from './types.ts';

export const ADMIN_SECTIONS = ['officers', 'canned', 'knowledge', 'misses', 'audit'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | { name: 'inbox'; id?: string }
  | { name: 'deliveries' }
  | { name: 'applications'; id?: string }
  | { name: 'intake' }
  | { name: 'reports' }
  | { name: 'channels' }
  | { name: 'privacy' }
  | { name: 'admin'; section: AdminSection };

export type RouteName = Route['name'];

const SEE: Record<RouteName, readonly Role[]> = {
  inbox: ['officer', 'researcher', 'admin'],
  // Dead letters: whoever works conversations (the same roles as /api/inbox/failed).
  deliveries: ['officer', 'researcher', 'admin'],
  applications: ['officer', 'researcher', 'committee', 'admin', 'representative'],
  // «طلب جديد»: staff register a caller, a walk-in, a letter or a branch's case (as POST /api/applications).
  intake: ['officer', 'representative', 'admin'],
  reports: ['officer', 'admin'],
  // The WhatsApp Web pairing QR links a phone to the gateway: admins only (as GET /api/admin/channels).
  channels: ['admin'],
  admin: ['admin'],
  // The beneficiaries' data requests (as GET /api/privacy/requests).
  privacy: ['admin', 'privacy'],
};

export function canSee(role: Role, name: RouteName): boolean {
  return SEE[name].includes(role);
}

export function homeFor(role: Role): Route {
  if (role === 'privacy') return { name: 'privacy' };
  return canSee(role, 'inbox') ? { name: 'inbox' } : { name: 'applications' };
}

function decode(s: string): string | undefined {
  try {
    const v = decodeURIComponent(s);
    return v || undefined;
  } catch {
    return undefined;
  }
}

/** The route for a `location.hash`; undefined for anything unknown (the caller goes home). */
export function parseHash(hash: string): Route | undefined {
  const path = (hash.replace(/^#?\/?/, '').split('?')[0] ?? '');
  const [head = '', id = '', ...rest] = path.split('/');
  if (rest.length) return undefined;
  switch (head) {
    case 'inbox':
    case 'applications':
      return id ? { name: head, id: decode(id) } : { name: head };
    case 'reports':
    case 'deliveries':
    case 'channels':
    case 'privacy':
      return id ? undefined : { name: head };
    case 'new-application':
      return id ? undefined : { name: 'intake' };
    case 'admin': {
      if (!id) return { name: 'admin', section: 'officers' };
      const section = ADMIN_SECTIONS.find((s) => s === id);
      return section ? { name: 'admin', section } : undefined;
    }
    default:
      return undefined;
  }
}

export function toHash(r: Route): string {
  switch (r.name) {
    case 'inbox':
    case 'applications':
      return r.id ? `#/${r.name}/${encodeURIComponent(r.id)}` : `#/${r.name}`;
    case 'reports':
    case 'deliveries':
    case 'channels':
    case 'privacy':
      return `#/${r.name}`;
    case 'intake':
      return '#/new-application';
    case 'admin':
      return r.section === 'officers' ? '#/admin' : `#/admin/${r.section}`;
  }
}

/** Where the browser should be: the route itself, home when it is unknown or not for this role. */
export function resolve(hash: string, role: Role): Route {
  const r = parseHash(hash);
  return r && canSee(role, r.name) ? r : homeFor(role);
}
