// End-to-end test of the generated site in real headless Chromium.
//
// usage: node e2e.js SITE_DIR SCREENSHOT_DIR
// Serves SITE_DIR on a local port, browses from the home page to a
// will-it-run page, uses the calculator, checks accessibility with axe-core
// (no serious or critical findings) on each page visited, and saves
// screenshots at phone and desktop sizes. Exits 77 (ctest's skip) when
// chromium or node_modules is missing, with the reason on stderr.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const os = require('os');

const CHROMIUM = '/usr/bin/chromium';
function skip(why) { console.error('SKIP: ' + why); process.exit(77); }
if (!fs.existsSync(CHROMIUM)) skip(CHROMIUM + ' is not installed');
let chromium, axeSource;
try {
  chromium = require('playwright-core').chromium;
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  skip('node_modules missing: run npm ci in tests/e2e (' + e.message + ')');
}

const [siteDir, shotDir] = process.argv.slice(2);
if (!siteDir || !shotDir) { console.error('usage: node e2e.js SITE_DIR SCREENSHOT_DIR'); process.exit(2); }
fs.mkdirSync(shotDir, { recursive: true });

const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml' };
function serve(root) {
  return http.createServer((req, res) => {
    let p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (p.endsWith('/')) p += 'index.html';
    const file = path.join(root, path.normalize(p));
    if (!file.startsWith(path.resolve(root))) { res.writeHead(403); return res.end(); }
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(fs.existsSync(path.join(root, '404.html')) ? fs.readFileSync(path.join(root, '404.html')) : '');
      }
      res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
}

let failures = 0;
function fail(msg) { console.error('FAIL: ' + msg); failures++; }

async function axeCheck(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad)
    fail(`${name}: axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, e.g. ${v.nodes[0].target})`);
  console.log(`axe ${name}: ${result.violations.length} findings, ${bad.length} serious or critical`);
}

(async () => {
  const server = serve(path.resolve(siteDir));
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wir-chromium-'));
  // A fresh profile (--user-data-dir), which playwright passes itself for a
  // persistent context.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 120000,
  });
  try {
    for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      const page = await context.newPage();
      await page.setViewportSize(viewport);
      page.setDefaultTimeout(60000);
      const errors = [];
      page.on('pageerror', e => errors.push(e.message));
      page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });

      await page.goto(base + '/', { waitUntil: 'load' });
      if (!/Will this model run/.test(await page.textContent('h1'))) fail(`${label}: home has no question up front`);
      await page.screenshot({ path: path.join(shotDir, `${label}-home.png`), fullPage: true });
      await axeCheck(page, `${label} home`);

      // Home → a will-it-run page through a real link.
      const link = page.locator('a[href^="/will-it-run/"]').first();
      const href = await link.getAttribute('href');
      await Promise.all([page.waitForURL('**' + href), link.click()]);
      const h1 = await page.textContent('h1');
      if (!/^Will .* run on .*\?$/.test(h1.trim())) fail(`${label}: ${href} heading is "${h1}"`);
      if (!(await page.locator('.answer .tier').count())) fail(`${label}: ${href} shows no verdict tier`);
      if (!(await page.locator('svg.wir-chart').count())) fail(`${label}: ${href} has no chart`);
      await page.screenshot({ path: path.join(shotDir, `${label}-will-it-run.png`), fullPage: true });
      await axeCheck(page, `${label} will-it-run`);

      // The calculator: pick a model, quantization, context, GPU and count.
      await page.goto(base + '/tool/', { waitUntil: 'load' });
      await page.waitForSelector('#t-result:not([hidden])');
      const models = await page.$$eval('#t-model option', o => o.map(x => x.value));
      await page.selectOption('#t-model', models[Math.min(1, models.length - 1)]);
      const quants = await page.$$eval('#t-quant option', o => o.map(x => x.value));
      await page.selectOption('#t-quant', quants[quants.length - 1]);
      await page.selectOption('#t-ctx', { index: 0 });
      const gpus = await page.$$eval('#t-gpu option', o => o.map(x => x.value));
      await page.selectOption('#t-gpu', gpus[gpus.length - 1]);
      await page.selectOption('#t-count', { index: 1 });
      await page.waitForFunction(() => /tok\/s|—/.test(document.getElementById('t-tg').textContent));
      const tier = await page.textContent('#t-tier');
      if (!/Runs|Tight|Partial|Won't/.test(tier)) fail(`${label}: the calculator shows tier "${tier}"`);
      await page.screenshot({ path: path.join(shotDir, `${label}-tool.png`), fullPage: true });
      await axeCheck(page, `${label} tool`);
      const target = await page.getAttribute('#t-link', 'href');
      const res = await page.goto(base + target, { waitUntil: 'load' });
      if (!res.ok()) fail(`${label}: the calculator links to ${target}, which answers ${res.status()}`);

      if (errors.length) fail(`${label}: browser errors: ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await context.close();
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures) { console.error(`${failures} failure(s)`); process.exit(1); }
  console.log('e2e: ok; screenshots in ' + shotDir);
})().catch(e => { console.error('FAIL: ' + (e.stack || e)); process.exit(1); });
