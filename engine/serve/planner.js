// The planner's page: reads the form, asks the server for the comparison (a newer change
// aborts the older request, and the server stops its run), and draws the answer. Plain
// JavaScript and SVG; everything it loads comes from the server that served it.
'use strict';

const TEXT = {
  id: {
    title: 'Meja perencana cakupan BPJS Ketenagakerjaan', area: 'Wilayah', province: 'Provinsi',
    kabkota: 'Kabupaten/kota', whole_province: '(seluruh provinsi)', start: 'Mulai',
    months: 'Bulan simulasi', replicates: 'Replikasi', target: 'Target cakupan (%)',
    programmes: 'Program pendanaan', add: '+ Tambah program', programme: 'Program',
    remove: 'hapus', kind: 'Sumber dana', budget: 'Anggaran per tahun (Rp juta)',
    funded_months: 'Bulan didanai', quota: 'Kuota pekerja (0: tanpa)', eligible: 'Sasaran',
    formal: 'formal', informal: 'informal', vulnerable: 'rentan',
    max_income_band: 'Kelompok pendapatan tertinggi (0–4)', member_share: 'Iuran peserta (%)',
    baseline: 'Tanpa program', policy: 'Dengan program', bands: '(pita: 90% replikasi)',
    download_scenario: 'Unduh skenario (TOML)', download_baseline: 'Unduh baseline (TOML)',
    download_csv: 'Unduh hasil (CSV)', download_xlsx: 'Unduh hasil (XLSX)',
    download_report: 'Unduh laporan (HTML)',
    baseline_removes: 'Baseline menghapus', baseline_keeps: 'tetap memuat',
    baseline_keeps_none: 'tidak memuat program atau kebijakan apa pun', nothing: 'tidak ada',
    lever_programme: 'program', lever_policy: 'kebijakan', lever_from: 'mulai',
    lever_in_force: 'berlaku sejak', and: 'dan',
    reproduce: 'Angka yang sama: ulcsim compare baseline.toml scenario.toml',
    running: 'Menghitung…', done: 'Selesai', failed: 'Skenario ditolak:',
    coverage: 'Cakupan (pekerja terlindungi / angkatan kerja)',
    added_funding_end: 'Tambahan pekerja terlindungi di akhir pendanaan',
    added_end: 'Tambahan pekerja terlindungi di akhir simulasi',
    coverage_end: 'Cakupan di akhir simulasi (tanpa → dengan program)',
    money: 'Total rupiah (program dan kebijakan)', by_source: 'Rupiah dari',
    cost: 'Biaya per tambahan pekerja-tahun terlindungi',
    retention: 'Mantan peserta masih terlindungi 12 bulan setelah pendanaan',
    goal: 'Mencapai cakupan', goal_never: 'tidak dalam simulasi', probability: 'peluang',
    median: 'median', interval: 'interval 90%', none: '—', scale: 'pekerja per agen',
    member: 'iuran peserta', policies: 'regulasi dan sosialisasi',
    quota_per_desa: 'Kuota per desa/kelurahan (0: tanpa)', regulations: 'Regulasi',
    add_regulation: '+ Tambah regulasi', regulation: 'Regulasi', outreach: 'Sosialisasi',
    add_outreach: '+ Tambah sosialisasi', campaign: 'Sosialisasi', from: 'Berlaku mulai',
    in_force_months: 'Bulan berlaku (0: terus)', campaign_months: 'Bulan kampanye (0: terus)',
    register_multiplier: 'Pendaftaran oleh pemberi kerja (×)',
    tenders: 'hanya syarat tender konstruksi (Jakon)',
    permit_rate: 'Izin usaha per bulan (‰ pekerja informal)',
    permit_compliance: 'Kantor izin mensyaratkan kepesertaan (%)',
    regulation_cost: 'Biaya per bulan (Rp juta)',
    awareness_gain: 'Kenaikan kesadaran per bulan (%)',
    fear_reduction: 'Hilangnya takut kehilangan bansos per bulan (%)',
    registration_success: 'Pendaftaran dibantu berhasil (%, kosong: tetap)',
    within_km: 'Hanya desa dalam jarak km dari kantor (kosong: semua)',
    cost_per_worker: 'Biaya per pekerja per bulan (Rp)',
    progress: 'bulan-replikasi selesai', waiting: 'Menunggu giliran…',
    busy: 'Server sibuk; mencoba lagi dalam',
  },
  en: {
    title: 'Social-security coverage planner (BPJS Ketenagakerjaan)', area: 'Area',
    province: 'Province', kabkota: 'Regency/city', whole_province: '(whole province)',
    start: 'Start', months: 'Months simulated', replicates: 'Replicates',
    target: 'Coverage target (%)', programmes: 'Funding programmes', add: '+ Add programme',
    programme: 'Programme', remove: 'remove', kind: 'Source of funds',
    budget: 'Budget per year (Rp million)', funded_months: 'Months funded',
    quota: 'Worker quota (0: none)', eligible: 'Eligible', formal: 'formal',
    informal: 'informal', vulnerable: 'vulnerable',
    max_income_band: 'Highest income band (0–4)', member_share: 'Member co-payment (%)',
    baseline: 'Without programmes', policy: 'With programmes',
    bands: '(bands: 90% of replicates)', download_scenario: 'Download scenario (TOML)',
    download_baseline: 'Download baseline (TOML)', download_csv: 'Download results (CSV)',
    download_xlsx: 'Download results (XLSX)', download_report: 'Download report (HTML)',
    baseline_removes: 'The baseline removes', baseline_keeps: 'it keeps',
    baseline_keeps_none: 'it keeps no programme or policy', nothing: 'nothing',
    lever_programme: 'programme', lever_policy: 'policy', lever_from: 'from',
    lever_in_force: 'in force from', and: 'and',
    reproduce: 'The same numbers: ulcsim compare baseline.toml scenario.toml',
    running: 'Computing…', done: 'Done', failed: 'Scenario refused:',
    coverage: 'Coverage (covered workers / labour force)',
    added_funding_end: 'Covered workers added at the end of funding',
    added_end: 'Covered workers added at the end of the run',
    coverage_end: 'Coverage at the end of the run (without → with programmes)',
    money: 'Rupiah spent (programmes and policies)', by_source: 'Rupiah from',
    cost: 'Cost per added covered worker-year',
    retention: 'Former members still covered 12 months after funding',
    goal: 'Reaches coverage', goal_never: 'not within the run', probability: 'probability',
    median: 'median', interval: '90% interval', none: '—', scale: 'workers per agent',
    member: 'member co-payments', policies: 'regulations and outreach',
    quota_per_desa: 'Quota per desa/kelurahan (0: none)', regulations: 'Regulations',
    add_regulation: '+ Add regulation', regulation: 'Regulation', outreach: 'Outreach',
    add_outreach: '+ Add outreach campaign', campaign: 'Outreach campaign', from: 'In force from',
    in_force_months: 'Months in force (0: to the end)',
    campaign_months: 'Months of the campaign (0: to the end)',
    register_multiplier: 'Registration by employers (×)',
    tenders: 'only the construction tender condition (Jakon)',
    permit_rate: 'Business permits per month (‰ of informal workers)',
    permit_compliance: 'Permit office requires membership (%)',
    regulation_cost: 'Cost per month (Rp million)',
    awareness_gain: 'Awareness gained per month (%)',
    fear_reduction: 'Fear of losing bansos removed per month (%)',
    registration_success: 'Assisted registration succeeds (%, empty: unchanged)',
    within_km: 'Only villages within km of the office (empty: all)',
    cost_per_worker: 'Cost per worker and month (Rp)',
    progress: 'of replicate-months done', waiting: 'Waiting for a turn…',
    busy: 'The server is busy; trying again in',
  },
};
const KINDS = ['apbd_province', 'apbd_kabkota', 'dbhcht', 'dbh_sawit', 'dana_desa', 'csr',
  'baznas', 'sponsor', 'other'];

let lang = 'id';
let regions = null;
let generation = 0;
let controller = null;
let timer = null;
let last = null;
let poller = null;
const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(8)),
  (b) => b.toString(16).padStart(2, '0')).join('');
const session = randomId();

const $ = (id) => document.getElementById(id);
const t = (key) => TEXT[lang][key] || key;

function format(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return t('none');
  return new Intl.NumberFormat(lang === 'id' ? 'id-ID' : 'en-GB',
    { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}
const percent = (share, digits = 1) => (share === null ? t('none') : format(share * 100, digits) + '%');
const rupiah = (value) => (value === null ? t('none') : 'Rp' + format(value));

function translate() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('lang').textContent = lang === 'id' ? 'English' : 'Bahasa Indonesia';
  fillKabkota(true);
  setDownloads();
  if (last) {
    render(last);
    if ($('status').dataset.state === 'done') setStatus('done', doneText(last));
  }
}

// What the baseline removed of the page's levers and what it kept (the server's rule:
// programmes and the policies starting within the run go, those in force before stay).
function baselineText(b) {
  const list = (levers, from) => {
    const items = levers.map((l) => `${t('lever_' + l.kind)} ${l.name}` + (l.start ? ` (${t(from)} ${l.start})` : ''));
    return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${t('and')} ${items[items.length - 1]}`;
  };
  return `${t('baseline_removes')} ${b.removed.length ? list(b.removed, 'lever_from') : t('nothing')}; ` +
    (b.kept.length ? `${t('baseline_keeps')} ${list(b.kept, 'lever_in_force')}.` : `${t('baseline_keeps_none')}.`);
}

// The downloads of the server's files follow the form (and the report the page's language).
let downloadForm = null;
function setDownloads(form) {
  if (form !== undefined) downloadForm = form;
  if (downloadForm === null) return;
  $('download-scenario').href = '/api/scenario.toml?' + downloadForm;
  $('download-baseline').href = '/api/baseline.toml?' + downloadForm;
  $('download-xlsx').href = '/api/results.xlsx?' + downloadForm;
  $('download-report').href = '/api/report.html?' + downloadForm + '&lang=' + lang;
}

function doneText(a) {
  return t('done') + ' (' + a.replicates + ' ' + t('replicates').toLowerCase() + ', ' +
    format(a.workers_per_agent) + ' ' + t('scale') + ')';
}

function option(value, label) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

function fillKabkota(keep) {
  const select = $('kabkota');
  const chosen = select.value;
  select.replaceChildren(option('', t('whole_province')));
  if (!regions) return;
  for (const r of regions.regions.filter((x) => x.province === $('province').value))
    select.append(option(r.code, r.name));
  if (keep) select.value = chosen;
}

function regionCode() {
  return $('kabkota').value || $('province').value;
}

function addProgramme() {
  const node = $('programme-template').content.firstElementChild.cloneNode(true);
  const kind = node.querySelector('[name=kind]');
  for (const k of KINDS) kind.append(option(k, k));
  kind.value = $('kabkota').value ? 'apbd_kabkota' : 'apbd_province';
  const range = node.querySelector('[name=budget_range]');
  const budget = node.querySelector('[name=budget]');
  range.addEventListener('input', () => { budget.value = range.value; });
  budget.addEventListener('input', () => { range.value = budget.value; });
  const months = node.querySelector('[name=funded_months]');
  months.addEventListener('input', () => {
    node.querySelector('[name=funded_months_shown]').textContent = months.value;
  });
  showValue(node, 'member_share', (v) => v + '%');
  showValue(node, 'quota_per_desa', (v) => v);
  node.querySelector('.remove').addEventListener('click', () => { node.remove(); renumber(); schedule(); });
  node.addEventListener('input', schedule);
  $('programmes').append(node);
  renumber();
  translate();
}

// A slider's value beside it, as it moves.
function showValue(node, name, text) {
  const input = node.querySelector(`[name=${name}]`);
  const shown = node.querySelector(`[name=${name}_shown]`);
  input.addEventListener('input', () => { shown.textContent = text(input.value); });
}

// A regulation or an outreach campaign: a [[policy]] of the scenario.
function addPolicy(kind) {
  const node = $(kind + '-template').content.firstElementChild.cloneNode(true);
  if (kind === 'regulation') {
    showValue(node, 'register_multiplier', (v) => v + '×');
    showValue(node, 'permit_compliance', (v) => v + '%');
  } else {
    showValue(node, 'awareness_gain', (v) => v + '%');
    showValue(node, 'fear_reduction', (v) => v + '%');
  }
  node.querySelector('.remove').addEventListener('click', () => { node.remove(); renumber(); schedule(); });
  node.addEventListener('input', schedule);
  $(kind === 'regulation' ? 'regulations' : 'outreach').append(node);
  renumber();
  translate();
}

function renumber() {
  document.querySelectorAll('.programme').forEach((p, i) => {
    p.querySelector('.number').textContent = String(i + 1);
    p.querySelector('[name=funded_months]').max = $('months').value;
  });
  for (const kind of ['regulation', 'outreach'])
    document.querySelectorAll('fieldset.' + kind).forEach((p, i) => {
      p.querySelector('.number').textContent = String(i + 1);
    });
}

// The form as the API's fields (README.md, "The planner's web app").
function fields() {
  const f = new URLSearchParams();
  f.set('region', regionCode());
  f.set('start', $('start').value);
  f.set('months', $('months').value);
  f.set('replicates', $('replicates').value);
  f.set('seed', '1');
  for (const p of document.querySelectorAll('.programme')) {
    const v = (name) => p.querySelector(`[name=${name}]`).value;
    f.append('kind', v('kind'));
    f.append('budget', String(Number(v('budget')) * 1e6));
    f.append('funded_months', v('funded_months'));
    f.append('quota', v('quota'));
    f.append('quota_per_desa', v('quota_per_desa'));
    f.append('segments', Array.from(p.querySelectorAll('[name=segment]:checked'), (c) => c.value).join(','));
    f.append('max_income_band', v('max_income_band'));
    f.append('member_share', String(Number(v('member_share')) / 100));
  }
  // Percentages and millions on the page; shares, rates and rupiah in the scenario. Every
  // field of every entry is sent (empty: the default), so that the i-th values belong together.
  const scaled = (text, factor) => (text === '' ? '' : String(Number(text) * factor));
  for (const r of document.querySelectorAll('fieldset.regulation')) {
    const v = (name) => r.querySelector(`[name=${name}]`).value;
    f.append('regulation_from', v('from'));
    f.append('regulation_months', v('months'));
    f.append('register_multiplier', v('register_multiplier'));
    f.append('regulation_occupations', r.querySelector('[name=tenders]').checked ? 'construction' : '');
    f.append('permit_rate', scaled(v('permit_rate'), 1e-3));
    f.append('permit_compliance', scaled(v('permit_compliance'), 1e-2));
    f.append('regulation_cost', scaled(v('cost'), 1e6));
  }
  for (const o of document.querySelectorAll('fieldset.outreach')) {
    const v = (name) => o.querySelector(`[name=${name}]`).value;
    f.append('outreach_from', v('from'));
    f.append('outreach_months', v('months'));
    f.append('awareness_gain', scaled(v('awareness_gain'), 1e-2));
    f.append('fear_reduction', scaled(v('fear_reduction'), 1e-2));
    f.append('registration_success', scaled(v('registration_success'), 1e-2));
    f.append('within_km_of_office', v('within_km'));
    f.append('outreach_cost_per_worker', v('cost_per_worker'));
  }
  return f;
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(update, 250);
}

// Polls the server for how far comparison `run` is, while it is the page's newest.
function followProgress(run, mine) {
  clearInterval(poller);
  $('progress').value = 0;
  $('progress-text').textContent = '';
  $('progress-line').hidden = false;
  poller = setInterval(async () => {
    let p;
    try {
      p = await (await fetch('/api/progress?run=' + run)).json();
    } catch (e) {
      return; // the next poll, or the answer, will tell
    }
    if (mine !== generation || $('status').dataset.state !== 'running') return;
    $('progress').value = p.fraction;
    $('progress').dataset.fraction = String(p.fraction);
    $('progress-text').textContent = p.state === 'waiting' ? t('waiting')
      : `${percent(p.fraction, 0)} ${t('progress')}`;
  }, 300);
}

function stopProgress() {
  clearInterval(poller);
  poller = null;
  $('progress-line').hidden = true;
}

async function update() {
  const mine = ++generation;
  if (controller) controller.abort();
  controller = new AbortController();
  const form = fields();
  setDownloads(form);
  const body = new URLSearchParams(form);
  if ($('target').value) body.set('target', String(Number($('target').value) / 100));
  setStatus('running', t('running'));
  const run = randomId();
  followProgress(run, mine);
  let response;
  try {
    response = await fetch('/api/compare?session=' + session + '&run=' + run, {
      method: 'POST', body, signal: controller.signal,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
  } catch (e) {
    if (e.name === 'AbortError') return;
    stopProgress();
    throw e;
  }
  const answer = await response.json();
  if (mine !== generation || response.status === 409) return;
  stopProgress();
  $('errors').replaceChildren();
  if ((response.status === 503 || response.status === 429) && response.headers.get('Retry-After')) {
    // Too many comparisons at once on the server, or from this machine: ask again when it
    // says. (A 503 without Retry-After, a comparison too big for the server's memory, is an
    // error shown below: asking again would not help.)
    const seconds = Number(response.headers.get('Retry-After')) || 2;
    setStatus('busy', `${t('busy')} ${seconds} s`);
    timer = setTimeout(update, seconds * 1000);
    return;
  }
  if (!response.ok) {
    for (const line of answer.errors) $('errors').append(Object.assign(document.createElement('li'), { textContent: line }));
    setStatus('error', t('failed'));
    return;
  }
  last = answer;
  render(answer);
  setStatus('done', doneText(answer));
}

function setStatus(state, text) {
  const s = $('status');
  s.dataset.state = state;
  s.dataset.generation = String(generation);
  s.textContent = text;
}

function svg(name, attributes, parent) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', name);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  parent.append(el);
  return el;
}

// Ticks at a round step, so that labels never repeat and a small range is not blown up.
function ticks(lo, hi) {
  const span = Math.max(hi - lo, 0.02);
  const raw = span / 5;
  const step = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2].find((s) => s >= raw) || 0.25;
  const first = Math.floor(lo / step) * step;
  const list = [];
  for (let v = first; v <= hi + step / 2; v += step) list.push(Number(v.toFixed(6)));
  return { list, digits: step >= 0.01 ? 0 : 1 };
}

function drawChart(a) {
  const chart = $('chart');
  chart.replaceChildren();
  svg('title', {}, chart).textContent = t('coverage');
  const W = 720, H = 320, left = 56, right = 12, top = 12, bottom = 36;
  const all = [...a.baseline_coverage.p05, ...a.baseline_coverage.p95, ...a.policy_coverage.p05,
    ...a.policy_coverage.p95].filter((v) => v !== null);
  const lo0 = Math.min(...all), hi0 = Math.max(...all);
  const pad = Math.max((hi0 - lo0) * 0.1, 0.01);
  const { list, digits } = ticks(Math.max(0, lo0 - pad), Math.min(1, hi0 + pad));
  const lo = list[0], hi = list[list.length - 1];
  const n = a.months.length;
  const x = (i) => left + (W - left - right) * (n === 1 ? 0 : i / (n - 1));
  const y = (v) => top + (H - top - bottom) * (1 - (v - lo) / (hi - lo));
  for (const v of list) {
    svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), class: 'grid' }, chart);
    svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, chart).textContent = percent(v, digits);
  }
  a.months.forEach((m, i) => {
    if (m.endsWith('-01') || i === 0) {
      svg('line', { x1: x(i), x2: x(i), y1: H - bottom, y2: H - bottom + 4, class: 'axis' }, chart);
      svg('text', { x: x(i), y: H - bottom + 16, 'text-anchor': 'middle' }, chart).textContent = m.slice(0, 4);
    }
  });
  svg('line', { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: 'axis' }, chart);
  for (const [band, cls] of [[a.baseline_coverage, 'base'], [a.policy_coverage, 'policy']]) {
    const upper = band.p95.map((v, i) => `${x(i)},${y(v)}`);
    const lower = band.p05.map((v, i) => `${x(i)},${y(v)}`).reverse();
    svg('polygon', { points: [...upper, ...lower].join(' '), class: 'band ' + cls }, chart);
    svg('polyline', { points: band.mean.map((v, i) => `${x(i)},${y(v)}`).join(' '), class: 'line ' + cls }, chart);
  }
}

const measure = (a, name) => a.measures.find((m) => m.name === name || m.name.startsWith(name));
const withInterval = (i, f) => `${f(i.mean)} [${f(i.p05)} – ${f(i.p95)}]`;

function row(id, label, text, value) {
  const tr = document.createElement('tr');
  tr.id = id;
  if (value !== undefined) tr.dataset.value = value === null ? '' : String(value);
  tr.append(Object.assign(document.createElement('td'), { textContent: label }),
    Object.assign(document.createElement('td'), { textContent: text, className: 'value' }));
  $('figures').tBodies[0].append(tr);
}

function goalText(g) {
  if (g.median_month) return `${g.median_month} (${t('probability')} ${percent(g.share_reaching, 0)})`;
  return `${t('goal_never')} (${t('probability')} ${percent(g.share_reaching, 0)})`;
}

function render(a) {
  drawChart(a);
  $('baseline-levers').textContent = baselineText(a.baseline_levers);
  $('figures').tBodies[0].replaceChildren();
  const end = a.months.length - 1;
  if (a.workers_added_at_funding_end)
    row('workers-added', t('added_funding_end') + ' (' + a.funding_ends + ')',
      withInterval(a.workers_added_at_funding_end, format), a.workers_added_at_funding_end.mean);
  const addedEnd = { mean: a.workers_added.mean[end], p05: a.workers_added.p05[end], p95: a.workers_added.p95[end] };
  row('workers-added-end', t('added_end'), withInterval(addedEnd, format), addedEnd.mean);
  const coverageEnd = measure(a, 'coverage_rate_' + a.months[end]);
  row('coverage-end', t('coverage_end'),
    `${percent(coverageEnd.baseline.mean)} → ${percent(coverageEnd.policy.mean)}`, coverageEnd.difference.mean);
  const money = measure(a, 'money_spent_idr');
  row('money', t('money'), withInterval(money.difference, rupiah), money.difference.mean);
  for (const s of a.rupiah_by_source)
    row('source-' + s.source, t('by_source') + ' ' +
      (s.source === 'member' || s.source === 'policies' ? t(s.source) : s.source),
      withInterval(s.idr, rupiah), s.idr.mean);
  const cost = measure(a, 'cost_per_added_covered_worker_year_idr');
  row('cost', t('cost'), withInterval(cost.difference, rupiah), cost.difference.mean);
  const retention = measure(a, 'former_members_covered_');
  row('retention', t('retention'), withInterval(retention.policy, format), retention.policy.mean);
  row('goal-baseline', `${t('goal')} ${percent(a.goal, 1)}: ${t('baseline')}`, goalText(a.baseline_goal));
  row('goal-policy', `${t('goal')} ${percent(a.goal, 1)}: ${t('policy')}`, goalText(a.policy_goal));
  $('download-csv').href = URL.createObjectURL(new Blob([csv(a)], { type: 'text/csv' }));
}

function csv(a) {
  const lines = ['measure,month,scenario,mean,p05,p95'];
  const n = (v) => (v === null ? '' : String(v));
  const series = [['coverage_rate', 'baseline', a.baseline_coverage], ['coverage_rate', 'policy', a.policy_coverage],
    ['covered_workers_added', 'difference', a.workers_added]];
  for (const [name, scenario, band] of series)
    a.months.forEach((m, i) => lines.push([name, m, scenario, n(band.mean[i]), n(band.p05[i]), n(band.p95[i])].join(',')));
  for (const m of a.measures)
    for (const scenario of ['baseline', 'policy', 'difference'])
      lines.push([m.name, '', scenario, n(m[scenario].mean), n(m[scenario].p05), n(m[scenario].p95)].join(','));
  for (const s of a.rupiah_by_source)
    lines.push(['rupiah_' + s.source, '', 'policy', n(s.idr.mean), n(s.idr.p05), n(s.idr.p95)].join(','));
  return lines.join('\n') + '\n';
}

async function start() {
  regions = await (await fetch('/api/regions')).json();
  for (const p of regions.provinces) $('province').append(option(p.code, p.name));
  const wanted = new URLSearchParams(location.search).get('region') || '33.71';
  const match = regions.regions.find((r) => r.code === wanted);
  $('province').value = match ? match.province : wanted;
  fillKabkota(false);
  if (match) $('kabkota').value = match.code;
  $('province').addEventListener('change', () => { fillKabkota(false); matchKinds(); schedule(); });
  $('kabkota').addEventListener('change', () => { matchKinds(); schedule(); });
  for (const id of ['start', 'months', 'replicates', 'target'])
    $(id).addEventListener('change', () => { renumber(); schedule(); });
  $('add').addEventListener('click', () => { addProgramme(); schedule(); });
  $('add-regulation').addEventListener('click', () => { addPolicy('regulation'); schedule(); });
  $('add-outreach').addEventListener('click', () => { addPolicy('outreach'); schedule(); });
  $('lang').addEventListener('click', () => { lang = lang === 'id' ? 'en' : 'id'; translate(); });
  addProgramme();
  update();
}

// A regional budget belongs to the level of the chosen area.
function matchKinds() {
  const wanted = $('kabkota').value ? 'apbd_kabkota' : 'apbd_province';
  for (const k of document.querySelectorAll('.programme [name=kind]'))
    if (k.value.startsWith('apbd_')) k.value = wanted;
}

start();
