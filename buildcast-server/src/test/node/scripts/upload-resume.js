// Buildcast's upload events with the official JavaScript client: upload half a file, lose the
// connection, reconnect as a new client, resume at the offset the server reports, finish.
// Usage: node scripts/upload-resume.js <serverUrl> <transport: websocket|polling>
// Prints one JSON line: {sha256, size, resumedAt, sentBeforeDrop, complete, progress}.
'use strict';
const crypto = require('crypto');
const { io } = require('socket.io-client');

const [url, transport] = process.argv.slice(2);
const file = crypto.randomBytes(5 * 1024 * 1024 + 3);
const sha256 = crypto.createHash('sha256').update(file).digest('hex');

const connect = () => new Promise((resolve, reject) => {
  const socket = io(url + '/', { transports: [transport], forceNew: true, reconnection: false });
  socket.on('connect', () => resolve(socket));
  socket.on('connect_error', reject);
});
const call = (socket, event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve));

async function sendFrom(socket, uploadId, offset, chunkSize, until) {
  while (offset < until) {
    const end = Math.min(offset + chunkSize, until);
    const reply = await call(socket, 'upload.chunk', { uploadId, offset, data: file.subarray(offset, end) });
    if (reply.error) throw new Error(JSON.stringify(reply.error));
    offset = reply.offset;
  }
  return offset;
}

(async () => {
  const first = await connect();
  const started = await call(first, 'upload.start', { name: 'site.zip', size: file.length, sha256 });
  if (started.error) throw new Error(JSON.stringify(started.error));
  const { uploadId } = started;
  const chunkSize = 256 * 1024;
  const sentBeforeDrop = await sendFrom(first, uploadId, 0, chunkSize, Math.floor(file.length / 2));
  first.disconnect(); // the page is gone; a new one only knows the uploadId

  const second = await connect();
  const progress = [];
  second.on('upload.progress', (p) => progress.push(p.percentage));
  const complete = new Promise((resolve) => second.on('upload.complete', resolve));
  const resumed = await call(second, 'upload.start', { uploadId });
  if (resumed.error) throw new Error(JSON.stringify(resumed.error));
  await sendFrom(second, uploadId, resumed.offset, chunkSize, file.length);
  const done = await complete;
  console.log(JSON.stringify({ sha256, size: file.length, resumedAt: resumed.offset, sentBeforeDrop, complete: done, progress }));
  second.close();
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
