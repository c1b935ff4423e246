// The admins' running-system pages in the HTTP contract: the channels and their link state, and the messages the
// bot could not place (learning from misses). Imports only zod: the inbox compiles against these types.
import { z } from 'zod';
import { Timestamp } from './common.ts';

const Locale = z.enum(['ar', 'en']);

export const ChannelInfo = z
  .object({
    id: z.string(),
    status: z
      .object({
        state: z.string().describe('starting | qr | ready | disconnected'),
        since: Timestamp.optional(),
        qrSvg: z.string().optional().describe('The pairing QR as an SVG document, only while state is qr'),
      })
      .optional()
      .describe('Only for channels with a live link (WhatsApp Web)'),
  })
  .meta({ id: 'ChannelInfo' });

export const MissGroup = z
  .object({
    text: z.string().describe('The latest message of the group, as typed (long numbers masked)'),
    normalized: z.string(),
    count: z.number().int(),
    step: z.string().describe('flow.step where the latest one was typed'),
    locale: Locale,
    lastSeen: Timestamp,
  })
  .meta({ id: 'MissGroup' });

export const adminToolRoutes = {
  channels: { response: { 200: z.object({ channels: z.array(ChannelInfo) }) } },
  misses: {
    response: {
      200: z.object({
        groups: z.array(MissGroup),
        personal: z.array(z.object({ step: z.string(), count: z.number().int(), lastSeen: Timestamp })).describe('Steps that collect personal data: counts only'),
        intents: z.array(z.object({ id: z.string(), label: z.object({ ar: z.string(), en: z.string() }) })),
      }),
    },
  },
  exampleAdd: {
    body: z.object({ intent: z.string().min(1).max(64), text: z.string().trim().min(1).max(300) }).strict(),
    response: {
      // 201 when it was added, 200 when the same text was already an example.
      200: z.object({ example: z.object({ intent: z.string(), text: z.string(), locale: Locale }), added: z.boolean() }),
      201: z.object({ example: z.object({ intent: z.string(), text: z.string(), locale: Locale }), added: z.boolean() }),
    },
  },
} as const;

export type ChannelsAnswer = z.infer<(typeof adminToolRoutes.channels.response)[200]>;
export type MissesAnswer = z.infer<(typeof adminToolRoutes.misses.response)[200]>;
