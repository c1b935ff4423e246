// Shapes shared by the widget's modules: the server's message view and the widget's options.
export type Locale = 'ar' | 'en';

export interface Attachment {
  id?: string;
  name: string;
  mime: string;
  size: number;
}

export interface Choice {
  id: string;
  label: string;
}

export type MessageStatus = 'received' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

export interface MessageView {
  id: number;
  direction: 'in' | 'out';
  sender: 'beneficiary' | 'bot' | 'officer' | 'system';
  senderName?: string;
  text: string;
  choices?: Choice[];
  flow?: string;
  step?: string;
  expects?: string;
  /** The language the bot wrote this in; the widget's frame follows the latest one. */
  locale?: Locale;
  attachment?: Attachment;
  /** An application notice: shown as a card (kind, reference on one line, an appointment's time and place). */
  notice?: { kind: 'status' | 'appointment' | 'decision'; reference: string; when?: string; place?: string; cancelled?: boolean };
  status: MessageStatus;
  createdAt: string;
  /** Not in the documented API yet; when the server echoes it, optimistic sends are matched exactly. */
  clientId?: string;
}

export interface WidgetOptions {
  locale: Locale;
  position: 'start' | 'end';
  primaryColor: string;
  /** Text colour on the primary colour, chosen for contrast. */
  onPrimary: string;
  title?: string;
  open: boolean;
  /** Base URL of the Tawasul server, without a trailing slash. */
  server: string;
  userId?: string;
  userHash?: string;
  /** The verified user's mobile (E.164) and its signature, to join their WhatsApp/SMS history. */
  phone?: string;
  phoneHash?: string;
  /** When userHash and phoneHash stop being valid (Unix seconds), as the site signed them. */
  userExp?: number;
  maxUploadMb: number;
}
