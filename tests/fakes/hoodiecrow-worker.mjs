// hoodiecrow-imap in a worker thread of its own: the server's work (parsing what is APPENDed, building FETCH
// answers) runs on another event loop, so a test can measure the gateway's loop alone, as with a real mail server.
import { parentPort, workerData } from 'node:worker_threads';
import hoodiecrow from 'hoodiecrow-imap';

const server = hoodiecrow(workerData.options);
const sockets = new Set();
// Command lines only (`A7 UID FETCH 3 (…)`), not the lines of APPENDed literals, which can be megabytes.
const commands = [];
const COMMAND = /^\S+ (?:UID )?[A-Z]{3,}/;

server.server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  let pending = '';
  socket.on('data', (chunk) => {
    const parts = (pending + chunk.toString('latin1')).split('\r\n');
    pending = parts.pop() ?? '';
    for (const line of parts) if (line.length < 2000 && COMMAND.test(line)) commands.push(line);
  });
});

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ type: 'port', port: server.server.address().port }));

parentPort.on('message', (m) => {
  if (m.type === 'lines') parentPort.postMessage({ type: 'lines', id: m.id, lines: commands });
  if (m.type === 'stop') {
    for (const socket of sockets) socket.destroy();
    server.close(() => parentPort.postMessage({ type: 'stopped' }));
  }
});
