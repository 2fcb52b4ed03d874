// What this browser remembers: each job's token (the job's capability, needed to watch it) and
// the list of recent jobs. Both live in localStorage so a reload or another tab keeps working.

const RECENT = "buildcast.recent";
const PREFS = "buildcast.prefs";
const MAX_RECENT = 30;

function read(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // why: storage can be full or disabled (private windows); the page still works without it
  }
}

export function recentJobs() {
  const jobs = read(RECENT, []);
  return Array.isArray(jobs) ? jobs.filter((j) => j && typeof j.jobId === "string") : [];
}

/** Adds or updates a job in the recent list (newest first). */
export function rememberJob(jobId, fields) {
  const jobs = recentJobs();
  const at = jobs.findIndex((j) => j.jobId === jobId);
  const job = { ...(at >= 0 ? jobs[at] : { jobId, createdAt: Date.now() }), ...fields };
  if (at >= 0) jobs.splice(at, 1);
  jobs.unshift(job);
  write(RECENT, jobs.slice(0, MAX_RECENT));
}

/** Updates a job's fields without moving it in the list. */
export function updateJob(jobId, fields) {
  const jobs = recentJobs();
  const job = jobs.find((j) => j.jobId === jobId);
  if (!job) return;
  Object.assign(job, fields);
  write(RECENT, jobs);
}

export function forgetJob(jobId) {
  write(RECENT, recentJobs().filter((j) => j.jobId !== jobId));
}

export function tokenOf(jobId) {
  return recentJobs().find((j) => j.jobId === jobId)?.token ?? null;
}

export function pref(name, fallback) {
  return read(PREFS, {})[name] ?? fallback;
}

export function setPref(name, value) {
  write(PREFS, { ...read(PREFS, {}), [name]: value });
}

/**
 * The page address's fragment: parts separated by "&", each "L<seq>" (a line) or
 * "token=<token>". Examples: "#L42", "#token=abc", "#L42&token=abc".
 */
export function parseFragment(hash) {
  const out = { line: null, token: null };
  for (const part of hash.replace(/^#/, "").split("&")) {
    const line = /^L(\d+)$/.exec(part);
    if (line) out.line = Number(line[1]);
    else if (part.startsWith("token=")) out.token = decodeURIComponent(part.slice(6));
  }
  return out;
}

export function fragment({ line, token }) {
  const parts = [];
  if (line) parts.push(`L${line}`);
  if (token) parts.push(`token=${encodeURIComponent(token)}`);
  return parts.length ? `#${parts.join("&")}` : "";
}
