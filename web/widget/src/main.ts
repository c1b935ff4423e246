// Entry point of widget.js: reads the script tag's options, mounts once, exposes window.TawasulWidget.
import { parseOptions } from './options.ts';
import { createWidget } from './widget.ts';

interface TawasulApi {
  open(): void;
  close(): void;
  toggle(): void;
}

// Captured synchronously: document.currentScript is only set while this script first runs.
const script = (document.currentScript ?? document.querySelector('script[src*="widget.js"]')) as HTMLScriptElement | null;
const w = window as unknown as { TawasulWidget?: TawasulApi };

function boot(): void {
  const { options, warnings } = parseOptions({ ...(script?.dataset ?? {}) }, script?.src || undefined, location.href);
  for (const msg of warnings) console.warn(`[Tawasul widget] ${msg}`);
  const widget = createWidget(options);
  widget.mount();
  w.TawasulWidget = { open: widget.open, close: widget.close, toggle: widget.toggle };
}

// A page that includes the tag twice gets one widget.
if (!w.TawasulWidget) {
  w.TawasulWidget = { open() {}, close() {}, toggle() {} };
  if (document.body) boot();
  else document.addEventListener('DOMContentLoaded', boot, { once: true });
}
