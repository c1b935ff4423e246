// The inbox's CSS (inside the bundle, one file to serve). Logical properties throughout: RTL and LTR alike.
const CSS = `
*,*::before,*::after{box-sizing:border-box}
html,body{height:100%;margin:0}
body{font-family:"Noto Naskh Arabic","Noto Sans Arabic","Segoe UI",Tahoma,system-ui,sans-serif;font-size:15px;line-height:1.6;color:#1f2937;background:#f3f5f6}
html[lang=en] body{font-family:system-ui,"Segoe UI",Roboto,Helvetica,Arial,"Noto Sans Arabic",Tahoma,sans-serif}
[hidden]{display:none!important}
a{color:#0b5c8a}
:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
h1,h2,h3{margin:0 0 10px;line-height:1.35}
h1{font-size:20px}h2{font-size:17px}h3{font-size:15px}
button,input,select,textarea{font:inherit;color:inherit}
input,select,textarea{padding:6px 10px;border:1px solid #8a94a0;border-radius:8px;background:#fff;min-height:36px;max-width:100%}
textarea{resize:vertical;width:100%;line-height:1.5}
html[dir=rtl] [dir=auto]:placeholder-shown{direction:rtl}
td bdi[dir=ltr]{white-space:nowrap}
main:focus{outline:none}
input[type=checkbox],input[type=radio]{min-height:0;width:18px;height:18px;accent-color:#0f766e;vertical-align:middle}
.btn{display:inline-flex;align-items:center;gap:6px;padding:6px 14px;min-height:36px;border-radius:8px;border:1px solid #8a94a0;background:#fff;cursor:pointer;font-weight:600;text-decoration:none;color:#1f2937}
.btn:hover:not(:disabled){background:#eef2f3}
.btn.pri{background:#0f766e;border-color:#0f766e;color:#fff}
.btn.pri:hover:not(:disabled){background:#0b5e58}
.btn.dng{color:#a3231b;border-color:#a3231b}
.btn.sm{padding:2px 10px;min-height:30px;font-size:14px}
button:disabled,.btn:disabled{opacity:.55;cursor:not-allowed}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;inset-inline-start:8px;top:-60px;background:#fff;padding:8px 12px;border-radius:8px;z-index:10}
.skip:focus{top:8px}
#app{height:100%;display:flex;flex-direction:column}
.top{display:flex;align-items:center;gap:8px 12px;flex-wrap:wrap;padding:8px 16px;background:#0f5f57;color:#fff}
.brand{font-weight:700;font-size:18px}
.brand small{font-weight:400;font-size:13px;opacity:.85;margin-inline-start:8px}
.nav{display:flex;gap:4px;flex:1;flex-wrap:wrap}
.nav a{color:#fff;text-decoration:none;padding:4px 12px;border-radius:8px;font-weight:600}
.nav a:hover{background:rgba(255,255,255,.12)}
.nav a[aria-current=page]{background:rgba(255,255,255,.22)}
.top .tb{background:transparent;border:1px solid rgba(255,255,255,.55);color:#fff;border-radius:8px;padding:3px 10px;cursor:pointer;min-height:32px}
.top .tb[aria-pressed=true]{background:rgba(255,255,255,.22)}
.top :focus-visible{outline-color:#fff}
.who{opacity:.95}
.badge{display:inline-block;min-width:22px;padding:0 6px;border-radius:11px;background:#c62828;color:#fff;font-size:12px;line-height:22px;text-align:center;font-weight:700;margin-inline-start:6px}
.badge.z{background:#e5e7eb;color:#374151}
.live{background:#fff4d6;color:#6b4e00;padding:4px 16px;font-size:14px}
.err{display:flex;gap:8px;align-items:flex-start;background:#fdecea;color:#8a1c12;padding:10px 16px;border-block-end:1px solid #f5c2bd}
.err span{flex:1}
.err button{background:none;border:0;font-size:20px;line-height:1;cursor:pointer;color:inherit;padding:0 6px}
main{flex:1;min-height:0;overflow:auto;padding:16px}
main.full{padding:0;overflow:hidden;display:flex}
.card{background:#fff;border:1px solid #e2e6e9;border-radius:10px;padding:12px 16px;margin-block-end:16px}
.fld{display:flex;flex-direction:column;gap:4px;margin-block-end:10px}
.fld label{font-weight:600;font-size:14px}
.hint{color:#4b5563;font-size:13px}
.bar{display:flex;gap:8px 12px;flex-wrap:wrap;align-items:flex-end}
.bar .fld{margin:0}
.muted{color:#4b5563}
.pill{display:inline-block;padding:0 8px;border-radius:999px;font-size:12px;line-height:20px;background:#eef1f4;color:#374151;white-space:nowrap;font-weight:600}
.pill.late{background:#b3261e;color:#fff}
.pill.ok{background:#dcf3e6;color:#0b5a2a}
.ch-whatsapp,.ch-whatsapp-web{background:#dcf8e4;color:#0b5a2a}
.ch-telegram{background:#dceefb;color:#0b4a78}
.ch-webchat{background:#efe6fb;color:#4c1d95}
.ch-sms{background:#fff1d6;color:#7a4a00}
.ch-email{background:#fde2e2;color:#7f1d1d}
.tw{overflow-x:auto}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:start;padding:8px;border-block-end:1px solid #e5e7eb;vertical-align:top}
th{font-size:13px;color:#374151;background:#f8fafb}
tr.click{cursor:pointer}
tr.click:hover{background:#f3f8f7}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px 16px;margin:0}
.facts dt{font-size:13px;color:#4b5563}
.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.auth{max-width:400px;margin:48px auto}
.auth input{width:100%}
.inbox{flex:1;min-height:0;display:grid;grid-template-columns:minmax(260px,340px) minmax(0,1fr)}
.side{display:flex;flex-direction:column;min-height:0;background:#fff;border-inline-end:1px solid #dfe3e6}
.tabs{display:flex;flex-wrap:wrap;gap:4px;padding:8px}
.tab{border:1px solid #c9d0d5;background:#fff;border-radius:8px;padding:4px 10px;cursor:pointer;font-weight:600;font-size:14px}
.tab[aria-selected=true]{background:#0f766e;border-color:#0f766e;color:#fff}
.srch{padding:0 8px 8px}
.srch input{width:100%}
.list{flex:1;overflow-y:auto;margin:0;padding:0;list-style:none}
.row{display:block;padding:10px 12px;border-block-end:1px solid #eceff1;color:inherit;text-decoration:none;border-inline-start:4px solid transparent}
.row:hover{background:#f5f9f8}
.row[aria-current=page]{background:#e6f2f1;border-inline-start-color:#0f766e}
.row .l1{display:flex;gap:6px;align-items:center}
.row .nm{font-weight:700;flex:1;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.row .pv{color:#4b5563;font-size:14px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.row .l3{display:flex;gap:8px;font-size:12px;color:#4b5563}
.row .wt{color:#a3231b;font-weight:700}
.empty{padding:24px;text-align:center;color:#4b5563}
.pane{display:flex;flex-direction:column;min-height:0;min-width:0;overflow-y:auto;background:#f7f8f9}
.ph{padding:10px 16px;background:#fff;border-block-end:1px solid #dfe3e6}
.ph .l1{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.ph h1{margin:0;font-size:18px}
.ph .apps{margin:4px 0 0;font-size:14px}
.ph details{margin-block-start:6px;font-size:14px}
.ph details[open]{max-height:28vh;overflow:auto}
.ph summary{cursor:pointer;color:#0b5c8a}
.acts{display:flex;flex-wrap:wrap;gap:6px;padding:8px 16px;background:#fff;border-block-end:1px solid #dfe3e6}
.inl{padding:10px 16px;background:#fffdf3;border-block-end:1px solid #eadfb0}
.tl{flex:1;min-height:96px;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:10px}
.msg{max-width:78%;align-self:flex-start;display:flex;flex-direction:column;align-items:flex-start}
.msg.out{align-self:flex-end;align-items:flex-end}
.msg.sys{align-self:center;align-items:center;max-width:90%}
.bub{padding:8px 12px;border-radius:14px;background:#fff;border:1px solid #e1e5e8;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.bot .bub{background:#eef1f4}
.msg.officer .bub{background:#d9efe9;border-color:#b7ddd3}
.msg.sys .bub{background:none;border:0;color:#4b5563;font-size:13px;text-align:center}
.meta{display:flex;gap:8px;flex-wrap:wrap;font-size:12px;color:#4b5563;margin:2px 6px 0}
.dl{font-weight:700;color:#0f766e}
.dl.f{color:#b3261e}
.att{display:inline-flex;gap:6px;margin-block-start:4px;padding:4px 10px;border-radius:8px;background:rgba(127,127,127,.12);font-size:14px}
.msg .rr{margin:2px 6px 0;font-size:12px;color:#7a4a00;overflow-wrap:anywhere;cursor:help}
.chip{display:flex;gap:8px;align-items:center;flex-wrap:wrap;padding:4px 10px;border:1px solid #c9d0d5;border-radius:8px;background:#f8fafb;font-size:14px}
.chip .fn{flex:1;min-width:0;overflow-wrap:anywhere}
.chip progress{width:120px}
td .pv{color:#4b5563;font-size:13px;max-width:40ch;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.why{font-size:13px;overflow-wrap:anywhere}
.fail{color:#a3231b;font-size:13px;margin:4px 0 0}
.hd{align-items:center;justify-content:space-between}
.hd h1{margin:0}
.note{align-self:stretch;background:#fff7d1;border:1px dashed #c79a00;border-radius:10px;padding:8px 12px}
.note .nh{font-size:12px;font-weight:700;color:#6b4e00}
.note p{margin:4px 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.cmp{padding:8px 16px 12px;background:#fff;border-block-start:1px solid #dfe3e6;display:grid;gap:8px}
.cmp>p{margin:0}
.cmp form{display:flex;gap:8px;align-items:flex-end}
.cmp textarea{flex:1;min-height:44px;max-height:180px}
.cmp .nf textarea{background:#fffbe6;min-height:36px}
.pick{border:1px solid #dfe3e6;border-radius:8px;padding:8px;max-height:min(260px,30vh);overflow:auto;background:#fff}
.pick h3{margin:10px 0 4px}
.pick ul{list-style:none;margin:0;padding:0}
.pick li{padding:6px 0;border-block-end:1px solid #eceff1}
.pick li p{margin:2px 0 4px;white-space:pre-wrap;font-size:14px;color:#374151}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-block-end:16px}
.stat{background:#fff;border:1px solid #e2e6e9;border-radius:10px;padding:10px 14px}
.stat b{display:block;font-size:24px}
.chart svg{display:block;width:100%;max-width:760px;height:auto}
.chart text{font-size:11px;fill:#4b5563}
.chart .ax{stroke:#9ca3af}.chart .gr{stroke:#e5e7eb}
.s0{fill:#0f766e}.s1{fill:#2563eb}.s2{fill:#c2410c}.s3{fill:#7c3aed}.s4{fill:#be123c}.s5{fill:#4d7c0f}
.legend{display:flex;gap:12px;flex-wrap:wrap;font-size:13px;margin-block-start:6px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-inline-end:4px;vertical-align:middle}
.i0{background:#0f766e}.i1{background:#2563eb}.i2{background:#c2410c}.i3{background:#7c3aed}.i4{background:#be123c}.i5{background:#4d7c0f}
.otp{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:20px;letter-spacing:1px;background:#f1f5f9;padding:6px 12px;border-radius:8px;display:inline-block}
.codes{columns:2;padding-inline-start:28px;margin:10px 0}.codes li{margin-block-end:6px}.codes .otp{font-size:16px}
.plain{list-style:none;padding:0;margin:0}
fieldset{border:1px solid #d1d5db;border-radius:8px;margin:0 0 10px}
blockquote{margin:8px 0;padding-inline-start:12px;border-inline-start:3px solid #cbd5e1;white-space:pre-wrap}
.pill.wait{background:#fff1d6;color:#7a4a00}
.chn .hd h2{margin:0}
.chn .chb p{margin:8px 0 0}
.chn .qrh{font-weight:600}
.chn .qr{display:block;width:min(320px,80vw);height:auto;aspect-ratio:1;background:#fff;padding:8px;border:1px solid #e2e6e9;border-radius:8px;margin-block-start:10px}
.pref{display:flex;gap:6px 10px;align-items:center;flex-wrap:wrap;margin-block-start:6px}
.pref label{font-weight:600}
.pref .ok{color:#0b5a2a}
.subnav{display:flex;gap:6px;flex-wrap:wrap;margin-block-end:12px}
.subnav a.btn[aria-current=page]{background:#0f766e;border-color:#0f766e;color:#fff}
@media (max-width:900px){.inbox{grid-template-columns:230px minmax(0,1fr)}.tabs{gap:3px;padding:6px}.tab{padding:2px 6px;font-size:13px}.badge{margin-inline-start:3px;min-width:18px;line-height:18px}.brand small{display:none}main{padding:10px}.msg{max-width:92%}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;

/** Adds the stylesheet once, as a <style> element (the gateway's page CSP allows inline styles, not scripts). */
export function injectStyles(): void {
  if (document.getElementById('tw-inbox-css')) return;
  const el = document.createElement('style');
  el.id = 'tw-inbox-css';
  el.textContent = CSS;
  document.head.append(el);
}
