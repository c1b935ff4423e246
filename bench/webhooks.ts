// Real-shaped, correctly signed inbound webhooks for the bench: WhatsApp Cloud API and Twilio SMS, one unique id each.
import { createHmac } from 'node:crypto';
import twilio from 'twilio';

export const WA = {
  accessToken: 'bench-access-token',
  phoneNumberId: '1234567890',
  appSecret: 'bench-app-secret-0123456789abcdef',
  verifyToken: 'bench-verify-token',
} as const;

export const TWILIO = {
  accountSid: `AC${'be0c4'.repeat(6)}be`,
  authToken: 'bench-auth-token-0123456789abcdef',
  from: '+15005550006',
  // The gateway checks signatures against PUBLIC_URL + the request path (src/http/app.ts), as Twilio signs them.
  publicUrl: 'https://bench.tawasul.example',
} as const;

export const WHATSAPP_PATH = '/webhooks/whatsapp';
export const TWILIO_PATH = '/webhooks/twilio';

export interface SignedRequest {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** Saudi mobile numbers, one per sender index, as digits (WhatsApp `from`) — 9665 then 8 digits. */
export const saudiMobile = (i: number): string => `9665${String(10_000_000 + i).slice(-8)}`;

let waSeq = 0;

/** A WhatsApp text message webhook exactly as Meta posts it, with X-Hub-Signature-256 over the exact bytes. */
export function whatsappText(from: string, text: string, name: string): SignedRequest {
  const id = `wamid.HBgMOTY2NTUxMjM0NTY3FQIAEhgg${(++waSeq).toString(16).toUpperCase().padStart(16, '0')}`;
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '966112345678', phone_number_id: WA.phoneNumberId },
              contacts: [{ profile: { name }, wa_id: from }],
              messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', WA.appSecret).update(body).digest('hex')}`;
  return { path: WHATSAPP_PATH, body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
}

let smsSeq = 0;

/** An inbound SMS as Twilio posts it (form fields), with X-Twilio-Signature from twilio's own helper. */
export function twilioSms(from: string, text: string): SignedRequest {
  const sid = `SM${(++smsSeq).toString(16).padStart(32, '0')}`;
  const params: Record<string, string> = {
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: sid, NumMedia: '0', ToCity: '', FromZip: '', SmsSid: sid,
    FromState: '', SmsStatus: 'received', FromCity: '', Body: text, FromCountry: 'SA', To: TWILIO.from,
    ToZip: '', NumSegments: '1', MessageSid: sid, AccountSid: TWILIO.accountSid, From: from, ApiVersion: '2010-04-01',
  };
  const signature = twilio.getExpectedTwilioSignature(TWILIO.authToken, `${TWILIO.publicUrl}${TWILIO_PATH}`, params);
  return {
    path: TWILIO_PATH,
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  };
}
