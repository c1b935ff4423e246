import { parseConfig } from '/work/main/src/config.ts';
import { createGateway } from '/work/main/src/gateway.ts';
import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'walk-'));
const gw = await createGateway(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }));
const locale = process.argv[2] ?? 'ar';
const s = (await gw.app.inject({ method: 'POST', url: '/api/webchat/sessions', payload: { locale } })).json() as any;
let last = 0;
async function show() {
  const r = (await gw.app.inject({ url: `/api/webchat/messages?after=${last}`, headers: { authorization: `Bearer ${s.token}` } })).json() as any;
  for (const m of r.messages) { last = m.id; console.log(m.direction === 'in' ? `\n>>> ${m.text}` : `[${m.flow}.${m.step}] ${m.text}${m.choices ? '\n   {' + m.choices.map((c: any) => `${c.id}:${c.label}`).join(' | ') + '}' : ''}`); }
}
await show();
for (const t of process.argv.slice(3)) {
  const body = t.startsWith('#') ? { choice: t.slice(1) } : { text: t };
  await gw.app.inject({ method: 'POST', url: '/api/webchat/messages', headers: { authorization: `Bearer ${s.token}` }, payload: body });
  await show();
}
await gw.close();
