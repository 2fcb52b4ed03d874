// The start page: pick a generator, upload its input, fill its parameters, generate; and the
// jobs this browser started or opened.

import { io } from "/vendor/socket.io.esm.min.js";
import { formatBytes, formatDuration } from "./format.js";
import { forgetJob, recentJobs, rememberJob } from "./store.js";
import { Upload } from "./upload.js";

const $ = (id) => document.getElementById(id);
const PREFERRED = "open-event-site";

export class HomePage {
  constructor(navigate) {
    this.navigate = navigate;
    this.generators = [];
    this.upload = null;
    this.uploaded = null; // {uploadId, size, sha256} once the server has the file
    this.socket = io("/");
    this.socket.on("connect_error", () => this.formError("Cannot reach the server; retrying…"));
    this.socket.on("connect", () => this.formError(""));
    this.socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      this.formError(this.upload ? "Connection lost; the upload goes on when it is back…" : "Connection lost; reconnecting…");
      // why: socket.io does not come back by itself after a server-side disconnect
      if (reason === "io server disconnect") setTimeout(() => this.socket.connect(), 500);
    });
    this.handlers = [];
    this.on($("generator"), "change", () => this.generatorChanged());
    this.on($("input-file"), "change", () => this.fileChosen());
    this.on($("upload-cancel"), "click", () => this.cancelUpload());
    this.on($("job-form"), "submit", (e) => {
      e.preventDefault();
      this.generate();
    });
    this.on($("recent-list"), "click", (e) => {
      const forget = e.target.closest("button[data-forget]");
      if (forget) {
        forgetJob(forget.dataset.forget);
        this.showRecent();
      }
    });
    document.title = "Buildcast";
    this.showRecent();
    this.loadGenerators();
  }

  on(el, type, fn) {
    el.addEventListener(type, fn);
    this.handlers.push(() => el.removeEventListener(type, fn));
  }

  close() {
    this.handlers.forEach((f) => f());
    this.upload?.abort();
    this.socket.disconnect();
  }

  async loadGenerators() {
    const select = $("generator");
    try {
      const response = await fetch("/api/generators");
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.generators = await response.json();
    } catch (e) {
      this.formError(`Could not load the generators: ${e.message}`);
      return;
    }
    select.replaceChildren(...this.generators.map((g) => new Option(g.name, g.name)));
    const preferred = this.generators.find((g) => g.name === PREFERRED);
    if (preferred) select.value = PREFERRED;
    this.generatorChanged();
  }

  current() {
    return this.generators.find((g) => g.name === $("generator").value);
  }

  generatorChanged() {
    const g = this.current();
    if (!g) return;
    $("generator-description").textContent = g.description || "";
    const needsInput = g.input && g.input !== "none";
    $("input-field").hidden = !needsInput;
    $("input-file").accept = g.input === "zip" ? ".zip,application/zip" : "";
    $("input-hint").textContent = g.input === "zip" ? "A .zip file; it is uploaded as soon as you choose it."
      : "Any file; it is uploaded as soon as you choose it.";
    const params = $("params");
    params.replaceChildren();
    for (const p of g.params ?? []) {
      const field = document.createElement("div");
      field.className = "field";
      const id = `param-${p.name}`;
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = p.name + (p.required ? " (required)" : "");
      const input = document.createElement("input");
      input.id = id;
      input.name = p.name;
      input.required = !!p.required;
      input.dataset.param = p.name;
      field.append(label, input);
      if (p.description) {
        const hint = document.createElement("p");
        hint.className = "hint";
        hint.id = `${id}-hint`;
        hint.textContent = p.description;
        input.setAttribute("aria-describedby", hint.id);
        field.appendChild(hint);
      }
      params.appendChild(field);
    }
    this.updateGenerate();
  }

  needsUpload() {
    const g = this.current();
    return !!g && g.input && g.input !== "none" && g.inputRequired !== false;
  }

  updateGenerate() {
    $("generate").disabled = this.needsUpload() && !this.uploaded;
  }

  async fileChosen() {
    this.cancelUpload();
    const file = $("input-file").files[0];
    if (!file) return;
    this.formError("");
    this.uploaded = null;
    this.updateGenerate();
    const box = $("upload");
    box.hidden = false;
    box.dataset.state = "uploading";
    $("upload-label").textContent = `Uploading ${file.name}`;
    $("upload-cancel").hidden = false;
    this.showUploadProgress({ bytesReceived: 0, size: file.size, percentage: 0 });
    const upload = new Upload(this.socket, file, (p) => this.showUploadProgress(p));
    this.upload = upload;
    try {
      const done = await upload.run();
      if (this.upload !== upload) return;
      this.uploaded = done;
      box.dataset.state = "done";
      $("upload-label").textContent = `Uploaded ${file.name}`;
      this.showUploadProgress({ bytesReceived: done.size, size: done.size, percentage: 100 });
      $("upload-cancel").hidden = true;
    } catch (e) {
      if (this.upload !== upload) return;
      box.dataset.state = "failed";
      $("upload-label").textContent = upload.aborted ? "Upload cancelled" : "Upload failed";
      if (!upload.aborted) this.formError(e.message);
      $("upload-cancel").hidden = true;
    } finally {
      if (this.upload === upload) this.upload = null;
      this.updateGenerate();
    }
  }

  cancelUpload() {
    if (!this.upload) return;
    const upload = this.upload;
    upload.abort();
  }

  showUploadProgress(p) {
    const pct = Math.max(0, Math.min(100, Math.round(p.percentage ?? 0)));
    const bar = document.querySelector("#upload .progress");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.querySelector(".progress-fill").style.width = `${pct}%`;
    const parts = [`${pct}%`, `${formatBytes(p.bytesReceived)} of ${formatBytes(p.size)}`];
    if (p.bytesPerSecond > 0 && pct < 100) parts.push(`${formatBytes(Math.round(p.bytesPerSecond))}/s`);
    if (p.secondsLeft != null && pct < 100) parts.push(`${formatDuration(p.secondsLeft * 1000)} left`);
    $("upload-figures").textContent = parts.join(" · ");
  }

  formError(message) {
    $("form-error").textContent = message;
  }

  generate() {
    const g = this.current();
    if (!g) return;
    const params = {};
    for (const input of document.querySelectorAll("#params input[data-param]")) {
      if (input.required && !input.value.trim()) {
        this.formError(`${input.dataset.param} is required.`);
        input.focus();
        return;
      }
      if (input.value !== "") params[input.dataset.param] = input.value;
    }
    const request = { generator: g.name, params };
    if (this.needsUpload()) {
      if (!this.uploaded) return;
      request.uploadId = this.uploaded.uploadId;
    }
    $("generate").disabled = true;
    this.formError("");
    this.socket.timeout(30_000).emit("generate", request, (err, answer) => {
      $("generate").disabled = false;
      if (err) return this.formError("The server did not answer; try again.");
      if (answer.error) return this.formError(answer.error.message);
      rememberJob(answer.jobId, { token: answer.token, generator: g.name, state: "queued" });
      this.navigate(`/jobs/${answer.jobId}`);
    });
  }

  showRecent() {
    const jobs = recentJobs();
    const list = $("recent-list");
    $("recent-empty").hidden = jobs.length > 0;
    list.replaceChildren(...jobs.map((job) => {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = `/jobs/${job.jobId}`;
      link.textContent = job.generator ?? "job";
      const id = document.createElement("code");
      id.textContent = job.jobId;
      const state = document.createElement("span");
      state.className = "badge";
      state.dataset.state = job.state ?? "";
      state.textContent = job.state ?? "unknown";
      const when = document.createElement("span");
      when.className = "hint";
      when.textContent = job.createdAt ? new Date(job.createdAt).toLocaleString() : "";
      const forget = document.createElement("button");
      forget.type = "button";
      forget.className = "button small quiet";
      forget.dataset.forget = job.jobId;
      forget.textContent = "Forget";
      forget.setAttribute("aria-label", `Forget job ${job.jobId}`);
      li.append(link, " ", state, " ", id, " ", when, " ", forget);
      return li;
    }));
  }
}
