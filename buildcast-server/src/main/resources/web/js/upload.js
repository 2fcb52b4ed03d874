// Uploads a file over Socket.IO with the server's upload protocol: upload.start (or resume with
// its uploadId), upload.chunk in order, each acknowledged with the next offset; progress comes
// from the server's upload.progress events, the end from upload.complete. After a dropped
// connection the upload resumes where the server says it stands.

const ACK_TIMEOUT_MS = 30_000;
const WINDOW = 4;

/**
 * Why a file cannot be a zip archive, judged by its first bytes (a local file header "PK\x03\x04",
 * or "PK\x05\x06" for an empty archive), or null when it may be one. Cheap: it reads 4 bytes.
 */
export async function whyNotZip(file) {
  if (file.size < 4) return `it is only ${file.size} bytes long`;
  const b = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  const zip = b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
  if (zip) return null;
  const printable = [...b].every((c) => c >= 0x20 && c < 0x7f);
  return `it starts with ${printable ? `“${String.fromCharCode(...b)}”` : [...b].map((c) => c.toString(16).padStart(2, "0")).join(" ")}, not with a zip archive's “PK” signature`;
}

export class Upload {
  /**
   * @param socket the root namespace socket
   * @param file a File
   * @param onProgress ({bytesReceived, size, percentage, bytesPerSecond, secondsLeft}) => void
   */
  constructor(socket, file, onProgress, { expect = null } = {}) {
    this.socket = socket;
    this.file = file;
    this.expect = expect; // "zip": the server checks the file once complete and says if it is not one
    this.onProgress = onProgress;
    this.uploadId = null;
    this.aborted = false;
    this.samples = []; // [time, bytes] for the speed over the last few seconds
    this.onServerProgress = (p) => this.progress(p);
    socket.on("upload.progress", this.onServerProgress);
  }

  /**
   * Resolves with {uploadId, name, size, sha256, kind} when the server has the whole file; rejects
   * (error.refused) when the server found it is not what was expected.
   */
  async run() {
    try {
      const completed = this.whenComplete();
      completed.catch(() => {}); // why: a cancelled upload is reported by the loop below
      let offset = await this.begin();
      while (offset < this.file.size) {
        if (this.aborted) throw new Error("Upload cancelled.");
        try {
          offset = await this.sendWindow(offset);
        } catch (e) {
          if (this.aborted) throw e;
          if (e.code && e.code !== "wrong_offset") throw e;
          // why: a dropped connection, a lost ack or a refused offset: ask the server where it
          // stands and go on from there
          await this.connected();
          offset = await this.begin();
        }
      }
      return await completed;
    } finally {
      this.socket.off("upload.progress", this.onServerProgress);
      this.socket.off("upload.complete", this.onComplete);
    }
  }

  /**
   * Sends up to WINDOW chunks before waiting for their acks (one connection keeps them in order),
   * so a round trip per chunk does not bound the speed; resolves with the next offset.
   */
  async sendWindow(offset) {
    const sends = [];
    let at = offset;
    for (let i = 0; i < WINDOW && at < this.file.size && !this.aborted; i++) {
      const end = Math.min(this.file.size, at + this.chunkSize);
      const data = await this.file.slice(at, end).arrayBuffer();
      const sent = this.ask("upload.chunk", { uploadId: this.uploadId, offset: at, data });
      sent.catch(() => {}); // why: the first failure is reported by Promise.all below
      sends.push(sent);
      at = end;
    }
    const answers = await Promise.all(sends);
    return answers.length ? answers.at(-1).offset : offset;
  }

  async begin() {
    const request = this.uploadId ? { uploadId: this.uploadId } : { name: this.file.name, size: this.file.size };
    if (this.expect) request.expect = this.expect;
    const answer = await this.ask("upload.start", request);
    this.uploadId = answer.uploadId;
    this.chunkSize = Math.max(1, answer.chunkSize || 256 * 1024);
    return answer.offset || 0;
  }

  whenComplete() {
    return new Promise((resolve, reject) => {
      this.onComplete = (c) => {
        if (c.uploadId !== this.uploadId) return;
        if (!c.error) return resolve(c);
        const e = new Error(c.error.message);
        e.code = c.error.code;
        e.refused = true;
        // why: nobody can use a refused file; free the server's space at once
        this.socket.emit("upload.abort", { uploadId: c.uploadId });
        reject(e);
      };
      this.rejectComplete = reject;
      this.socket.on("upload.complete", this.onComplete);
    });
  }

  abort() {
    this.aborted = true;
    if (this.uploadId) this.socket.emit("upload.abort", { uploadId: this.uploadId });
    this.rejectComplete?.(new Error("Upload cancelled."));
  }

  connected() {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve) => this.socket.once("connect", resolve));
  }

  async ask(event, payload) {
    const answer = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
    if (answer?.error) {
      const e = new Error(answer.error.message);
      e.code = answer.error.code;
      throw e;
    }
    return answer;
  }

  progress(p) {
    if (p.uploadId !== this.uploadId) return;
    const now = performance.now();
    this.samples.push([now, p.bytesReceived]);
    while (this.samples.length > 2 && now - this.samples[0][0] > 3000) this.samples.shift();
    const [t0, b0] = this.samples[0];
    const bytesPerSecond = now > t0 ? ((p.bytesReceived - b0) * 1000) / (now - t0) : 0;
    const left = p.size - p.bytesReceived;
    this.onProgress({
      bytesReceived: p.bytesReceived,
      size: p.size,
      percentage: p.percentage,
      bytesPerSecond,
      secondsLeft: bytesPerSecond > 0 ? left / bytesPerSecond : null,
    });
  }
}
