// Ending a refused upload politely: a body no larger than an accepted one could be is read to the end (and thrown
// away), so the client gets our answer instead of a broken pipe while it is still sending; anything bigger is cut
// off by closing the connection.
import type { FastifyReply, FastifyRequest } from 'fastify';

const DRAIN_TIMEOUT_MS = 5_000;

export async function finishBody(req: FastifyRequest, reply: FastifyReply, limit: number): Promise<void> {
  const raw = req.raw;
  const length = Number(req.headers['content-length']);
  if (raw.readableEnded) return;
  if (Number.isFinite(length) && length > limit) {
    reply.header('connection', 'close');
    return;
  }
  if (raw.destroyed) {
    reply.header('connection', 'close');
    return;
  }
  let seen = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, DRAIN_TIMEOUT_MS);
    // Read in paused mode: an abandoned async iteration leaves a 'readable' listener behind, and while one is
    // attached resume() and 'data' listeners never make the stream flow (found by the fuzz suite: a 5 s stall).
    function drain() {
      for (let chunk = raw.read() as Buffer | null; chunk !== null; chunk = raw.read() as Buffer | null) {
        seen += chunk.length;
        if (seen > limit) return done();
      }
    }
    function done() {
      clearTimeout(timer);
      raw.off('readable', drain).off('end', done).off('close', done).off('error', done);
      resolve();
    }
    raw.on('readable', drain).on('end', done).on('close', done).on('error', done);
    raw.unpipe();
    drain();
  });
  if (!raw.readableEnded) reply.header('connection', 'close');
}
