// The pairing QR drawn small in the operator's terminal, for a first start before any admin has signed in.
import QRCode from 'qrcode';

/** Shows one pairing QR to whoever watches the process; the adapter calls it once per new QR. */
export type QrPrinter = (qr: string) => void | Promise<void>;

const HOW_TO = "WhatsApp Web: on the charity's phone open WhatsApp → Linked devices → Link a device, and scan this code (or open Channels in the inbox as an admin):";

/**
 * Straight to stdout, not through the logger: the code would otherwise sit in log storage as a JSON string,
 * and the drawing is only of use to someone looking at the terminal now (it expires within a minute).
 */
export function terminalQrPrinter(write: (text: string) => void = (text) => void process.stdout.write(text)): QrPrinter {
  return async (qr) => {
    const drawing = await QRCode.toString(qr, { type: 'terminal', small: true });
    write(`\n${HOW_TO}\n${drawing}\n`);
  };
}
