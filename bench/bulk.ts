// Seeds a gateway's database with a charity's years of history: 100,000 beneficiaries, each with a WhatsApp identity,
// a conversation and ten messages (1,000,000 in all), names, national IDs and mobiles as Saudis have them. Written
// through drizzle's prepared inserts, 2,000 beneficiaries per transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../src/db/client.ts';
import { contactIdentities, contacts, conversations, messages } from '../src/db/schema.ts';

const FIRST = ['محمد', 'عبدالله', 'فهد', 'سارة', 'نورة', 'عبدالرحمن', 'خالد', 'ريم', 'هيا', 'سلطان', 'منيرة', 'تركي', 'لطيفة', 'ماجد', 'العنود', 'بندر'];
const FAMILY = ['العتيبي', 'القحطاني', 'الشمري', 'الدوسري', 'الحربي', 'المطيري', 'الغامدي', 'الزهراني', 'السبيعي', 'العنزي', 'الشهري', 'البقمي', 'الرشيدي', 'اليامي'];
const TEXTS = ['السلام عليكم', 'ابي اقدم على مساعدة', 'متى يطلع الرد؟', 'شكرا لكم', 'وين مقركم', 'ارسلت الهوية', 'تم', '1', 'القائمة', 'جزاكم الله خير'];

export interface Person {
  name: string;
  nationalId: string;
  mobile: string;
}

/** The i-th seeded beneficiary, the same in the seeder and in the searches that look for them. */
export function person(i: number): Person {
  const name = `${FIRST[i % FIRST.length]} ${FIRST[Math.floor(i / FIRST.length) % FIRST.length]} ${FAMILY[Math.floor(i / 7) % FAMILY.length]} ${i}`;
  return { name, nationalId: String(1_000_000_000 + i * 7), mobile: `+9665${String(10_000_000 + i).padStart(8, '0')}` };
}

export function bulkSeed(db: Db, people: number, perConversation: number): { contacts: number; messages: number; ms: number } {
  const started = performance.now();
  const ph = (name: string) => sql.placeholder(name);
  const insertContact = db
    .insert(contacts)
    .values({ id: ph('id'), displayName: ph('name'), phone: ph('phone'), phoneVerified: true, nationalId: ph('nid'), createdAt: ph('at'), updatedAt: ph('at') })
    .prepare();
  const insertIdentity = db
    .insert(contactIdentities)
    .values({ id: ph('id'), contactId: ph('contact'), channel: 'whatsapp', address: ph('address'), displayName: ph('name'), createdAt: ph('at'), updatedAt: ph('at') })
    .prepare();
  const insertConversation = db
    .insert(conversations)
    .values({ id: ph('id'), contactId: ph('contact'), identityId: ph('identity'), channel: 'whatsapp', status: 'closed', lastMessageAt: ph('at'), createdAt: ph('at'), updatedAt: ph('at') })
    .prepare();
  const insertMessage = db
    .insert(messages)
    .values({
      conversationId: ph('conversation'),
      contactId: ph('contact'),
      channel: 'whatsapp',
      direction: ph('direction'),
      senderKind: ph('sender'),
      text: ph('text'),
      externalId: ph('external'),
      deliveryStatus: ph('status'),
      createdAt: ph('at'),
    })
    .prepare();
  const BATCH = 2_000;
  const day = 86_400_000;
  const origin = Date.now() - 3 * 365 * day;
  const batch = db.$client.transaction((from: number, count: number) => {
    for (let i = from; i < from + count; i++) {
      const p = person(i);
      const contact = randomUUID();
      const identity = randomUUID();
      const conversation = randomUUID();
      const at = new Date(origin + Math.floor((i / people) * 3 * 365 * day)).toISOString();
      insertContact.run({ id: contact, name: p.name, phone: p.mobile, nid: p.nationalId, at });
      insertIdentity.run({ id: identity, contact, address: p.mobile.slice(1), name: p.name, at });
      insertConversation.run({ id: conversation, contact, identity, at });
      for (let m = 0; m < perConversation; m++) {
        const inbound = m % 2 === 0;
        insertMessage.run({
          conversation,
          contact,
          direction: inbound ? 'in' : 'out',
          sender: inbound ? 'beneficiary' : 'bot',
          text: TEXTS[(i + m) % TEXTS.length] ?? '',
          external: inbound ? `wamid.bulk.${i}.${m}` : null,
          status: inbound ? 'received' : 'read',
          at,
        });
      }
    }
  });
  for (let from = 0; from < people; from += BATCH) batch(from, Math.min(BATCH, people - from));
  return { contacts: people, messages: people * perConversation, ms: performance.now() - started };
}
