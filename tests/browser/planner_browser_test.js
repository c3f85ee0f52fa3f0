#!/usr/bin/env node
// The planner's page end to end in Debian's Chromium, driven by puppeteer-core:
//
//   node tests/browser/planner_browser_test.js ULCSIM WORK_DIR
//
// Starts `ulcsim serve --port 0`, opens the page for Kota Magelang, moves the first
// programme's budget slider with the keyboard as a user would, waits for the page to show
// the new comparison; sets a per-desa quota, adds a regulation and moves its employer
// registration slider, and adds an outreach campaign; downloads the scenario and baseline
// TOML from the page's links, runs `ulcsim compare baseline.toml scenario.toml` on them and
// checks the page's figures against its CSV. Checks that the page asked the server for its
// progress while it waited, and hid the progress bar when done. Switches the page to English.
// Fails on any console message of type error or warning, any uncaught exception and any
// failed request.
//
// Exit status 0 passed, 1 failed, 77 skipped: Chromium or puppeteer-core missing outside CI
// (with CI=true a missing tool fails). setup.sh installs both (tests/browser/package.json).
'use strict';

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const CHROMIUM = process.env.ULCSIM_CHROMIUM || '/usr/bin/chromium';
const [ulcsim, workDir] = process.argv.slice(2);
if (!ulcsim || !workDir) {
  console.error('usage: planner_browser_test.js ULCSIM WORK_DIR');
  process.exit(2);
}

function missing(what) {
  if (process.env.CI === 'true') {
    console.error(`FAIL: ${what} (CI=true: the browser test must run; ./setup.sh installs it)`);
    process.exit(1);
  }
  console.error(`SKIPPED: ${what}; ./setup.sh installs it`);
  process.exit(77);
}

let puppeteer;
try {
  puppeteer = require(path.join(__dirname, 'node_modules', 'puppeteer-core'));
} catch (e) {
  missing('puppeteer-core is not installed in tests/browser/node_modules');
}
if (!fs.existsSync(CHROMIUM)) missing(`no Chromium at ${CHROMIUM}`);

const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); };
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function startServer() {
  const server = spawn(ulcsim, ['serve', '--port', '0', '--threads', '2'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no address printed in 30 s: ' + out)), 30000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) { clearTimeout(timer); resolve({ server, url: m[0] }); }
    });
    server.on('exit', (code) => reject(new Error(`ulcsim serve ended with ${code}: ${out}`)));
  });
}

// The comparison the page shows after generation `after`, once its scenario link (set when
// the comparison is asked for) has `field` (keys pressed slowly may ask for several).
async function waitForUpdate(page, after, field = '') {
  await page.waitForFunction((g, f) => {
    const s = document.getElementById('status');
    return Number(s.dataset.generation) > g && s.dataset.state !== 'running' &&
      document.getElementById('download-scenario').href.includes(f);
  }, { timeout: 90000 }, after, field);
  return page.$eval('#status', (s) => ({ state: s.dataset.state, generation: Number(s.dataset.generation), text: s.textContent }));
}

const shown = (page, id) => page.$eval('#' + id, (row) => Number(row.dataset.value));

// `ulcsim compare`'s CSV: the policy's row of each measure.
function compareCsv(file) {
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split(','));
  const out = {};
  for (const cells of rows) {
    const row = Object.fromEntries(header.map((h, i) => [h, cells[i]]));
    if (row.scenario === 'planner') out[row.measure] = row;
  }
  return out;
}

async function main() {
  fs.mkdirSync(workDir, { recursive: true });
  const started = Date.now();
  const { server, url } = await startServer();
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1400 });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn' || m.type() === 'warning')
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push('uncaught: ' + e.message));
    page.on('requestfailed', (r) => {
      // The page aborts its own superseded comparisons on purpose.
      if (!(r.url().includes('/api/compare') && r.failure() && r.failure().errorText === 'net::ERR_ABORTED'))
        problems.push(`request failed: ${r.url()} ${r.failure() && r.failure().errorText}`);
    });
    let progressPolls = 0;
    page.on('response', (r) => {
      if (r.status() >= 400 && r.status() !== 409) problems.push(`HTTP ${r.status()}: ${r.url()}`);
      if (r.url().includes('/api/progress?run=')) progressPolls++;
    });

    await page.goto(url + '?region=33.71', { waitUntil: 'load' });
    const first = await waitForUpdate(page, 0);
    check(first.state === 'done', 'first comparison: ' + first.text);
    check((await page.$eval('html', (h) => h.lang)) === 'id', 'the page is not Indonesian by default');
    const moneyBefore = await shown(page, 'money');

    // Move the budget slider: ten steps of Rp10 million up.
    const slider = await page.$('.programme [name=budget_range]');
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
    const budget = await page.$eval('.programme [name=budget]', (b) => Number(b.value));
    check(budget === 600, `the budget field follows the slider: ${budget}`);
    const after = await waitForUpdate(page, first.generation, 'budget=600000000');
    check(after.state === 'done', 'comparison after the move: ' + after.text);

    const moneyAfter = await shown(page, 'money');
    check(moneyAfter > moneyBefore, `a larger budget spends more: ${moneyBefore} → ${moneyAfter}`);
    const coverageBefore = await shown(page, 'coverage-end');

    // A per-desa quota (typed), then a regulation whose employer registration slider moves
    // from 2× to 2.5× (five steps of 0.1), then an outreach campaign.
    const quota = await page.$('.programme [name=quota_per_desa]');
    await quota.focus();
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight'); // 30 × 5 = 150
    const quotaSet = await waitForUpdate(page, after.generation, 'quota_per_desa=150');
    check(quotaSet.state === 'done', 'comparison after the per-desa quota: ' + quotaSet.text);
    await page.click('#add-regulation');
    const multiplier = await page.$('fieldset.regulation [name=register_multiplier]');
    await multiplier.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    const shownMultiplier = await page.$eval('fieldset.regulation [name=register_multiplier_shown]', (o) => o.textContent);
    check(shownMultiplier === '2.5×', `the multiplier shown beside its slider: ${shownMultiplier}`);
    const regulated = await waitForUpdate(page, quotaSet.generation, 'register_multiplier=2.5');
    check(regulated.state === 'done', 'comparison after the regulation: ' + regulated.text);
    const coverageRegulated = await shown(page, 'coverage-end');
    check(coverageRegulated > coverageBefore,
      `the regulation adds coverage at the end: ${coverageBefore} → ${coverageRegulated}`);
    await page.click('#add-outreach');
    const campaigned = await waitForUpdate(page, regulated.generation, 'awareness_gain=0.03');
    check(campaigned.state === 'done', 'comparison after the outreach campaign: ' + campaigned.text);
    check(await page.$eval('#progress-line', (p) => p.hidden), 'the progress bar is hidden when done');
    check(progressPolls > 0, 'the page never asked for its progress');

    const figures = {
      money: await shown(page, 'money'),
      cost: await shown(page, 'cost'),
      coverageEnd: await shown(page, 'coverage-end'),
      workersAdded: await shown(page, 'workers-added'),
    };
    check(figures.workersAdded > 0, `workers added: ${figures.workersAdded}`);

    // The downloads, fetched as the page links them.
    const links = await page.$eval('#download-scenario', (a) => a.href);
    const baselineLink = await page.$eval('#download-baseline', (a) => a.href);
    const fetchText = (href) => page.evaluate(async (h) => (await fetch(h)).text(), href);
    const scenarioFile = path.join(workDir, 'scenario.toml');
    const baselineFile = path.join(workDir, 'baseline.toml');
    fs.writeFileSync(scenarioFile, await fetchText(links));
    fs.writeFileSync(baselineFile, await fetchText(baselineLink));
    const scenarioText = fs.readFileSync(scenarioFile, 'utf8');
    for (const line of ['2025 = 600000000', 'quota_per_village = 150', 'register_multiplier = 2.5',
      'kind = "enforcement"', 'kind = "campaign"', 'awareness_gain = 0.03'])
      check(scenarioText.includes(line + '\n'), `the downloaded scenario has ${line}`);
    check(!fs.readFileSync(baselineFile, 'utf8').includes('[[policy]]'),
      'the downloaded baseline has no regulation or campaign');
    const csvText = await page.evaluate(async () =>
      (await fetch(document.getElementById('download-csv').href)).text());
    check(csvText.startsWith('measure,month,scenario,mean,p05,p95\n') && csvText.includes('money_spent_idr'),
      'the results CSV');
    // The workbook and the report page the server makes of the comparison the page shows
    // (tests/serve/planner_downloads_test.py checks them against the commands).
    const served = await page.evaluate(async () => {
      const get = async (id) => {
        const r = await fetch(document.getElementById(id).href);
        return { status: r.status, type: r.headers.get('Content-Type'), bytes: new Uint8Array(await r.arrayBuffer()) };
      };
      const xlsx = await get('download-xlsx');
      const report = await get('download-report');
      return { xlsx: [xlsx.status, xlsx.type, String.fromCharCode(...xlsx.bytes.slice(0, 2))],
        report: [report.status, report.type, new TextDecoder().decode(report.bytes.slice(0, 60))] };
    });
    check(served.xlsx[0] === 200 && served.xlsx[1].includes('spreadsheetml') && served.xlsx[2] === 'PK',
      `the results XLSX: ${served.xlsx}`);
    check(served.report[0] === 200 && served.report[2].includes('<html lang="id">'),
      `the report page: ${served.report}`);
    const baselineLine = await page.$eval('#baseline-levers', (p) => p.textContent);
    check(baselineLine.startsWith('Baseline menghapus program programme-1') && baselineLine.includes('regulation-1'),
      `the baseline line: ${baselineLine}`);

    // The same numbers from `ulcsim compare` on the downloaded files.
    const out = path.join(workDir, 'compare.h5');
    execFileSync(ulcsim, ['compare', baselineFile, scenarioFile, '-o', out, '--quiet', '--threads', '2'],
      { stdio: 'inherit' });
    const measures = compareCsv(path.join(workDir, 'compare.csv'));
    const lastMonth = Object.keys(measures).filter((m) => m.startsWith('coverage_rate_')).sort().pop();
    for (const [name, value] of [['money_spent_idr', figures.money],
      ['cost_per_added_covered_worker_year_idr', figures.cost], [lastMonth, figures.coverageEnd]]) {
      const expected = Number(measures[name].difference_mean);
      check(close(value, expected), `${name}: page ${value}, ulcsim compare ${expected}`);
    }

    // English, and back.
    await page.click('#lang');
    const title = await page.$eval('h1', (h) => h.textContent);
    check(title.startsWith('Social-security coverage planner'), 'English title: ' + title);
    const label = await page.$eval('#cost td', (td) => td.textContent);
    check(label === 'Cost per added covered worker-year', 'English figure label: ' + label);
    await page.screenshot({ path: path.join(workDir, 'planner.png'), fullPage: true });
    console.log(`page: ${JSON.stringify(figures)}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await browser.close();
    server.kill('SIGTERM');
  }
  if (problems.length) {
    for (const p of problems) console.error('FAIL: ' + p);
    process.exit(1);
  }
  console.log('planner page: passed');
}

main().catch((e) => { console.error('FAIL: ' + (e.stack || e)); process.exit(1); });
