// A web chat visitor over real HTTP on 127.0.0.1: sessions, messages, uploads, and what ended up on disk.
import fs from 'node:fs';
import path from 'node:path';
import { nationalId } from '../applications/helpers.ts';
import type { TestGateway } from './gateway.ts';

export interface Visitor {
  token: string;
  conversationId: string;
}

export async function visitor(gw: TestGateway, headers: Record<string, string> = {}, body: object = {}): Promise<Visitor> {
  const res = await fetch(`${gw.url()}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`session → ${res.status} ${await res.text()}`);
  return (await res.json()) as Visitor;
}

export async function say(gw: TestGateway, token: string, body: { text: string } | { choice: string }): Promise<void> {
  const res = await fetch(`${gw.url()}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (res.status !== 202) throw new Error(`${JSON.stringify(body)} → ${res.status} ${await res.text()}`);
}

export async function history(gw: TestGateway, token: string): Promise<{ status: number; body: { messages?: { direction: string; expects?: string; step?: string }[]; acceptsUpload?: boolean; error?: { code: string } } }> {
  const res = await fetch(`${gw.url()}/api/webchat/messages`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as never };
}

/** Walks the intake (flows/apply.yaml) as a beneficiary would, up to the question asking for the ID copy. */
export async function toDocumentQuestion(gw: TestGateway, token: string): Promise<void> {
  await say(gw, token, { choice: 'apply' });
  // The privacy notice comes first for someone who has not accepted it yet (flows/privacy.yaml).
  if ((await history(gw, token)).body.messages?.filter((m) => m.direction === 'out').at(-1)?.step === 'notice') await say(gw, token, { choice: 'privacy_accept' });
  for (const text of ['Sarah Al-Qahtani', nationalId(), '0551234567', 'Dammam', '4', '2500']) await say(gw, token, { text });
  await say(gw, token, { choice: 'rented' });
  await say(gw, token, { choice: 'medical' });
  const last = (await history(gw, token)).body.messages?.filter((m) => m.direction === 'out').at(-1);
  if (last?.expects !== 'document') throw new Error(`the intake did not reach a document question (at ${last?.step})`);
}

export function upload(gw: TestGateway, token: string, bytes: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gw.url()}/api/webchat/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', ...headers },
    body: new Uint8Array(bytes),
  });
}

/** Every file under DATA_DIR/uploads. */
export function storedFiles(gw: TestGateway): string[] {
  const root = path.join(gw.dir, 'uploads');
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((p) => path.join(root, p)).filter((p) => fs.statSync(p).isFile());
}

export function attachmentRows(gw: TestGateway): number {
  return gw.db.$client.prepare('select count(*) from attachments').pluck().get() as number;
}

/** A PDF of about `bytes` bytes: accepted by content. */
export function pdf(bytes = 2048): Buffer {
  const head = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n');
  return Buffer.concat([head, Buffer.alloc(Math.max(0, bytes - head.length), 0x20)]);
}
