// The widget's CSS, injected into its shadow root only. Logical properties throughout (RTL and LTR).
export const CSS = `
.r{all:initial;font-family:"Noto Naskh Arabic","Noto Sans Arabic","Segoe UI",Tahoma,system-ui,sans-serif;font-size:15px;line-height:1.6;color:#1f2937;text-align:start;-webkit-font-smoothing:antialiased}
.r[lang=en]{font-family:system-ui,"Segoe UI",Roboto,Helvetica,Arial,"Noto Sans Arabic",Tahoma,sans-serif}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
button,textarea,input{font:inherit;color:inherit;letter-spacing:inherit;margin:0}
button{cursor:pointer;border:0;background:none;padding:0;display:inline-flex;align-items:center;justify-content:center;gap:6px}
:focus-visible{outline:2px solid currentColor;outline-offset:2px}
svg{width:22px;height:22px;fill:currentColor;flex-shrink:0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.l{position:fixed;bottom:20px;inset-inline-end:20px;width:60px;height:60px;border-radius:50%;background:var(--p);color:var(--op);box-shadow:0 4px 16px rgba(0,0,0,.28);transition:transform .15s}
.l:hover{transform:scale(1.06)}
.l:focus-visible{outline:3px solid var(--pt);outline-offset:3px}
.l svg{width:30px;height:30px}
.bd{position:absolute;top:-4px;inset-inline-end:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#c62828;color:#fff;font-size:12px;line-height:22px;font-weight:700}
.p{position:fixed;bottom:92px;inset-inline-end:20px;width:min(384px,calc(100vw - 40px));height:min(640px,calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 40px rgba(0,0,0,.28);overflow:hidden;animation:tw-in .18s ease-out}
.st .l,.st .p{inset-inline-end:auto;inset-inline-start:20px}
@keyframes tw-in{from{opacity:0;transform:translateY(12px)}}
.h{display:flex;align-items:center;gap:2px;padding:8px 10px;background:var(--p);color:var(--op)}
.t{flex:1;margin:0 6px;font-size:17px;font-weight:700;line-height:1.4;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.hb{min-width:40px;height:40px;padding:0 6px;border-radius:8px;font-weight:700}
.hb:hover{background:rgba(127,127,127,.25)}
.cf,.er{padding:10px 14px;font-size:14px;border-bottom:1px solid #e5e7eb}
.cf{background:#f8fafc}
.cf p{margin:0 0 8px}
.cfa{display:flex;gap:8px;flex-wrap:wrap}
.btn{padding:6px 14px;border-radius:8px;border:1px solid #6b7280;font-weight:600}
.btn.pri{background:var(--p);color:var(--op);border-color:var(--p)}
.er{display:flex;gap:8px;align-items:flex-start;background:#fdecea;color:#8a1c12}
.er span{flex:1}
.x{width:28px;height:28px;border-radius:6px;font-size:20px;line-height:1}
.nt{margin:0;padding:8px 14px;font-size:13px;text-align:center;color:#374151;background:#eef6f3;border-bottom:1px solid #e5e7eb}
.lg{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:10px;overscroll-behavior:contain;background:#fafafa}
.m{display:flex;flex-direction:column;align-items:flex-start;max-width:85%;align-self:flex-start}
.m.in{align-self:flex-end;align-items:flex-end}
.m.sys{align-self:center;align-items:center;max-width:95%}
.nm{font-size:12px;color:#4b5563;margin-inline-start:8px;font-weight:600}
.b{padding:8px 12px;border-radius:16px;border-end-start-radius:4px;background:#e9edf1;white-space:pre-wrap;overflow-wrap:anywhere}
.in .b{background:var(--p);color:var(--op);border-end-start-radius:16px;border-end-end-radius:4px}
.sys .b{background:none;color:#4b5563;font-size:13px;text-align:center}
.b a{color:inherit;text-decoration:underline}
.b .rf,.nh .rf{white-space:nowrap}
.m.nt{align-self:stretch;max-width:100%;border:1px solid #d1d5db;border-inline-start:4px solid var(--p,#0f766e);border-radius:10px;background:#fff;padding:8px 10px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.nt .b{background:none;color:#111827;padding:4px 0;text-align:start}
.nh{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 10px;font-size:14px}
.nf{font-size:14px;color:#1f2937}
.f{display:flex;align-items:center;gap:6px;margin-top:4px;padding:6px 10px;border-radius:10px;background:rgba(127,127,127,.18);font-size:13px;max-width:100%}
.f bdi{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.f span{white-space:nowrap;opacity:.9}
.pg{width:100%;min-width:120px;height:4px;border-radius:2px;background:#d1d5db;margin-top:4px;overflow:hidden}
.pg i{display:block;height:100%;background:var(--pt);transition:width .2s}
.mt{font-size:12px;color:#5f6b7a;margin:2px 8px 0}
.mt .s{margin-inline-start:8px}
.fl .mt .s,.rt{color:#b3261e;font-weight:600}
.rt{font-size:13px;text-decoration:underline;padding:2px 8px;border-radius:6px}
.ch{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.cb{padding:6px 12px;border-radius:16px;border:1.5px solid var(--pt);color:var(--pt);background:#fff;font-weight:600;text-align:start}
.cb:hover:not(:disabled){background:var(--p);color:var(--op)}
.cb:disabled{cursor:default;border-color:#c4c9cf;color:#5f6b7a}
.ty{display:flex;gap:4px;padding:6px 20px 10px;background:#fafafa}
.ty i{width:7px;height:7px;border-radius:50%;background:#6b7280;animation:tw-d 1.2s infinite}
.ty i:nth-child(2){animation-delay:.2s}
.ty i:nth-child(3){animation-delay:.4s}
@keyframes tw-d{0%,60%,100%{opacity:.3;transform:none}30%{opacity:1;transform:translateY(-3px)}}
.ac{padding:8px 10px 0}
.up{width:100%;padding:10px;border-radius:10px;background:var(--p);color:var(--op);font-weight:700}
.c{display:flex;align-items:flex-end;gap:6px;padding:10px;border-top:1px solid #e5e7eb;background:#fff}
textarea{flex:1;resize:none;border:1px solid #8a94a0;border-radius:12px;padding:8px 12px;height:42px;max-height:128px;line-height:1.5;background:#fff;color:#1f2937}
textarea:focus{outline:2px solid var(--pt);outline-offset:0;border-color:var(--pt)}
textarea::placeholder{color:#6b7280}
.ib{width:42px;height:42px;border-radius:50%;color:#374151}
.ib:hover{background:#eef1f4}
.ib.hi,.snd,.snd:hover{background:var(--p);color:var(--op)}
[dir=rtl] .snd svg{transform:scaleX(-1)}
@media (max-width:480px){.p,.st .p{inset:0;width:auto;height:auto;border-radius:0}.o .l{display:none}textarea{font-size:16px}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`;
