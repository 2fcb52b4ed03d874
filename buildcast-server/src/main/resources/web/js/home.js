// The start page: pick a generator, upload its input, fill its parameters, generate; and the
// jobs this browser started or opened.

import { io } from "/vendor/socket.io.esm.min.js";
import { describeJob, formatBytes, formatDuration } from "./format.js";
import { forgetJob, recentJobs, rememberJob } from "./store.js";
import { Upload, whyNotZip } from "./upload.js";

const $ = (id) => document.getElementById(id);
const PREFERRED = "open-event-site";

export class HomePage {
  constructor(navigate) {
    this.navigate = navigate;
    this.generators = [];
    this.upload = null;
    this.uploaded = null; // {uploadId, size, sha256} once the server has the file
    this.socket = io("/");
    // why a note of its own: a connection that comes back must not wipe other errors (generators, upload)
    this.socket.on("connect_error", () => this.connectionNote("Cannot reach the server; retrying…"));
    this.socket.on("connect", () => this.connectionNote(""));
    this.socket.on("disconnect", (reason) => {
      if (reason === "io client disconnect") return;
      this.connectionNote(this.upload ? "Connection lost; the upload goes on when it is back…" : "Connection lost; reconnecting…");
      // why: socket.io does not come back by itself after a server-side disconnect
      if (reason === "io server disconnect") setTimeout(() => this.socket.connect(), 500);
    });
    this.handlers = [];
    this.on($("generator"), "change", () => this.generatorChanged());
    this.on($("input-file"), "change", () => this.fileChosen());
    this.on($("upload-cancel"), "click", () => this.cancelUpload());
    this.on($("upload-retry"), "click", () => this.startUpload(this.file));
    this.on($("generators-retry"), "click", () => this.loadGenerators());
    this.on($("params"), "input", () => this.updateGenerate());
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
    this.file = null;
    this.resetUpload();
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
    $("generators-error").hidden = true;
    select.disabled = true;
    this.updateGenerate();
    try {
      const response = await fetch("/api/generators");
      if (!response.ok) throw new Error(`the server answered HTTP ${response.status}`);
      this.generators = await response.json();
      if (!Array.isArray(this.generators)) throw new Error("the server's answer is not a list");
    } catch (e) {
      this.generators = [];
      select.replaceChildren();
      $("generators-error-text").textContent = `Could not load the generators: ${e.message}.`;
      $("generators-error").hidden = false;
      this.updateGenerate();
      return;
    }
    select.disabled = this.generators.length === 0;
    select.replaceChildren(...this.generators.map((g) => new Option(g.name, g.name)));
    if (!this.generators.length) {
      $("generators-error-text").textContent = "This server offers no generators: add some under generators: in its configuration.";
      $("generators-error").hidden = false;
      $("generators-retry").hidden = true;
    }
    const wanted = history.state?.generator ?? PREFERRED;
    if (this.generators.some((g) => g.name === wanted)) select.value = wanted;
    this.generatorChanged();
    this.prefill(history.state?.params);
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
      // why: the description says what to enter; the raw name is what the generator reads
      const label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = (p.description || p.name) + (p.required ? " (required)" : "");
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
        hint.append("Parameter ");
        const code = document.createElement("code");
        code.textContent = p.name;
        hint.append(code);
        input.setAttribute("aria-describedby", hint.id);
        field.appendChild(hint);
      }
      params.appendChild(field);
    }
    this.checkChosenFile();
    this.updateGenerate();
  }

  /** Fills parameter fields (from "run again" when the input had to be chosen anew). */
  prefill(params) {
    for (const [name, value] of Object.entries(params ?? {})) {
      const input = document.getElementById(`param-${name}`);
      if (input) input.value = value;
    }
  }

  needsUpload() {
    const g = this.current();
    return !!g && g.input && g.input !== "none" && g.inputRequired !== false;
  }

  /** Generate is enabled when a job can be started; the hint next to it says what is missing. */
  updateGenerate() {
    const g = this.current();
    let missing = "";
    if (!g) missing = this.generators.length ? "Choose a generator." : "No generator to run yet.";
    else if (this.needsUpload() && !this.uploaded) {
      missing = this.upload ? "Waiting for the upload to finish…"
        : g.input === "zip" ? "Choose the input .zip file first." : "Choose the input file first.";
    } else {
      const empty = [...document.querySelectorAll("#params input[data-param]")].find((i) => i.required && !i.value.trim());
      if (empty) missing = `Fill in “${empty.labels[0]?.textContent.replace(/ \(required\)$/, "") ?? empty.name}”.`;
    }
    $("generate").disabled = !!missing;
    $("generate-hint").textContent = missing;
  }

  /** A file chosen for one generator is checked again when the generator changes. */
  async checkChosenFile() {
    const file = $("input-file").files[0];
    if (file && this.needsUpload() && !this.upload && !this.uploaded) await this.fileChosen();
  }

  async fileChosen() {
    this.cancelUpload();
    const file = $("input-file").files[0];
    if (!file) return;
    this.file = file;
    await this.startUpload(file);
  }

  async startUpload(file) {
    if (!file) return;
    this.cancelUpload();
    this.upload = null; // why: the cancelled upload's end must not touch the new one's display
    this.formError("");
    this.uploaded = null;
    const g = this.current();
    const box = $("upload");
    if (g?.input === "zip") {
      const why = await whyNotZip(file);
      if (why) {
        box.hidden = false;
        box.dataset.state = "refused";
        $("upload-label").textContent = `${file.name} was not uploaded`;
        $("upload-figures").textContent = "";
        this.setBar(0);
        $("upload-cancel").hidden = true;
        $("upload-retry").hidden = true;
        this.formError(`The generator ${g.name} takes a zip file, but ${file.name} is not one: ${why}. Choose the .zip file.`);
        $("input-file").value = ""; // why: choosing the same file again must fire a change event
        this.updateGenerate();
        return;
      }
    }
    box.hidden = false;
    box.dataset.state = "uploading";
    $("upload-label").textContent = `Uploading ${file.name}`;
    $("upload-cancel").hidden = false;
    $("upload-retry").hidden = true;
    this.showUploadProgress({ bytesReceived: 0, size: file.size, percentage: 0 });
    const upload = new Upload(this.socket, file, (p) => this.showUploadProgress(p), { expect: g?.input === "zip" ? "zip" : null });
    this.upload = upload;
    this.updateGenerate();
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
      // why: figures of an upload that stopped would read as if it were still going
      box.dataset.state = upload.aborted ? "cancelled" : "failed";
      $("upload-label").textContent = upload.aborted ? `Upload of ${file.name} cancelled` : `Upload of ${file.name} failed`;
      $("upload-figures").textContent = "";
      this.setBar(0);
      if (!upload.aborted) this.formError(e.message);
      $("upload-cancel").hidden = true;
      $("upload-retry").hidden = !!e.refused;
      $("input-file").value = ""; // why: choosing the same file again must fire a change event
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

  resetUpload() {
    $("upload").hidden = true;
    $("upload").dataset.state = "";
    $("upload-figures").textContent = "";
    $("input-file").value = "";
    this.setBar(0);
  }

  setBar(pct) {
    const bar = document.querySelector("#upload .progress");
    bar.setAttribute("aria-valuenow", String(pct));
    bar.querySelector(".progress-fill").style.width = `${pct}%`;
  }

  showUploadProgress(p) {
    const pct = Math.max(0, Math.min(100, Math.round(p.percentage ?? 0)));
    this.setBar(pct);
    const parts = [`${pct}%`, `${formatBytes(p.bytesReceived)} of ${formatBytes(p.size)}`];
    if (p.bytesPerSecond > 0 && pct < 100) parts.push(`${formatBytes(Math.round(p.bytesPerSecond))}/s`);
    if (p.secondsLeft != null && pct < 100) parts.push(`${formatDuration(p.secondsLeft * 1000)} left`);
    $("upload-figures").textContent = parts.join(" · ");
  }

  formError(message) {
    $("form-error").textContent = message;
  }

  connectionNote(message) {
    $("connection-note").textContent = message;
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
      rememberJob(answer.jobId, {
        token: answer.token, generator: g.name, state: "queued", params,
        input: this.uploaded ? { name: this.uploaded.name, size: this.uploaded.size } : null,
      });
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
      // why: rows of one generator look alike; the input, parameters and time tell them apart
      const what = document.createElement("span");
      what.className = "recent-what";
      what.textContent = describeJob(job);
      const when = document.createElement("span");
      when.className = "hint";
      when.textContent = job.createdAt ? new Date(job.createdAt).toLocaleString() : "";
      const forget = document.createElement("button");
      forget.type = "button";
      forget.className = "button small quiet";
      forget.dataset.forget = job.jobId;
      forget.textContent = "Forget";
      forget.setAttribute("aria-label", `Forget job ${job.jobId}`);
      li.append(link, " ", state, " ", what, " ", when, " ", id, " ", forget);
      return li;
    }));
  }
}

