// The assigned researcher over the real gateway and real sign-in: PUT …/assignee (officer/admin, researcher or admin
// targets only), the name in GET, «حالاتي» (?assigned=me), and the live alert on the researcher's own event stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfficerRole } from '../../src/db/schema.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { createOfficerWithTotp, signInOverHttp, type OfficerHeaders } from '../support/officers.ts';
import { applyViaWebchat } from './helpers.ts';

const PASSWORD = 'correct horse battery';
let gw: TestGateway;
const who: Record<string, { id: string; headers: OfficerHeaders }> = {};

async function add(key: string, role: OfficerRole, displayName: string) {
  const email = `${key}@charity.test`;
  const officer = await createOfficerWithTotp(gw, { email, displayName, role, password: PASSWORD });
  const { headers } = await signInOverHttp(gw, gw.url(), email, PASSWORD);
  who[key] = { id: officer.id, headers };
}

beforeAll(async () => {
  gw = await startGateway();
  await gw.listen();
  await add('officer', 'officer', 'هدى الشمري');
  await add('researcher', 'researcher', 'ريم الحربي');
  await add('other', 'researcher', 'خالد الدوسري');
  await add('committee', 'committee', 'عبدالرحمن القحطاني');
});
afterAll(() => gw.close());

const call = (key: string, method: string, path: string, body?: unknown) =>
  fetch(`${gw.url()}${path}`, { method, headers: { ...(who[key]?.headers ?? {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

/** The officer's live feed; `next` waits (bounded by the abort timer) for the first event matching. */
async function stream(key: string) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 8000);
  const res = await fetch(`${gw.url()}/api/inbox/events`, { headers: { cookie: who[key]?.headers.cookie ?? '' }, signal: abort.signal });
  expect(res.status).toBe(200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: { event: string; data: unknown }[] = [];
  return {
    seen,
    async next(event: string): Promise<unknown> {
      for (;;) {
        const found = seen.find((e) => e.event === event);
        if (found) return found.data;
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const name = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (name && data) seen.push({ event: name, data: JSON.parse(data) as unknown });
        }
      }
    },
    close() {
      clearTimeout(timer);
      abort.abort();
    },
  };
}

describe('PUT /api/applications/:id/assignee', () => {
  it('sets the researcher, shows the name in GET and «حالاتي», and alerts that researcher only, live', async () => {
    const a = await applyViaWebchat(gw, 'ar');
    const mine = await stream('researcher');
    const theirs = await stream('other');
    try {
      const res = await call('officer', 'PUT', `/api/applications/${a.applicationId}/assignee`, { officerId: who.researcher?.id });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: a.applicationId, reference: a.reference, assignedResearcherId: who.researcher?.id, assignedResearcherName: 'ريم الحربي' });
      expect(await mine.next('assignment')).toEqual({ application: { id: a.applicationId, reference: a.reference }, conversationId: null, by: who.officer?.id });

      const detail = (await (await call('researcher', 'GET', `/api/applications/${a.applicationId}`)).json()) as Record<string, unknown>;
      expect(detail).toMatchObject({ assignedResearcherId: who.researcher?.id, assignedResearcherName: 'ريم الحربي' });
      const myCases = (await (await call('researcher', 'GET', '/api/applications?assigned=me')).json()) as { items: { id: string }[] };
      expect(myCases.items.map((i) => i.id)).toContain(a.applicationId);
      const otherCases = (await (await call('other', 'GET', '/api/applications?assigned=me')).json()) as { items: { id: string }[] };
      expect(otherCases.items.map((i) => i.id)).not.toContain(a.applicationId);
      // The other researcher's stream got no assignment (a later event for them proves the stream was reading).
      const referred = await call('officer', 'POST', `/api/applications/${a.applicationId}/refer`, { researcherId: who.other?.id });
      expect(referred.status).toBe(200);
      expect(await theirs.next('assignment')).toMatchObject({ application: { id: a.applicationId, reference: a.reference } });
      expect(theirs.seen.filter((e) => e.event === 'assignment')).toHaveLength(1);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('answers 400 for a target who is not a researcher or admin, 403 for a researcher or committee caller', async () => {
    const a = await applyViaWebchat(gw, 'en');
    const url = `/api/applications/${a.applicationId}/assignee`;
    const bad = await call('officer', 'PUT', url, { officerId: who.committee?.id });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('ERR_VALIDATION');
    expect((await call('officer', 'PUT', url, { officerId: 'nobody' })).status).toBe(400);
    expect((await call('officer', 'PUT', url, {})).status).toBe(400);
    expect((await call('researcher', 'PUT', url, { officerId: who.researcher?.id })).status).toBe(403);
    expect((await call('committee', 'PUT', url, { officerId: who.researcher?.id })).status).toBe(403);
  });
});
