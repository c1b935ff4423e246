// The live stream (EventSource on /api/inbox/events) with reconnects, and the optional new-conversation beep.
import type { LiveSignal } from './ctx.ts';
import { backoffDelay, parseLiveEvent } from './events.ts';

export interface LiveHub {
  subscribe(fn: (e: LiveSignal) => void): () => void;
  onState(fn: (connected: boolean) => void): void;
  stop(): void;
}

/** `onClosed` runs when the server refused the stream (an HTTP error: the browser will not retry by itself). */
export function startLive(url = '/api/inbox/events', onClosed?: () => void): LiveHub {
  const subs = new Set<(e: LiveSignal) => void>();
  let stateFn: (c: boolean) => void = () => {};
  let es: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let openedOnce = false;
  let stopped = false;

  const emit = (e: LiveSignal) => subs.forEach((fn) => fn(e));
  const listen = (type: string) => (ev: Event) => {
    const parsed = parseLiveEvent(type, String((ev as MessageEvent).data ?? ''));
    if (parsed) emit(parsed);
  };

  function connect(): void {
    if (stopped) return;
    es = new EventSource(url, { withCredentials: true });
    es.onopen = () => {
      failures = 0;
      stateFn(true);
      // Anything that happened while the stream was down was missed: screens reload what they show.
      if (openedOnce) emit({ type: 'resync' });
      openedOnce = true;
    };
    es.addEventListener('conversation', listen('conversation'));
    es.addEventListener('message', listen('message'));
    es.addEventListener('assignment', listen('assignment'));
    es.onerror = () => {
      if (!es) return;
      stateFn(false);
      // CONNECTING: the browser retries by itself. CLOSED (HTTP error, bad type): we retry, with back-off.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        onClosed?.();
        failures += 1;
        timer = setTimeout(connect, backoffDelay(failures));
      }
    };
  }

  connect();
  return {
    subscribe(fn) {
      subs.add(fn);
      return () => subs.delete(fn);
    },
    onState(fn) {
      stateFn = fn;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      es?.close();
      subs.clear();
    },
  };
}

const SOUND_KEY = 'tawasul.inbox.sound';
let audio: AudioContext | undefined;

export function soundOn(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) === '1';
  } catch {
    return false;
  }
}

/** Called from the toggle's click, so the AudioContext is created inside a user gesture (autoplay rules). */
export function setSound(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? '1' : '0');
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  if (on) {
    audio ??= new AudioContext();
    void audio.resume();
    beep();
  }
}

/**
 * Browsers start an AudioContext made without a user gesture suspended: when sound was left on, the
 * officer's first click or key press after a reload wakes it, so the next new conversation is heard.
 */
export function primeSoundOnGesture(): void {
  const prime = () => {
    if (!soundOn()) return;
    try {
      audio ??= new AudioContext();
      void audio.resume();
    } catch {
      // No audio: nothing to wake.
    }
  };
  document.addEventListener('pointerdown', prime, { once: true, capture: true });
  document.addEventListener('keydown', prime, { once: true, capture: true });
}

/** A short two-tone beep (about 0.3 s), only when the officer turned sound on. */
export function beep(): void {
  if (!soundOn()) return;
  try {
    audio ??= new AudioContext();
    const t = audio.currentTime;
    const gain = audio.createGain();
    gain.connect(audio.destination);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    for (const [freq, at] of [[880, 0], [1175, 0.12]] as const) {
      const osc = audio.createOscillator();
      osc.frequency.value = freq;
      osc.connect(gain);
      osc.start(t + at);
      osc.stop(t + at + 0.16);
    }
  } catch {
    // No audio device or blocked: the badge still shows.
  }
}
