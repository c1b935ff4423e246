// Who is signed in: the contract every officer route relies on (the auth plugin sets it, routes read it).
import type { OfficerRole } from '../db/schema.ts';

export interface OfficerPrincipal {
  id: string;
  email: string;
  displayName: string;
  role: OfficerRole;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth plugin for a valid officer session; undefined otherwise. */
    officer?: OfficerPrincipal;
  }
}
