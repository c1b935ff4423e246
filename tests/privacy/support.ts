// A web chat visitor driven over the real API, recording exactly what the bot shows them (for byte-for-byte comparisons).
import type { TestGateway } from '../support/gateway.ts';

/** What the visitor's screen shows of one bot message: the words, the buttons, and the flow step the API names. */
export interface Seen {
  text: string;
  choices?: { id: string; label: string }[];
  flow?: string;
  step?: string;
  expects?: string;
}

export interface Visitor {
  token: string;
  /** Sends a text or presses a choice; returns the bot messages it produced. */
  send(input: string | { choice: string }): Promise<Seen[]>;
}

/** A new web chat visitor (or, with `token`, one coming back); `ip` is the client address a proxy on 127.0.0.1 reports. */
export async function visitor(gw: TestGateway, locale: 'ar' | 'en', options: { ip?: string; token?: string } = {}): Promise<Visitor> {
  const headers: Record<string, string> = options.ip ? { 'x-forwarded-for': options.ip } : {};
  let token = options.token;
  if (!token) {
    const res = await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', headers, payload: { locale } });
    if (res.statusCode !== 201) throw new Error(`session → ${res.statusCode} ${res.body}`);
    token = (res.json() as { token: string }).token;
  }
  const auth = { ...headers, authorization: `Bearer ${token}` };
  let last = 0;
  const read = async (): Promise<Seen[]> => {
    const got = await gw.app.inject({ method: 'GET', url: `/api/webchat/messages?after=${last}`, headers: auth });
    const messages = (got.json() as { messages: (Seen & { id: number; direction: string })[] }).messages;
    last = messages.at(-1)?.id ?? last;
    return messages
      .filter((m) => m.direction === 'out')
      .map(({ text, choices, flow, step, expects }) => ({ text, ...(choices ? { choices } : {}), ...(flow ? { flow } : {}), ...(step ? { step } : {}), ...(expects ? { expects } : {}) }));
  };
  await read();
  return {
    token,
    async send(input) {
      const payload = typeof input === 'string' ? { text: input } : input;
      const sent = await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: auth, payload });
      if (sent.statusCode !== 202) throw new Error(`${JSON.stringify(payload)} → ${sent.statusCode} ${sent.body}`);
      return read();
    },
  };
}

/** Presses a menu choice (or types a text); when the privacy notice comes first (flows/privacy.yaml), accepts it. */
export async function open(v: Visitor, input: string | { choice: string }): Promise<Seen[]> {
  const got = await v.send(input);
  if (got.at(-1)?.step !== 'notice') return got;
  return [...got, ...(await v.send({ choice: 'privacy_accept' }))];
}

/** The intake's answers after the national ID, as tests/applications/helpers.ts gives them. */
export async function applyAs(v: Visitor, locale: 'ar' | 'en', nationalId: string): Promise<Seen[]> {
  const seen: Seen[] = [];
  const steps: (string | { choice: string })[] = [
    { choice: 'apply' },
    locale === 'ar' ? 'نورة سعد العتيبي' : 'Sarah Al-Qahtani',
    nationalId,
    '0551234567',
    locale === 'ar' ? 'الرياض' : 'Dammam',
    '4',
    '2500',
    { choice: 'rented' },
    { choice: 'medical' },
    'later',
    'later',
    { choice: 'confirm' },
    { choice: 'accept' },
  ];
  for (const s of steps) {
    const got = await v.send(s);
    seen.push(...got);
    // The privacy notice comes first for someone who has not accepted it yet (flows/privacy.yaml).
    if (got.at(-1)?.step === 'notice') seen.push(...(await v.send({ choice: 'privacy_accept' })));
  }
  return seen;
}

/** A 10-digit national ID starting 1 that passes the Luhn check, different on every call. */
let counter = 0;
export function freshNationalId(): string {
  const body = `1${String((Date.now() % 1e6) * 100 + (counter++ % 100)).padStart(8, '0')}`;
  for (let check = 0; check <= 9; check++) {
    const id = `${body}${check}`;
    const sum = [...id].reverse().reduce((acc, ch, i) => {
      let d = Number(ch);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      return acc + d;
    }, 0);
    if (sum % 10 === 0) return id;
  }
  throw new Error('unreachable');
}
