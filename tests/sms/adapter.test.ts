// The SMS adapter sending with the REAL twilio client against a fake Twilio API, and via Unifonic; error mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmsAdapter, smsSegments } from '../../channels/sms/index.ts';
import { AppError } from '../../src/core/errors.ts';
import { FakeTwilioApi } from '../fakes/twilio-api.ts';
import { FakeUnifonicApi } from '../fakes/unifonic-api.ts';
import { memoryLogger, refusedApiRoot } from '../telegram/support.ts';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SERVICE_SID, UNIFONIC_APP_SID, twilioConfig } from './support.ts';

let fakeTwilio: FakeTwilioApi;
let twilioUrl: string;
let fakeUnifonic: FakeUnifonicApi;
let unifonicUrl: string;

beforeAll(async () => {
  fakeTwilio = new FakeTwilioApi({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  twilioUrl = (await fakeTwilio.start()).apiUrl;
  fakeUnifonic = new FakeUnifonicApi();
  unifonicUrl = (await fakeUnifonic.start()).apiUrl;
});
afterAll(async () => {
  await fakeTwilio.stop();
  await fakeUnifonic.stop();
});

async function sendError(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('capabilities', () => {
  it('declare a UCS-2 budget of 67 × SMS_MAX_SEGMENTS, no buttons, consecutive texts combined, no media, may initiate', () => {
    const a = createSmsAdapter(twilioConfig(twilioUrl, { maxSegments: 2, perSecond: 10 }), { logger: memoryLogger() });
    expect(a.id).toBe('sms');
    expect(a.capabilities).toEqual({
      reference: 'echoed',
      maxTextLength: 134,
      buttons: null,
      combineTexts: true,
      media: false,
      canInitiate: true,
      replyWindowHours: null,
      rate: { perSecond: 10, perRecipientPerSecond: 1, perRecipientBurst: 2 },
    });
    // Without PUBLIC_URL there is no status callback to carry our reference back.
    expect(createSmsAdapter(twilioConfig(twilioUrl, { publicUrl: undefined }), { logger: memoryLogger() }).capabilities.reference).toBe('none');
    expect(a.webhook?.path).toBe('/webhooks/twilio');
    expect(a.extraWebhooks?.map((h) => h.path)).toEqual(['/webhooks/twilio/status']);
  });
});

describe('send through Twilio (real twilio client)', () => {
  const adapter = () => createSmsAdapter(twilioConfig(twilioUrl), { logger: memoryLogger() });

  it('posts To, From, Body and StatusCallback with Basic auth and returns the MessageSid', async () => {
    const before = fakeTwilio.calls().length;
    const text = 'مرحبا بك في جمعية البر، رقم طلبك \u2066TW-1448-00042\u2069';
    const result = await adapter().send('+966551234567', { text });
    const call = fakeTwilio.calls()[before];
    expect(call?.auth).toBe(`${ACCOUNT_SID}:${AUTH_TOKEN}`);
    expect(call?.form).toEqual({
      To: '+966551234567',
      From: '+15005550006',
      // Isolates become LRMs for SMS handsets; the Arabic arrives intact as UTF-8.
      Body: 'مرحبا بك في جمعية البر، رقم طلبك \u200ETW-1448-00042\u200E',
      StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status`,
    });
    expect(result.externalId).toBe(call?.sid);
    expect(result.externalId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it('uses MessagingServiceSid instead of From, and no StatusCallback without PUBLIC_URL', async () => {
    const cfg = twilioConfig(twilioUrl, { publicUrl: undefined });
    const a = createSmsAdapter({ ...cfg, twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: SERVICE_SID, apiUrl: twilioUrl } }, { logger: memoryLogger() });
    await a.send('+966551234567', { text: 'Hello' });
    expect(fakeTwilio.calls().at(-1)?.form).toEqual({ To: '+966551234567', MessagingServiceSid: SERVICE_SID, Body: 'Hello' });
  });

  it('fits long Arabic text to the segment budget', async () => {
    const long = 'نشكركم على تواصلكم مع الجمعية وسيتم الرد عليكم قريبا '.repeat(10);
    await adapter().send('+966551234567', { text: long });
    const body = fakeTwilio.calls().at(-1)?.form.Body ?? '';
    expect(smsSegments(body)).toMatchObject({ encoding: 'UCS-2', segments: 3 });
    expect(body.endsWith('…')).toBe(true);
    expect(long.startsWith(body.slice(0, -1))).toBe(true);
  });

  it('maps 429 to retryable with Retry-After in ms', async () => {
    fakeTwilio.failNext({ status: 429, retryAfter: '7' });
    const err = await sendError(adapter().send('+966551234567', { text: 'x' }));
    expect(err).toMatchObject({ code: 'ERR_CHANNEL_SEND', retryable: true, retryAfterMs: 7000 });
  });

  it('maps 21211 (invalid number) to a permanent failure with the Twilio code', async () => {
    fakeTwilio.failNext({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    const err = await sendError(adapter().send('+9665', { text: 'x' }));
    expect(err).toMatchObject({ code: 'ERR_CHANNEL_SEND', retryable: false, details: { provider: 'twilio', status: 400, code: 21211 } });
    expect(err.message).toContain('21211');
  });

  it('maps 500 and a dropped connection to retryable', async () => {
    fakeTwilio.failNext({ status: 500 });
    expect((await sendError(adapter().send('+966551234567', { text: 'x' }))).retryable).toBe(true);
    fakeTwilio.failNext({ network: 'reset' });
    expect((await sendError(adapter().send('+966551234567', { text: 'x' }))).retryable).toBe(true);
  });

  it('maps a refused connection to retryable, without the auth token in the error', async () => {
    const a = createSmsAdapter(twilioConfig(await refusedApiRoot()), { logger: memoryLogger() });
    const err = await sendError(a.send('+966551234567', { text: 'x' }));
    expect(err).toMatchObject({ retryable: true, details: { network: 'ECONNREFUSED' } });
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain(AUTH_TOKEN);
  });

  it('wrong credentials are a permanent failure', async () => {
    const a = createSmsAdapter({ ...twilioConfig(twilioUrl), twilio: { accountSid: ACCOUNT_SID, authToken: '0'.repeat(32), from: '+15005550006', apiUrl: twilioUrl } }, { logger: memoryLogger() });
    expect(await sendError(a.send('+966551234567', { text: 'x' }))).toMatchObject({ retryable: false, details: { status: 401, code: 20003 } });
  });
});

describe('send through Unifonic', () => {
  const adapter = () =>
    createSmsAdapter({ provider: 'unifonic', unifonic: { appSid: UNIFONIC_APP_SID, senderId: 'Tawasul', apiUrl: unifonicUrl }, maxSegments: 3, perSecond: 1 }, { logger: memoryLogger() });

  it('posts AppSid, SenderID, Recipient without +, and the Arabic Body as a form; returns MessageID', async () => {
    const result = await adapter().send('+966551234567', { text: 'تم استلام طلبك' });
    const call = fakeUnifonic.calls().at(-1);
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(call?.form).toEqual({ AppSid: UNIFONIC_APP_SID, SenderID: 'Tawasul', Recipient: '966551234567', Body: 'تم استلام طلبك' });
    expect(result.externalId).toMatch(/^\d+$/);
  });

  it('has no webhooks (Unifonic inbound is not supported)', () => {
    expect(adapter().webhook).toBeUndefined();
  });

  it('maps a refusal (success=false) to permanent, 429 and 5xx to retryable', async () => {
    fakeUnifonic.failNext({ refuse: { errorCode: 'ER-09', message: 'Invalid recipient' } });
    const refused = await sendError(adapter().send('+966551234567', { text: 'x' }));
    expect(refused).toMatchObject({ retryable: false, details: { provider: 'unifonic', code: 'ER-09' } });
    expect(refused.message).not.toContain(UNIFONIC_APP_SID);
    fakeUnifonic.failNext({ status: 429, retryAfter: '3' });
    expect(await sendError(adapter().send('+966551234567', { text: 'x' }))).toMatchObject({ retryable: true, retryAfterMs: 3000 });
    fakeUnifonic.failNext({ status: 503 });
    expect((await sendError(adapter().send('+966551234567', { text: 'x' }))).retryable).toBe(true);
  });

  it('maps a refused connection to retryable', async () => {
    const a = createSmsAdapter({ provider: 'unifonic', unifonic: { appSid: UNIFONIC_APP_SID, senderId: 'Tawasul', apiUrl: await refusedApiRoot() }, maxSegments: 3, perSecond: 1 }, { logger: memoryLogger() });
    expect(await sendError(a.send('+966551234567', { text: 'x' }))).toMatchObject({ retryable: true, details: { network: 'ECONNREFUSED' } });
  });
});
