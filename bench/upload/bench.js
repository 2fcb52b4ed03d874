// Upload throughput of one server: Socket.IO (upload.* events over WebSocket) against HTTP PUT,
// same file, same run. Usage: node bench.js <serverUrl> <file> <runs>. Started by run.sh.
'use strict';
const fs = require('fs');
const http = require('http');
const crypto = require('crypto');
const path = require('path');
const { io } = require(path.join(__dirname, '..', '..', 'buildcast-server', 'src', 'test', 'node', 'node_modules', 'socket.io-client'));

const [url, file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 3);
const size = fs.statSync(file).size;
const MB = 1000 * 1000;

function sha256(fileName) {
  return new Promise((resolve) => {
    const h = crypto.createHash('sha256');
    fs.createReadStream(fileName).on('data', (d) => h.update(d)).on('end', () => resolve(h.digest('hex')));
  });
}

function connect() {
  return new Promise((resolve, reject) => {
    const socket = io(url + '/', { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.on('connect', () => resolve(socket));
    socket.on('connect_error', reject);
  });
}

const call = (socket, event, payload) => new Promise((resolve) => socket.emit(event, payload, resolve));

/** Sends the file with upload.start/upload.chunk, keeping `window` chunks in flight. */
async function socketUpload(socket, window, expectedSha) {
  const fd = fs.openSync(file, 'r');
  const started = Date.now();
  const { uploadId, chunkSize, error } = await call(socket, 'upload.start', { name: 'bench.bin', size, sha256: expectedSha });
  if (error) throw new Error(JSON.stringify(error));
  const completed = new Promise((resolve) => socket.once('upload.complete', resolve));
  let next = 0;
  let failure = null;
  async function lane() {
    while (next < size && !failure) {
      const offset = next;
      const length = Math.min(chunkSize, size - offset);
      next += length;
      const data = Buffer.allocUnsafe(length);
      fs.readSync(fd, data, 0, length, offset);
      const reply = await call(socket, 'upload.chunk', { uploadId, offset, data });
      if (reply.error) failure = reply.error;
    }
  }
  await Promise.all(Array.from({ length: window }, lane));
  fs.closeSync(fd);
  if (failure) throw new Error(JSON.stringify(failure));
  const done = await completed;
  const seconds = (Date.now() - started) / 1000;
  if (done.sha256 !== expectedSha) throw new Error('sha256 differs: ' + done.sha256);
  return { seconds, uploadId };
}

function httpUpload(expectedSha) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const request = http.request(url + '/api/uploads', {
      method: 'PUT',
      headers: { 'X-File-Name': 'bench.bin', 'X-Sha256': expectedSha, 'Content-Length': size },
    }, (response) => {
      let body = '';
      response.on('data', (d) => (body += d));
      response.on('end', () => {
        if (response.statusCode !== 201) return reject(new Error(response.statusCode + ' ' + body));
        const seconds = (Date.now() - started) / 1000;
        resolve({ seconds, uploadId: JSON.parse(body).uploadId });
      });
    });
    request.on('error', reject);
    fs.createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(request);
  });
}

(async () => {
  const expectedSha = await sha256(file);
  const socket = await connect();
  const best = { 'socket, 1 chunk in flight': Infinity, 'socket, 4 chunks in flight': Infinity, 'HTTP PUT': Infinity };
  // run 0 warms the JIT of both sides up and is not counted
  for (let run = 0; run <= runs; run++) {
    for (const [name, go] of [
      ['socket, 1 chunk in flight', () => socketUpload(socket, 1, expectedSha)],
      ['socket, 4 chunks in flight', () => socketUpload(socket, 4, expectedSha)],
      ['HTTP PUT', () => httpUpload(expectedSha)],
    ]) {
      const { seconds, uploadId } = await go();
      if (run > 0) best[name] = Math.min(best[name], seconds);
      console.log(`  ${run === 0 ? 'warm-up' : 'run ' + run} ${name.padEnd(28)} ${(size / MB / seconds).toFixed(1).padStart(7)} MB/s  (${seconds.toFixed(2)} s)`);
      await call(socket, 'upload.abort', { uploadId }); // keeps the disk use to one file
    }
  }
  const rate = (name) => size / MB / best[name];
  console.log('best:');
  for (const name of Object.keys(best)) console.log(`  ${name.padEnd(28)} ${rate(name).toFixed(1).padStart(7)} MB/s`);
  console.log(`ratio socket/HTTP: ${(rate('socket, 1 chunk in flight') / rate('HTTP PUT')).toFixed(2)} (1 in flight), `
    + `${(rate('socket, 4 chunks in flight') / rate('HTTP PUT')).toFixed(2)} (4 in flight)`);
  socket.close();
})().catch((e) => { console.error(e); process.exit(1); });
