// Drives the unmodified socketio-file-upload browser client in headless Chromium against a running
// Buildcast server. Usage: node scripts/siofu-upload.js <serverUrl> <scenario> <screenshotDir>
// Prints one JSON line with what the pages saw; exits non-zero (after a screenshot) on failure.
'use strict';
const path = require('path');
const fs = require('fs');
const crypto = require('crypto');
const { chromium } = require('playwright-core');

const [serverUrl, scenario, screenshotDir] = process.argv.slice(2);
const modules = path.join(__dirname, '..', 'node_modules');
const assets = {
  'siofu-page.html': { type: 'text/html', body: fs.readFileSync(path.join(__dirname, 'siofu-page.html')) },
  'socket.io.min.js': { type: 'text/javascript', body: fs.readFileSync(path.join(modules, 'socket.io-client', 'dist', 'socket.io.min.js')) },
  'siofu-client.js': { type: 'text/javascript', body: fs.readFileSync(path.join(modules, 'socketio-file-upload', 'client.js')) },
};
const sha256 = (b) => crypto.createHash('sha256').update(b).digest('hex');

async function openPage(browser, query) {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[page ${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  // why route: the page is same-origin with the server (no CORS setup) without living in its static folder
  await page.route(`${serverUrl}/__siofu-test/**`, (route) => {
    const name = new URL(route.request().url()).pathname.split('/').pop();
    const asset = assets[name];
    return asset ? route.fulfill({ status: 200, contentType: asset.type, body: asset.body }) : route.fulfill({ status: 404 });
  });
  await page.goto(`${serverUrl}/__siofu-test/siofu-page.html${query || ''}`);
  await page.waitForFunction(() => window.testState && window.testState.connected, null, { timeout: 60000 });
  return page;
}

async function choose(page, name, bytes) {
  // why the long timeout: the bytes travel to the browser over the DevTools protocol, slow on a loaded machine
  await page.setInputFiles('#file', { name, mimeType: 'application/octet-stream', buffer: bytes }, { timeout: 120000 });
}

const finished = (page, timeout) =>
  page.waitForFunction(() => window.testState.complete || window.testState.error, null, { timeout: timeout || 60000 })
    .then(() => page.evaluate(() => window.testState));

// why a second wait: Buildcast's upload.complete follows siofu_complete on the socket, and may
// arrive in a later frame than it, after the siofu client has already reported 'complete'
const finishedWithUploadComplete = (page) =>
  finished(page).then((state) => !state.complete || !state.complete.success ? state
    : page.waitForFunction(() => window.testState.uploadComplete.length > 0, null, { timeout: 60000 })
      .then(() => page.evaluate(() => window.testState)));

const scenarios = {
  // one file, default options (100 KB chunks, ArrayBuffer content)
  async upload(browser) {
    const bytes = crypto.randomBytes(3 * 1024 * 1024 + 17);
    const page = await openPage(browser);
    await choose(page, 'export.zip', bytes);
    return { sha256: sha256(bytes), size: bytes.length, page: await finishedWithUploadComplete(page) };
  },
  // a wrong meta.sha256: the server refuses the file with siofu_error
  async badsha(browser) {
    const bytes = crypto.randomBytes(200 * 1024);
    const page = await openPage(browser, `?sha256=${sha256(Buffer.from('other'))}`);
    await choose(page, 'export.zip', bytes);
    return { sha256: sha256(bytes), size: bytes.length, page: await finished(page) };
  },
  // two pages upload at once; the first is closed mid-file; the second must complete untouched
  async isolation(browser) {
    const big = crypto.randomBytes(3 * 1024 * 1024);
    const small = crypto.randomBytes(2 * 1024 * 1024);
    const quitter = await openPage(browser, '?chunkSize=2048');
    const stayer = await openPage(browser, '?chunkSize=16384');
    await choose(quitter, 'quitter.bin', big);
    await quitter.waitForFunction(() => window.testState.percentages.length > 0, null, { timeout: 60000 });
    await choose(stayer, 'stayer.bin', small);
    await stayer.waitForFunction(() => window.testState.percentages.length > 0, null, { timeout: 60000 });
    // both are mid-file now; the quitter's page goes away
    const quitterState = await quitter.evaluate(() => window.testState);
    await quitter.close();
    return { sha256: sha256(small), size: small.length, quitter: quitterState, page: await finished(stayer, 120000) };
  },
};

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      // why: the test page is served through a route, and Chromium's local-network checks would then block its WebSocket to 127.0.0.1
      '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults,BlockInsecurePrivateNetworkRequests'],
  });
  try {
    const result = await scenarios[scenario](browser);
    console.log(JSON.stringify(result));
  } catch (e) {
    for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
      await page.screenshot({ path: path.join(screenshotDir, `siofu-${scenario}-${i}.png`) }).catch(() => {});
    }
    console.error(e && e.stack || e);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
})();
