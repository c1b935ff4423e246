// What the outbound worker reports about its sends; the gateway turns it into Prometheus metrics (src/ops).

/** How one send attempt ended when it did not reach the provider: retried later, moved to the next channel, or given up. */
export type SendFailure = 'retry' | 'rerouted' | 'failed';

export interface SendMetrics {
  /** The provider accepted a send of `parts` outbox rows on `channel` after `seconds`. */
  sent(channel: string, seconds: number, parts: number): void;
  /** A send attempt on `channel` was refused or failed after `seconds`. */
  failed(channel: string, seconds: number, outcome: SendFailure): void;
}

/** For code built without metrics (tests of the worker alone). */
export const NO_SEND_METRICS: SendMetrics = { sent: () => undefined, failed: () => undefined };
