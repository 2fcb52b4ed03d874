// Entry point: "/" is the start page, "/jobs/<jobId>" a job's page. The job's token comes from
// the address's fragment (#token=..., then removed from the address) or from this browser's
// storage; see docs/web.md.

import { HomePage } from "./home.js";
import { JOB_ID, JobPage } from "./job-page.js";
import { parseFragment, rememberJob, tokenOf } from "./store.js";

const JOB_PATH = /^\/jobs\/([A-Za-z0-9_-]{1,64})\/?$/;
let page = null;
let routedPath = null;

function route() {
  routedPath = location.pathname;
  page?.close();
  page = null;
  const job = JOB_PATH.exec(location.pathname);
  document.getElementById("home").hidden = !!job;
  document.getElementById("job").hidden = !job;
  if (job) {
    const jobId = job[1];
    const { token } = parseFragment(location.hash);
    // why: opening a job lists it under recent jobs; an address that cannot be a job is not one
    if (JOB_ID.test(jobId)) rememberJob(jobId, token ? { token } : {});
    page = new JobPage(jobId, token ?? tokenOf(jobId), navigate);
  } else {
    page = new HomePage(navigate);
  }
  window.buildcast = { page }; // why: lets the browser tests reach the page's state
}

/** Opens another page of the app; state (e.g. a generator and parameters to prefill) goes with it. */
function navigate(path, state = null) {
  history.pushState(state, "", path);
  route();
  document.getElementById("main").focus();
}

// why: following a #L link fires popstate too; only a new path is a new page
window.addEventListener("popstate", () => {
  if (location.pathname !== routedPath) route();
});
route();
