'use strict';
const data = JSON.parse(document.getElementById('report-data').textContent);
const lang = document.documentElement.lang === 'id' ? 'id' : 'en';
// "a, b and c": the last two joined by the word.
const joined = (items, word) => items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
const T = {
  en: { title: 'ulcsim report', nation: (area) => `Coverage of resident workers, ${area}`,
        areaOf: (a) => a.level === 'regions' ? a.regions && `${fmt(a.regions, 0)} kab/kota in ${fmt(a.provinces, 0)} provinces` : a.level === 'province' ? `${a.name} (${fmt(a.regions, 0)} kab/kota)` : a.name,
        levels: { kabkota: 'kab/kota', province: 'province', scenario: 'whole area' },
        quantileName: (q) => `${fmt(q, q % 1 ? 1 : 0)}th percentile`,
        summary: (s) => 'Summary: ' + [s.scenario, T.areaOf(s.area), `${s.first_month} – ${s.last_month}`].filter((x) => x).join(', '), allProgrammes: 'all programmes',
        kinds: { apbd_province: 'province budget (APBD)', apbd_kabkota: 'kab/kota budget (APBD)', dbhcht: 'tobacco excise revenue share (DBHCHT)', dbh_sawit: 'palm oil revenue share (DBH Sawit)', dana_desa: 'village fund (Dana Desa)', csr: 'company CSR', baznas: 'BAZNAS zakat', sponsor: 'sponsor', other: 'other source' },
        qCovered: 'Workers covered', qAdded: 'Workers added against the baseline', qSpent: 'Rupiah spent',
        qCost: 'Cost per added covered worker-year', qGoal: 'When coverage reaches ULC',
        coveredAnswer: (s) => `${workers(s.covered_start)} in ${s.first_month} (${pct(s.coverage_start.mean)} of resident workers); ${workers(s.covered_end)} in ${s.last_month} (${pct(s.coverage_end.mean)}); the most, ${workers(s.covered_peak)}, in ${s.peak_month}.`,
        interval: (a, b) => `90% interval ${a} to ${b}`,
        noBaselineNeeded: 'The scenario has no funding programmes and no policies starting within the run: there is nothing to add.',
        noBaseline: 'No baseline was given.',
        leverList: (list, from) => joined(list.map((l) => `${l.kind === 'programme' ? 'programme' : 'policy'} ${l.name}${l.start ? ` (${from} ${l.start})` : ''}`), 'and'),
        baselineLevers: (b) => `The baseline removes ${b.removed.length ? T.leverList(b.removed, 'from') : 'nothing'}; it keeps ${b.kept.length ? T.leverList(b.kept, 'in force from') : 'no programme or policy'}.`,
        unavailableBaseline: (why) => `No baseline: ${why}.`,
        makeBaseline: (file) => `To compare, run the same scenario without its programmes and the policies starting within the run on the same seed and replicates — ulcsim run SCENARIO.toml --set 'programme=[]' --set 'remove_policies=["NAME"]' -o baseline.h5 (the second --set only for such policies) — and give it to the report: ulcsim report ${file} --baseline baseline.h5.`,
        baselineIs: (s) => ({ given: `Against ${s.baseline_name}`, simulated: 'Against the same scenario without its programmes and the policies starting within the run (simulated for this report on the same seed and replicates)', compared: `Against ${s.baseline_name}, the first scenario of the comparison` })[s.baseline] + (s.paired ? ', paired replicate by replicate.' : ', by the difference of the means (the runs do not share their draws).'),
        addedAnswer: (s) => `${signedWorkers(s.end_effect.workers)} workers (${signed(s.end_effect.points.mean, 2)} ${T.pp}) in ${s.end_effect.month}; the largest effect ${signedWorkers(s.peak_effect.workers)} (${signed(s.peak_effect.points.mean, 2)} ${T.pp}) in ${s.peak_effect.month}` +
          (s.funding_end && s.funding_end.workers ? `; at the end of funding, ${s.funding_end.month}, ${signedWorkers(s.funding_end.workers)} (${signed(s.funding_end.points.mean, 2)} ${T.pp})` : '; funding lasts to the end of the run') +
          `. Added covered worker-months over the run: ${signedWorkers(s.added_worker_months)}.`,
        spentAnswer: (s) => `${rupiah(s.money_idr.mean)} over the run` + (s.spending.length ? ': ' + s.spending.map((p) => `${p.programme || T.allProgrammes}${p.kind ? ' (' + (T.kinds[p.kind] || p.kind) + ')' : ''} ${rupiah(p.idr)}`).join('; ') : '') + (s.policy_cost_idr > 0 ? `; policies (campaigns, regulations) ${rupiah(s.policy_cost_idr)}` : '') + (s.baseline_money_idr > 0 ? `; the baseline spends ${rupiah(s.baseline_money_idr)}` : '') + '.',
        costAnswer: (c, paired) => `${rupiah(c.mean)} per added covered worker-year (extra rupiah ÷ added worker-months × 12)` + (paired && c.p05 !== null ? `; replicates: ${rupiah(c.p05)} to ${rupiah(c.p95)}.` : '.'),
        costNone: (s) => s.added_workers ? 'Coverage did not gain against the baseline: no cost per added worker.' : 'Needs a baseline (see above).',
        goalReached: (g) => `${pct(g.threshold)} ${T.measures[g.measure]}: reached within the run in ${pct(100 * g.probability, 0)} of replicates` + (g.median_month ? `; median ${g.median_month}.` : '.'),
        goalNot: (g, s) => `${pct(g.threshold)} ${T.measures[g.measure]}: not before ${s.last_month}: coverage settles at ${pct(g.settles_at)} (mean of the last ${g.settling_months} months).`,
        goalUnknown: 'The ULC threshold of this run is not known (its scenario cannot be read back).',
        measures: { coverage_share: 'coverage share', resident_coverage: 'coverage of resident workers' },
        addedChart: 'Workers added against the baseline, every month (mean and 90% interval of the paired difference)',
        yAdded: 'covered workers added', mean: 'mean',
        differenceChart: (a, b) => `${a} minus ${b}, every month (coverage, percentage points; mean and 90% interval)`,
        yPoints: 'percentage points',
        sweep: 'Sweep: every point of the grid against the first',
        sweepNote: (w) => `${fmt(w.points.length, 0)} points of ${w.keys.join(' × ')}, ${fmt(w.replicates, 0)} replicates each on the same seed. Each cell: the point's mean; then its paired difference to the first point, mean (90% interval).`,
        sweepChart: (m) => `Difference to the first point: ${m} (mean, percentage points)`,
        sweepSource: (w) => `Source: ulcsim ${w.engine_version} sweep (${w.file}; ${w.replicates} replicates).`,
        measureName: (n) => n.startsWith('coverage_rate_') ? `coverage ${n.slice(14)}` : n.startsWith('former_members_covered_') ? `former members covered ${n.split('_')[3]} months after funding` :
          ({ covered_worker_months: 'covered worker-months', funded_worker_months: 'programme-funded worker-months', money_spent_idr: 'rupiah spent', cost_per_added_covered_worker_year_idr: 'cost per added covered worker-year' })[n] || n,
        observations: 'The run against the dated observations of its scenario (mean and 90% interval over replicates; observed values as points)',
        observed: 'observed', simulatedMean: 'simulated mean', observationTable: 'Each observation beside the run in its month',
        obsHeader: ['month', 'where', 'segment', 'measure', 'observed', 'simulated: mean (90% interval)', 'source'],
        skill: 'Skill of the calibration behind this forecast (rolling-origin backtest)',
        skillCutOffs: (c) => `Fitted on the observations before each cut-off (${c.join(', ')}) and scored on those after it.`,
        skillHeader: ['months after the cut-off', 'points', 'mean absolute error (pp)', 'inside the 80% interval of the replicates', 'inside the 80% interval with the model discrepancy', 'inside the 95% interval with the model discrepancy', 'error ÷ persistence’s', 'error ÷ linear trend’s'],
        skillAll: 'all', skillGoal: (met) => `Goal: error at most 0.8 × persistence’s, and the 80% interval holding 70–90% of the points: ${met ? 'met' : 'not met'}.`,
        skillUnknown: 'Goal: not measurable (no point that persistence can forecast).',
        segments: { formal: 'formal', informal: 'informal', vulnerable: 'vulnerable', all: 'all workers' },
        yCoverage: 'coverage of resident workers (%)', xMonth: 'month',
        median: 'median', band50: '50% interval (p25–p75)', band90: '90% interval (p05–p95)',
        payers: 'Covered workers by who pays (mean over replicates, stacked; all workers)',
        payerNames: { employer: 'employer', self: 'self-paid', programme: 'funding programme' },
        yCovered: 'covered workers',
        areasProvince: 'Coverage by province (median and 90% interval, all workers)',
        areasRegion: 'Coverage by kabupaten/kota (median and 90% interval, all workers)',
        areasCap: (shown, total) => `The first ${shown} of ${total} areas (in code order) are shown.`,
        members: 'Programme members (mean over replicates, stacked by programme)',
        yMembers: 'members (workers)',
        spending: 'Programme spending in each fiscal year (cumulative, mean over replicates) against the year\'s budget',
        ySpending: 'Rp, cumulative within the fiscal year', budget: 'budget',
        noProgrammes: 'The scenario has no funding programmes.',
        sources: 'Sources cited by the scenario', noSources: 'The scenario cites no sources.',
        figureSource: (run) => `Source: ulcsim ${run.engine_version} simulation of scenario “${run.scenario}” (${run.file}; seed ${run.seed}, ${run.replicates} replicates); inputs as cited under “Sources”.`,
        forecast: 'Forecast: when coverage reaches the target', reachBy: 'share of replicates reaching the target',
        yShare: 'replicates (%)', xYear: 'year reached', never: 'not within the run',
        quantiles: 'Month the target is first reached (quantiles over replicates)',
        probabilityBy: 'Probability of reaching the target by', area: 'area', level: 'level',
        threshold: 'target', beyond: 'beyond the run',
        comparison: 'Coverage at the last month, side by side (whole area, all runs)', comparisonMonthly: 'Every month against the first run', comparisonTitle: 'The runs side by side',
        run: 'run', segment: 'segment', level90: 'coverage: mean (90% interval)',
        difference: 'difference to the first run: mean (90% interval)',
        pairedNote: 'Differences are paired replicate by replicate (common random numbers: same seed and replicates); “–” where the runs do not share their draws or kept only summaries.',
        programmeSources: 'Programme sources', pp: 'pp', replicates: 'replicates', seed: 'seed', file: 'file',
        registration: 'Active and registered participants (mean over replicates, all workers, % of resident workers)',
        registrationRows: { coverage_rate: 'active (paying now)', registered_rate: 'registered (active and non-active)',
          coverage_share: 'coverage share (active, counted where registered)' }, measure: 'measure' },
  id: { title: 'Laporan ulcsim', nation: (area) => `Cakupan pekerja penduduk, ${area}`,
        areaOf: (a) => a.level === 'regions' ? a.regions && `${fmt(a.regions, 0)} kabupaten/kota di ${fmt(a.provinces, 0)} provinsi` : a.level === 'province' ? `${a.name} (${fmt(a.regions, 0)} kabupaten/kota)` : a.name,
        levels: { kabkota: 'kabupaten/kota', province: 'provinsi', scenario: 'seluruh wilayah' },
        quantileName: (q) => `persentil ${fmt(q, q % 1 ? 1 : 0)}`,
        summary: (s) => 'Ringkasan: ' + [s.scenario, T.areaOf(s.area), `${s.first_month} – ${s.last_month}`].filter((x) => x).join(', '), allProgrammes: 'semua program',
        kinds: { apbd_province: 'APBD provinsi', apbd_kabkota: 'APBD kabupaten/kota', dbhcht: 'DBHCHT', dbh_sawit: 'DBH Sawit', dana_desa: 'Dana Desa', csr: 'CSR perusahaan', baznas: 'zakat BAZNAS', sponsor: 'sponsor', other: 'sumber lain' },
        qCovered: 'Pekerja terlindungi', qAdded: 'Tambahan pekerja terlindungi dibanding pembanding', qSpent: 'Rupiah yang dibelanjakan',
        qCost: 'Biaya per tambahan pekerja-tahun terlindungi', qGoal: 'Kapan cakupan mencapai ULC',
        coveredAnswer: (s) => `${workers(s.covered_start)} pada ${s.first_month} (${pct(s.coverage_start.mean)} pekerja penduduk); ${workers(s.covered_end)} pada ${s.last_month} (${pct(s.coverage_end.mean)}); terbanyak ${workers(s.covered_peak)} pada ${s.peak_month}.`,
        interval: (a, b) => `interval 90% ${a} sampai ${b}`,
        noBaselineNeeded: 'Skenario ini tidak memiliki program pembiayaan maupun kebijakan yang mulai dalam masa simulasi: tidak ada tambahan yang diukur.',
        noBaseline: 'Tidak ada pembanding (baseline) yang diberikan.',
        leverList: (list, from) => joined(list.map((l) => `${l.kind === 'programme' ? 'program' : 'kebijakan'} ${l.name}${l.start ? ` (${from} ${l.start})` : ''}`), 'dan'),
        baselineLevers: (b) => `Pembanding menghapus ${b.removed.length ? T.leverList(b.removed, 'mulai') : 'tidak ada'}; ${b.kept.length ? 'tetap memuat ' + T.leverList(b.kept, 'berlaku sejak') : 'tidak memuat program atau kebijakan apa pun'}.`,
        unavailableBaseline: (why) => `Tidak ada pembanding: ${why}.`,
        makeBaseline: (file) => `Untuk membandingkan, jalankan skenario yang sama tanpa programnya dan tanpa kebijakan yang mulai dalam masa simulasi, dengan seed dan replikasi yang sama — ulcsim run SKENARIO.toml --set 'programme=[]' --set 'remove_policies=["NAMA"]' -o baseline.h5 (--set kedua hanya untuk kebijakan seperti itu) — lalu berikan ke laporan: ulcsim report ${file} --baseline baseline.h5.`,
        baselineIs: (s) => ({ given: `Dibanding ${s.baseline_name}`, simulated: 'Dibanding skenario yang sama tanpa program dan tanpa kebijakan yang mulai dalam masa simulasi (disimulasikan untuk laporan ini dengan seed dan replikasi yang sama)', compared: `Dibanding ${s.baseline_name}, skenario pertama perbandingan` })[s.baseline] + (s.paired ? ', berpasangan per replikasi.' : ', dengan selisih rata-rata (kedua simulasi tidak berbagi bilangan acak).'),
        addedAnswer: (s) => `${signedWorkers(s.end_effect.workers)} pekerja (${signed(s.end_effect.points.mean, 2)} ${T.pp}) pada ${s.end_effect.month}; dampak terbesar ${signedWorkers(s.peak_effect.workers)} (${signed(s.peak_effect.points.mean, 2)} ${T.pp}) pada ${s.peak_effect.month}` +
          (s.funding_end && s.funding_end.workers ? `; saat pembiayaan berakhir, ${s.funding_end.month}, ${signedWorkers(s.funding_end.workers)} (${signed(s.funding_end.points.mean, 2)} ${T.pp})` : '; pembiayaan berlangsung sampai akhir simulasi') +
          `. Tambahan pekerja-bulan terlindungi selama simulasi: ${signedWorkers(s.added_worker_months)}.`,
        spentAnswer: (s) => `${rupiah(s.money_idr.mean)} selama simulasi` + (s.spending.length ? ': ' + s.spending.map((p) => `${p.programme || T.allProgrammes}${p.kind ? ' (' + (T.kinds[p.kind] || p.kind) + ')' : ''} ${rupiah(p.idr)}`).join('; ') : '') + (s.policy_cost_idr > 0 ? `; kebijakan (kampanye, regulasi) ${rupiah(s.policy_cost_idr)}` : '') + (s.baseline_money_idr > 0 ? `; pembanding membelanjakan ${rupiah(s.baseline_money_idr)}` : '') + '.',
        costAnswer: (c, paired) => `${rupiah(c.mean)} per tambahan pekerja-tahun terlindungi (tambahan rupiah ÷ tambahan pekerja-bulan × 12)` + (paired && c.p05 !== null ? `; antar replikasi: ${rupiah(c.p05)} sampai ${rupiah(c.p95)}.` : '.'),
        costNone: (s) => s.added_workers ? 'Cakupan tidak bertambah dibanding pembanding: tidak ada biaya per tambahan pekerja.' : 'Memerlukan pembanding (lihat di atas).',
        goalReached: (g) => `${pct(g.threshold)} ${T.measures[g.measure]}: tercapai dalam periode simulasi pada ${pct(100 * g.probability, 0)} replikasi` + (g.median_month ? `; median ${g.median_month}.` : '.'),
        goalNot: (g, s) => `${pct(g.threshold)} ${T.measures[g.measure]}: tidak sebelum ${s.last_month}: cakupan bertahan di ${pct(g.settles_at)} (rata-rata ${g.settling_months} bulan terakhir).`,
        goalUnknown: 'Ambang ULC simulasi ini tidak diketahui (skenarionya tidak dapat dibaca kembali).',
        measures: { coverage_share: 'tingkat cakupan', resident_coverage: 'cakupan pekerja penduduk' },
        addedChart: 'Tambahan pekerja terlindungi dibanding pembanding, setiap bulan (rata-rata dan interval 90% selisih berpasangan)',
        yAdded: 'tambahan pekerja terlindungi', mean: 'rata-rata',
        differenceChart: (a, b) => `${a} dikurangi ${b}, setiap bulan (cakupan, poin persen; rata-rata dan interval 90%)`,
        yPoints: 'poin persen',
        sweep: 'Sapuan: setiap titik kisi dibanding titik pertama',
        sweepNote: (w) => `${fmt(w.points.length, 0)} titik dari ${w.keys.join(' × ')}, masing-masing ${fmt(w.replicates, 0)} replikasi dengan seed yang sama. Setiap sel: rata-rata titik itu; lalu selisih berpasangan terhadap titik pertama, rata-rata (interval 90%).`,
        sweepChart: (m) => `Selisih terhadap titik pertama: ${m} (rata-rata, poin persen)`,
        sweepSource: (w) => `Sumber: sapuan ulcsim ${w.engine_version} (${w.file}; ${w.replicates} replikasi).`,
        measureName: (n) => n.startsWith('coverage_rate_') ? `cakupan ${n.slice(14)}` : n.startsWith('former_members_covered_') ? `bekas peserta terlindungi ${n.split('_')[3]} bulan setelah pembiayaan berakhir` :
          ({ covered_worker_months: 'pekerja-bulan terlindungi', funded_worker_months: 'pekerja-bulan dibiayai program', money_spent_idr: 'rupiah dibelanjakan', cost_per_added_covered_worker_year_idr: 'biaya per tambahan pekerja-tahun terlindungi' })[n] || n,
        observations: 'Hasil simulasi dibanding observasi bertanggal dalam skenario (rata-rata dan interval 90% antar replikasi; nilai observasi sebagai titik)',
        observed: 'observasi', simulatedMean: 'rata-rata simulasi', observationTable: 'Setiap observasi di samping hasil simulasi pada bulannya',
        obsHeader: ['bulan', 'wilayah', 'segmen', 'ukuran', 'observasi', 'simulasi: rata-rata (interval 90%)', 'sumber'],
        skill: 'Ketepatan kalibrasi di balik prakiraan ini (uji balik dengan titik potong bergulir)',
        skillCutOffs: (c) => `Dikalibrasi pada observasi sebelum setiap titik potong (${c.join(', ')}) dan dinilai pada observasi sesudahnya.`,
        skillHeader: ['bulan setelah titik potong', 'titik', 'galat mutlak rata-rata (poin persen)', 'di dalam interval 80% replikasi', 'di dalam interval 80% dengan diskrepansi model', 'di dalam interval 95% dengan diskrepansi model', 'galat ÷ galat persistensi', 'galat ÷ galat tren linear'],
        skillAll: 'semua', skillGoal: (met) => `Sasaran: galat paling besar 0,8 × galat persistensi, dan interval 80% memuat 70–90% titik: ${met ? 'tercapai' : 'belum tercapai'}.`,
        skillUnknown: 'Sasaran: tidak dapat diukur (tidak ada titik yang dapat diprakirakan oleh persistensi).',
        segments: { formal: 'formal', informal: 'informal', vulnerable: 'rentan', all: 'semua pekerja' },
        yCoverage: 'cakupan pekerja penduduk (%)', xMonth: 'bulan',
        median: 'median', band50: 'interval 50% (persentil 25–75)', band90: 'interval 90% (persentil 5–95)',
        payers: 'Pekerja terlindungi menurut pembayar iuran (rata-rata replikasi, bertumpuk; semua pekerja)',
        payerNames: { employer: 'pemberi kerja', self: 'mandiri', programme: 'program pembiayaan' },
        yCovered: 'pekerja terlindungi',
        areasProvince: 'Cakupan menurut provinsi (median dan interval 90%, semua pekerja)',
        areasRegion: 'Cakupan menurut kabupaten/kota (median dan interval 90%, semua pekerja)',
        areasCap: (shown, total) => `Ditampilkan ${shown} dari ${total} wilayah pertama (urut kode).`,
        members: 'Peserta program (rata-rata replikasi, bertumpuk menurut program)',
        yMembers: 'peserta (pekerja)',
        spending: 'Belanja program per tahun anggaran (kumulatif, rata-rata replikasi) dibanding anggaran tahun itu',
        ySpending: 'Rp, kumulatif dalam tahun anggaran', budget: 'anggaran',
        noProgrammes: 'Skenario ini tidak memiliki program pembiayaan.',
        sources: 'Sumber yang dikutip skenario', noSources: 'Skenario tidak mengutip sumber.',
        figureSource: (run) => `Sumber: simulasi ulcsim ${run.engine_version} untuk skenario “${run.scenario}” (${run.file}; seed ${run.seed}, ${run.replicates} replikasi); masukan sesuai kutipan di “Sumber”.`,
        forecast: 'Prakiraan: kapan cakupan mencapai target', reachBy: 'bagian replikasi yang mencapai target',
        yShare: 'replikasi (%)', xYear: 'tahun tercapai', never: 'tidak dalam periode simulasi',
        quantiles: 'Bulan target pertama kali tercapai (kuantil antar replikasi)',
        probabilityBy: 'Peluang mencapai target sampai', area: 'wilayah', level: 'tingkat',
        threshold: 'target', beyond: 'di luar periode simulasi',
        comparison: 'Cakupan pada bulan terakhir, berdampingan (seluruh wilayah, semua simulasi)', comparisonMonthly: 'Setiap bulan dibanding simulasi pertama', comparisonTitle: 'Simulasi berdampingan',
        run: 'simulasi', segment: 'segmen', level90: 'cakupan: rata-rata (interval 90%)',
        difference: 'selisih terhadap simulasi pertama: rata-rata (interval 90%)',
        pairedNote: 'Selisih dipasangkan per replikasi (bilangan acak bersama: seed dan replikasi sama); “–” bila simulasi tidak berbagi bilangan acak atau hanya menyimpan ringkasan.',
        programmeSources: 'Sumber program', pp: 'poin persen', replicates: 'replikasi', seed: 'seed', file: 'berkas',
        registration: 'Peserta aktif dan terdaftar (rata-rata replikasi, semua pekerja, % pekerja penduduk)',
        registrationRows: { coverage_rate: 'aktif (membayar iuran)', registered_rate: 'terdaftar (aktif dan nonaktif)',
          coverage_share: 'tingkat cakupan (aktif, dihitung di wilayah pendaftaran)' }, measure: 'ukuran' } }[lang];

// Number formatting by hand, so that the output does not depend on the browser's locale data.
function fmt(x, decimals) {
  if (x === null || x === undefined || !isFinite(x)) return '–';
  const [whole, frac] = Math.abs(x).toFixed(decimals).split('.');
  const group = lang === 'id' ? '.' : ',', point = lang === 'id' ? ',' : '.';
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return (x < 0 && Number(Math.abs(x).toFixed(decimals)) !== 0 ? '−' : '') + grouped + (frac ? point + frac : '');
}
const pct = (x, d = 1) => (x === null || !isFinite(x)) ? '–' : fmt(x, d) + '%';
const rupiah = (x) => (x === null || !isFinite(x)) ? '–' : 'Rp ' + fmt(x, 0);
const signed = (x, d = 1) => (x !== null && isFinite(x) && x > 0 ? '+' : '') + fmt(x, d);
// A count of workers with its 90% interval when the run has one.
const withInterval = (v, f) => f(v.mean) + (v.p05 !== null && v.p95 !== null && isFinite(v.p05) ? ` (${T.interval(f(v.p05), f(v.p95))})` : '');
const workers = (v) => withInterval(v, (x) => fmt(x, 0));
const signedWorkers = (v) => withInterval(v, (x) => signed(x, 0));

const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const root = document.getElementById('report');
const charts = [];
const colours = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];
const alpha = (hex, a) => hex + Math.round(a * 255).toString(16).padStart(2, '0');

Chart.defaults.animation = false;
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.size = 11;

function axis(title, extra = {}) { return Object.assign({ title: { display: true, text: title } }, extra); }
const percentTicks = { callback: (v) => pct(v, 0) };
// A percentage axis that cannot mislead: at least `span` points wide (a small drift stays
// small), within 0–100, with ticks on a fixed step of 1, 2, 5, 10 or 20 points so that no two
// labels read the same.
function shareAxis(title, series, span = 10) {
  const values = series.flat().filter((v) => v !== null && isFinite(v));
  let lo = values.length ? Math.min(...values) : 0, hi = values.length ? Math.max(...values) : span;
  if (hi - lo < span) { const mid = (lo + hi) / 2; lo = mid - span / 2; hi = mid + span / 2; }
  const step = [1, 2, 5, 10, 20].find((st) => (hi - lo) / st <= 8) || 20;
  lo = Math.max(0, Math.floor(lo / step) * step);
  hi = Math.min(100, Math.ceil(hi / step) * step);
  if (hi - lo < span) { if (lo === 0) hi = Math.min(100, lo + span); else lo = Math.max(0, hi - span); }
  return axis(title, { min: lo, max: hi, ticks: { stepSize: step, callback: (v) => pct(v, 0) } });
}
// A signed axis (differences) with ticks on a fixed step so that labels never repeat.
function differenceAxis(title, series, decimals) {
  const values = series.flat().filter((v) => v !== null && isFinite(v));
  const lo = Math.min(0, ...values), hi = Math.max(0, ...values);
  const range = Math.max(hi - lo, decimals ? 0.1 : 10);
  const raw = range / 6, power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((st) => st >= raw);
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  return axis(title, { min: Math.floor(lo / step) * step, max: Math.ceil(hi / step) * step,
    ticks: { stepSize: step, callback: (v) => signed(v, digits) } });
}

function figure(parent, id, caption, run) {
  const f = el('figure');
  const box = el('div', { class: 'chart' });
  const canvas = el('canvas', { id });
  box.appendChild(canvas);
  f.appendChild(box);
  const text = caption ? caption + ' ' : '';
  f.appendChild(el('figcaption', {}, text + T.figureSource(run)));
  parent.appendChild(f);
  return canvas;
}
function draw(canvas, config) { charts.push(new Chart(canvas, config)); }

// Median with 50% and 90% bands: each band's upper edge fills down to its lower edge ('-1').
function fanDatasets(s, colour) {
  const line = (label, values, fill, bg, width) => ({ label, data: values, fill, backgroundColor: bg,
    borderColor: width ? colour : 'transparent', borderWidth: width, pointRadius: 0 });
  return [line('p05', s.p05, false, 'transparent', 0), line(T.band90, s.p95, '-1', alpha(colour, 0.15), 0),
          line('p25', s.p25, false, 'transparent', 0), line(T.band50, s.p75, '-1', alpha(colour, 0.35), 0),
          line(T.median, s.p50, false, colour, 2)];
}
const bandLegend = { labels: { filter: (item) => item.text !== 'p05' && item.text !== 'p25' } };
const tooltipPct = { callbacks: { label: (c) => `${c.dataset.label}: ${pct(c.parsed.y)}` } };

function sectionFor(run, r) {
  const section = el('section', { id: `run-${r}` });
  root.appendChild(section);
  section.appendChild(el('h2', {}, `${run.scenario} (${run.file})`));
  if (run.description) section.appendChild(el('p', {}, run.description));
  section.appendChild(el('p', { class: 'note' },
    `${T.file} ${run.file} · ${T.seed} ${run.seed} · ${fmt(run.replicates, 0)} ${T.replicates} · ${run.months[0]} – ${run.months[run.months.length - 1]}`));

  section.appendChild(el('h3', {}, T.nation(T.areaOf(data.summaries[r].area))));
  const grid = el('div', { class: 'grid' });
  section.appendChild(grid);
  ['all', 'formal', 'informal', 'vulnerable'].forEach((seg, i) => {
    const canvas = figure(grid, `fan-${r}-${seg}`, T.segments[seg] + '.', run);
    draw(canvas, { type: 'line', data: { labels: run.months, datasets: fanDatasets(run.nation[seg], colours[i]) },
      options: { plugins: { title: { display: true, text: T.segments[seg] }, legend: bandLegend, tooltip: tooltipPct },
        scales: { x: axis(T.xMonth), y: shareAxis(T.yCoverage, [run.nation[seg].p05, run.nation[seg].p95]) } } });
  });

  if (run.observations && run.observations.tracks.length) observationsFor(section, run, r);

  // Who pays for the covered workers: employers, the workers themselves, programmes.
  section.appendChild(el('h3', {}, T.payers));
  const payerGrid = el('div', { class: 'grid' });
  section.appendChild(payerGrid);
  draw(figure(payerGrid, `payers-${r}`, T.payers + '.', run), { type: 'line',
    data: { labels: run.months, datasets: ['employer', 'self', 'programme'].map((payer, i) => ({
      label: T.payerNames[payer], data: run.payers[payer], fill: i === 0 ? 'origin' : '-1',
      backgroundColor: alpha(colours[i], 0.5), borderColor: colours[i], pointRadius: 0, borderWidth: 1 })) },
    options: { plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmt(c.parsed.y, 0)}` } } },
      scales: { x: axis(T.xMonth), y: axis(T.yCovered, { stacked: true, beginAtZero: true, ticks: { callback: (v) => fmt(v, 0) } }) } } });

  if (run.registration) {
    section.appendChild(el('h3', {}, T.registration));
    const months = run.months;
    table(section, [T.measure, months[0], months[months.length - 1]], Object.keys(T.registrationRows).map(
      (m) => [T.registrationRows[m], ...run.registration[m].map((v) => pct(v))]));
  }

  const a = run.areas;
  section.appendChild(el('h3', {}, a.level === 'province' ? T.areasProvince : T.areasRegion));
  if (a.total > a.names.length) section.appendChild(el('p', { class: 'note' }, T.areasCap(a.names.length, a.total)));
  const small = el('div', { class: 'small' });
  section.appendChild(small);
  const top = Math.max(...a.p95.flat().filter((v) => v !== null && isFinite(v)), 1);
  a.names.forEach((name, i) => {
    const canvas = figure(small, `area-${r}-${i}`, null, run);
    canvas.parentElement.parentElement.querySelector('figcaption').textContent = name;
    const s = { p05: a.p05[i], p95: a.p95[i], p50: a.p50[i] };
    draw(canvas, { type: 'line', data: { labels: run.months, datasets: [
        { label: 'p05', data: s.p05, fill: false, borderColor: 'transparent', pointRadius: 0, borderWidth: 0 },
        { label: T.band90, data: s.p95, fill: '-1', backgroundColor: alpha(colours[0], 0.2), borderColor: 'transparent', pointRadius: 0, borderWidth: 0 },
        { label: T.median, data: s.p50, fill: false, borderColor: colours[0], pointRadius: 0, borderWidth: 1.5 }] },
      options: { plugins: { title: { display: true, text: name }, legend: { display: false }, tooltip: tooltipPct },
        scales: { x: axis(T.xMonth, { ticks: { maxTicksLimit: 4 } }),
                  y: axis('%', { min: 0, max: Math.ceil(top / 10) * 10, ticks: percentTicks }) } } });
  });

  const p = run.programmes;
  if (p.names.length === 0) {
    section.appendChild(el('p', { class: 'note' }, T.noProgrammes));
  } else {
    const cited = run.sources.filter((s) => s.what.startsWith('programme ')).map((s) => s.source).join('; ');
    const programmeSources = cited ? `${T.programmeSources}: ${cited}.` : '';
    section.appendChild(el('h3', {}, T.members));
    const pg = el('div', { class: 'grid' });
    section.appendChild(pg);
    draw(figure(pg, `members-${r}`, programmeSources, run), { type: 'line',
      data: { labels: run.months, datasets: p.names.map((name, i) => ({ label: name, data: p.members[i],
        fill: i === 0 ? 'origin' : '-1', backgroundColor: alpha(colours[i % colours.length], 0.5),
        borderColor: colours[i % colours.length], pointRadius: 0, borderWidth: 1 })) },
      options: { plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${fmt(c.parsed.y, 0)}` } } },
        scales: { x: axis(T.xMonth), y: axis(T.yMembers, { stacked: true, ticks: { callback: (v) => fmt(v, 0) } }) } } });

    // Budgets are per fiscal (calendar) year, so spending is accumulated within each year.
    const cumulative = p.spent_idr.map((series) => {
      let year = null, sum = 0;
      return series.map((v, m) => {
        const y = run.months[m].slice(0, 4);
        if (y !== year) { year = y; sum = 0; }
        sum += v || 0;
        return sum;
      });
    });
    const datasets = [];
    p.names.forEach((name, i) => {
      const c = colours[i % colours.length];
      // Each budget year is its own line: no segment joins December's total to January's.
      datasets.push({ label: name, data: cumulative[i], borderColor: c, backgroundColor: c, pointRadius: 0, borderWidth: 2, stepped: false,
        segment: { borderColor: (ctx) => run.months[ctx.p0DataIndex].slice(0, 4) !== run.months[ctx.p1DataIndex].slice(0, 4) ? 'transparent' : c } });
      if (p.budget_idr[i].some((v) => v > 0))
        datasets.push({ label: `${name}: ${T.budget}`, data: p.budget_idr[i].map((v) => v > 0 ? v : null),
          borderColor: c, backgroundColor: c, borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5, stepped: true });
    });
    draw(figure(pg, `spending-${r}`, programmeSources, run), { type: 'line',
      data: { labels: run.months, datasets },
      options: { plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${rupiah(c.parsed.y)}` } } },
        scales: { x: axis(T.xMonth), y: axis(T.ySpending, { beginAtZero: true, ticks: { callback: (v) => rupiah(v) } }) } } });
  }

  if (run.forecast) forecastFor(section, run, r);
  if (run.skill) skillFor(section, run);

  section.appendChild(el('h3', {}, T.sources));
  if (run.sources.length === 0) section.appendChild(el('p', { class: 'note' }, T.noSources));
  const ol = el('ol', { class: 'sources' });
  run.sources.forEach((s) => ol.appendChild(el('li', {}, `${s.what}: ${s.source}`)));
  section.appendChild(ol);
}

function monthAfter(run, offset) {
  if (offset === null || !isFinite(offset)) return T.beyond;
  const i = Math.round(offset);
  return i < run.months.length ? run.months[i] : T.beyond;
}

function table(parent, header, rows) {
  // Wide tables scroll inside the page instead of running off it.
  const wrap = el('div', { class: 'table-wrap' });
  const t = el('table');
  const tr = el('tr');
  header.forEach((h) => tr.appendChild(el('th', {}, h)));
  t.appendChild(tr);
  rows.forEach((row) => { const r = el('tr'); row.forEach((c) => r.appendChild(el('td', {}, c))); t.appendChild(r); });
  wrap.appendChild(t);
  parent.appendChild(wrap);
}

function forecastFor(section, run, r) {
  const f = run.forecast;
  section.appendChild(el('h3', {}, T.forecast));
  const threshold = f.threshold.length ? f.threshold[0] : null;
  section.appendChild(el('p', { class: 'note' }, `${T.threshold}: ${pct(threshold * 100)} (${T.measures[f.measure] || f.measure})`));
  // The whole scenario's area when the forecast has it, else its province, else the first.
  const pick = ['scenario', 'province'].map((l) => f.levels.indexOf(l)).find((i) => i >= 0);
  const main = pick === undefined ? 0 : pick;
  const firsts = f.first_month[main] || [];
  const years = [...new Set(run.months.map((m) => m.slice(0, 4)))];
  const counts = years.map(() => 0);
  let never = 0;
  firsts.forEach((m) => {
    if (m === null || !isFinite(m) || Math.round(m) >= run.months.length) { never += 1; return; }
    counts[years.indexOf(run.months[Math.round(m)].slice(0, 4))] += 1;
  });
  const n = Math.max(firsts.length, 1);
  const grid = el('div', { class: 'grid' });
  section.appendChild(grid);
  const areaName = (a) => f.levels[a] === 'scenario' && f.codes[a] !== 'ID' ? T.areaOf(data.summaries[r].area) : f.names[a];
  const levelName = (a) => T.levels[f.levels[a]] || f.levels[a];
  draw(figure(grid, `forecast-${r}`, `${areaName(main)} (${levelName(main)}).`, run), { type: 'bar',
    data: { labels: [...years, T.never], datasets: [{ label: T.reachBy,
      data: [...counts, never].map((c) => 100 * c / n), backgroundColor: [...years.map(() => colours[0]), '#999'] }] },
    options: { plugins: { legend: { display: false }, tooltip: tooltipPct },
      scales: { x: axis(T.xYear), y: axis(T.yShare, { beginAtZero: true, max: 100, ticks: percentTicks }) } } });

  // The tables take the page's whole width below the chart: a row per area, and with many
  // areas and quantiles a half-width column would overflow.
  const box = el('div');
  section.appendChild(box);
  box.appendChild(el('p', {}, T.quantiles));
  table(box, [T.area, T.level, ...f.quantile_level.map((q) => T.quantileName(q * 100)), T.never],
    // `never` counts replicates.
    f.names.map((name, a) => [areaName(a), levelName(a), ...f.quantile[a].map((q) => monthAfter(run, q)),
      pct(100 * f.never[a] / Math.max((f.first_month[a] || []).length, 1))]));
  if (f.by.length) {
    box.appendChild(el('p', {}, T.probabilityBy));
    table(box, [T.area, ...f.by], f.names.map((name, a) => [areaName(a), ...f.probability_by[a].map((v) => pct(100 * v))]));
  }
}

// Each measure an observation is of, simulated every month, with the observations drawn on
// it: whether the run passes through what was observed is the first thing to trust or doubt.
function observationsFor(section, run, r) {
  const o = run.observations;
  section.appendChild(el('h3', {}, T.observations));
  const grid = el('div', { class: 'grid' });
  section.appendChild(grid);
  const name = (t) => `${t.region} · ${t.segment} · ${t.measure}`;
  o.tracks.forEach((t, i) => {
    const observed = run.months.map(() => null);
    const cited = [];
    o.points.forEach((p) => {
      if (p.track !== i) return;
      const m = run.months.indexOf(p.month);
      if (m >= 0) observed[m] = p.observed;
      if (p.source && !cited.includes(p.source)) cited.push(p.source);
    });
    const c = colours[i % colours.length];
    draw(figure(grid, `observed-${r}-${i}`, `${name(t)}. ${cited.join('; ')}`, run), { type: 'line',
      data: { labels: run.months, datasets: [
        { label: 'p05', data: t.p05, fill: false, borderColor: 'transparent', pointRadius: 0, borderWidth: 0 },
        { label: T.band90, data: t.p95, fill: '-1', backgroundColor: alpha(c, 0.2), borderColor: 'transparent', pointRadius: 0, borderWidth: 0 },
        { label: T.simulatedMean, data: t.mean, fill: false, borderColor: c, pointRadius: 0, borderWidth: 2 },
        { label: T.observed, data: observed, showLine: false, pointRadius: 6, pointStyle: 'rectRot',
          backgroundColor: '#000', borderColor: '#000' }] },
      options: { plugins: { title: { display: true, text: name(t) }, legend: bandLegend, tooltip: tooltipPct },
        scales: { x: axis(T.xMonth), y: shareAxis('%', [t.p05, t.p95, observed]) } } });
  });
  section.appendChild(el('p', {}, T.observationTable));
  table(section, T.obsHeader, o.points.map((p) => {
    const t = o.tracks[p.track], m = run.months.indexOf(p.month);
    return [p.month, t.region, t.segment, t.measure, pct(p.observed),
      m < 0 ? '–' : `${pct(t.mean[m])} (${pct(t.p05[m])} – ${pct(t.p95[m])})`, p.source];
  }));
}

function skillFor(section, run) {
  const s = run.skill;
  section.appendChild(el('h3', {}, T.skill));
  section.appendChild(el('p', { class: 'note' }, T.skillCutOffs(s.cut_offs)));
  const horizon = (row) => row.to === null || row.to < 0 ? `${row.from}+` : `${row.from}–${row.to}`;
  const cells = (label, row) => [label, fmt(row.points, 0), fmt(row.mae, 2), pct(row.inside_80, 0),
    pct(row.widened_inside_80, 0), pct(row.widened_inside_95, 0), fmt(row.persistence_ratio, 2), fmt(row.trend_ratio, 2)];
  table(section, T.skillHeader, [...s.rows.filter((row) => row.points > 0).map((row) => cells(horizon(row), row)),
    cells(T.skillAll, s.overall)]);
  const all = s.overall;
  const coverage = all.widened_inside_80 !== null ? all.widened_inside_80 : all.inside_80;
  section.appendChild(el('p', {}, all.persistence_ratio === null ? T.skillUnknown
    : T.skillGoal(all.persistence_ratio <= 0.8 && coverage !== null && Math.abs(coverage - 80) <= 10)));
}

// A paired difference by month: its mean as a line inside its 90% interval.
function differenceChart(parent, id, caption, run, months, values, title, decimals) {
  const pick = (k) => values.map((v) => v[k]);
  draw(figure(parent, id, caption, run), { type: 'line', data: { labels: months, datasets: [
      { label: 'p05', data: pick('p05'), fill: false, borderColor: 'transparent', pointRadius: 0, borderWidth: 0 },
      { label: T.band90, data: pick('p95'), fill: '-1', backgroundColor: alpha(colours[2], 0.25), borderColor: 'transparent', pointRadius: 0, borderWidth: 0 },
      { label: T.mean, data: pick('mean'), fill: false, borderColor: colours[2], pointRadius: 0, borderWidth: 2 }] },
    options: { plugins: { legend: bandLegend, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${signed(c.parsed.y, decimals)}` } } },
      scales: { x: axis(T.xMonth), y: differenceAxis(title, [pick('p05'), pick('p95'), pick('mean')], decimals) } } });
}

// The four questions first: covered, added, spent, cost per added worker-year, and ULC.
function summaryFor(s, r) {
  // A compare result has no runs of its own: its file stands for them in captions.
  const c = data.compared;
  const run = data.runs[r] || { file: c.file, scenario: s.scenario, engine_version: c.engine_version,
    seed: c.method, replicates: c.replicates, months: s.months };
  const section = el('section', { id: `summary-${r}`, class: 'summary' });
  root.appendChild(section);
  section.appendChild(el('h2', {}, T.summary(s)));
  const dl = el('dl');
  section.appendChild(dl);
  const answer = (question, ...texts) => {
    dl.appendChild(el('dt', {}, question));
    texts.filter((t) => t).forEach((t) => dl.appendChild(el('dd', {}, t)));
  };
  answer(T.qCovered, T.coveredAnswer(s));
  if (s.baseline === 'not_needed') answer(T.qAdded, T.noBaselineNeeded);
  else if (s.baseline === 'not_given') answer(T.qAdded, T.noBaseline, T.makeBaseline(run.file));
  else if (s.baseline === 'unavailable') answer(T.qAdded, T.unavailableBaseline(s.baseline_note), T.makeBaseline(run.file));
  else answer(T.qAdded, T.baselineIs(s), s.baseline_levers && T.baselineLevers(s.baseline_levers), T.addedAnswer(s));
  answer(T.qSpent, T.spentAnswer(s));
  answer(T.qCost, s.cost_per_added_worker_year_idr ? T.costAnswer(s.cost_per_added_worker_year_idr, s.paired) : T.costNone(s));
  answer(T.qGoal, !s.goal ? T.goalUnknown : s.goal.probability > 0 ? T.goalReached(s.goal) : T.goalNot(s.goal, s));
  if (s.added_workers) {
    const grid = el('div', { class: 'grid' });
    section.appendChild(grid);
    differenceChart(grid, `added-${r}`, T.addedChart + '.', run, s.months, s.added_workers, T.yAdded, 0);
  }
}

// A sweep: one row per grid point, each measure's level and paired difference to the first.
function sweepSection() {
  const w = data.swept;
  const section = el('section', { id: 'sweep' });
  root.appendChild(section);
  section.appendChild(el('h2', {}, T.sweep));
  section.appendChild(el('p', { class: 'note' }, T.sweepNote(w)));
  const share = (m) => w.units[m] === 'share';
  const money = (m) => w.units[m].startsWith('IDR');
  const level = (v, m) => share(m) ? pct(100 * v) : money(m) ? rupiah(v) : fmt(v, 0);
  const diff = (v, m) => share(m) ? `${signed(100 * v, 2)} ${T.pp}` : money(m) ? (v > 0 ? '+' : '') + rupiah(v) : signed(v, 0);
  const cell = (p, m) => {
    const l = w.levels[p][m], d = w.differences[p][m];
    const head = l.mean === null ? '' : level(l.mean, m);
    if (p === 0 || d.mean === null) return head || '–';
    return `${head ? head + '; ' : ''}${diff(d.mean, m)} (${diff(d.p05, m)} – ${diff(d.p95, m)})`;
  };
  table(section, [...w.keys, ...w.measures.map(T.measureName)],
    w.points.map((values, p) => [...values, ...w.measures.map((_, m) => cell(p, m))]));
  // The last coverage month's difference, point by point.
  const coverage = w.measures.map((n, m) => n.startsWith('coverage_rate_') ? m : -1).filter((m) => m >= 0).pop();
  if (coverage === undefined) return;
  const grid = el('div', { class: 'grid' });
  section.appendChild(grid);
  const f = el('figure');
  const box = el('div', { class: 'chart' });
  const canvas = el('canvas', { id: 'sweep-0' });
  box.appendChild(canvas);
  f.appendChild(box);
  f.appendChild(el('figcaption', {}, T.sweepSource(w)));
  grid.appendChild(f);
  const values = w.differences.map((d) => d[coverage].mean === null ? null : 100 * d[coverage].mean);
  draw(canvas, { type: 'bar', data: { labels: w.points.map((v) => v.join(' · ')),
      datasets: [{ label: T.mean, data: values, backgroundColor: colours[2] }] },
    options: { plugins: { legend: { display: false }, title: { display: true, text: T.sweepChart(T.measureName(w.measures[coverage])) },
        tooltip: { callbacks: { label: (c) => `${signed(c.parsed.y, 2)} ${T.pp}` } } },
      scales: { x: axis(w.keys.join(' · ')), y: differenceAxis(T.yPoints, [values], 2) } } });
}

function comparison() {
  if (!data.comparison) return;
  const section = el('section', { id: 'comparison' });
  root.appendChild(section);
  section.appendChild(el('h2', {}, T.comparisonTitle));
  section.appendChild(el('h3', {}, T.comparisonMonthly));
  const grid = el('div', { class: 'grid' });
  section.appendChild(grid);
  data.against_first.forEach((s, i) => {
    const run = data.runs[i + 1], first = data.runs[0];
    const title = T.differenceChart(`${run.scenario} (${run.file})`, `${first.scenario} (${first.file})`);
    const box = el('div');
    grid.appendChild(box);
    box.appendChild(el('p', {}, title));
    differenceChart(box, `difference-${i + 1}`, T.baselineIs(s), run, run.months, s.added_points, T.yPoints, 2);
    box.appendChild(el('p', { class: 'note' }, T.addedAnswer(s)));
  });
  section.appendChild(el('h3', {}, T.comparison));
  const rows = [];
  data.comparison.forEach((c, r) => {
    ['all', 'formal', 'informal', 'vulnerable'].forEach((seg) => {
      const l = c[seg].level, d = c[seg].difference;
      rows.push([`${data.runs[r].scenario} (${data.runs[r].file})`, T.segments[seg],
        `${pct(l.mean)} (${pct(l.p05)} – ${pct(l.p95)})`,
        r === 0 ? '' : d ? `${signed(d.mean)} ${T.pp} (${signed(d.p05)} – ${signed(d.p95)})` : '–']);
    });
  });
  table(section, [T.run, T.segment, T.level90, T.difference], rows);
  section.appendChild(el('p', { class: 'note' }, T.pairedNote));
}

document.title = `${T.title}: ${data.swept ? data.swept.file : data.compared ? data.compared.scenarios.join(', ') : data.runs.map((r) => r.scenario).join(', ')}`;
root.appendChild(el('h1', {}, document.title));
data.summaries.forEach(summaryFor);
data.runs.forEach(sectionFor);
if (data.swept) sweepSection();
comparison();

// What the browser test reads: every chart's canvas size and how many data points it drew.
const status = el('pre', { id: 'render-status', 'data-charts': String(charts.length) });
status.textContent = charts.map((c) => {
  const points = c.data.datasets.reduce((n, d) => n + d.data.filter((v) => v !== null && isFinite(v)).length, 0);
  return `${c.canvas.id} ${c.canvas.width}x${c.canvas.height} ${points}`;
}).join('\n');
document.body.appendChild(status);
