// The will-it-run calculator. It computes nothing: every figure is read from
// /api/tool/<model>.json, which gen build fills from the C engine, so there is
// one copy of the formulas (gen/compute). This file only looks answers up.
(function () {
  'use strict';
  var form = document.getElementById('tool');
  if (!form) return;
  var el = function (id) { return document.getElementById(id); };
  var tierText = { runs: 'Runs', tight: 'Tight', partial: 'Partial offload', no: "Won't run" };
  var cache = {};
  var gpuSlugs = null;

  function params() {
    var q = new URLSearchParams(window.location.search);
    if (q.get('model')) el('t-model').value = q.get('model');
    if (q.get('gpu')) {
      // The home page's form names the GPU by slug; the select holds indexes.
      form.dataset.gpuSlug = q.get('gpu');
    }
  }

  function load(model) {
    if (cache[model]) return Promise.resolve(cache[model]);
    return fetch(form.dataset.api + encodeURIComponent(model) + '.json')
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (t) { cache[model] = t; return t; });
  }

  function show() {
    var model = el('t-model').value;
    el('t-status').textContent = 'Loading…';
    load(model).then(function (t) {
      gpuSlugs = t.gpus;
      if (form.dataset.gpuSlug) {
        var i = t.gpus.indexOf(form.dataset.gpuSlug);
        if (i >= 0) el('t-gpu').value = String(i);
        delete form.dataset.gpuSlug;
      }
      var q = +el('t-quant').value, g = +el('t-gpu').value, k = +el('t-count').value, x = +el('t-ctx').value;
      var cell = t.cells[((q * t.gpus.length + g) * t.counts.length + k) * t.ctxs.length + x];
      var box = el('t-result');
      el('t-status').textContent = '';
      if (!cell) {
        box.hidden = true;
        el('t-status').textContent = 'No answer for this combination (the context is longer than the model was trained for, or the engine cannot size it).';
        return;
      }
      var tier = t.tiers[cell[0]];
      var badge = el('t-tier');
      badge.className = 'tier tier-' + tier;
      badge.textContent = tierText[tier];
      el('t-need').textContent = (cell[1] / 1024).toFixed(2) + ' GiB';
      el('t-layers').textContent = cell[3] + ' of ' + cell[4];
      el('t-tg').textContent = cell[2] < 0 ? '—' : (cell[2] / 10).toFixed(1) + ' tok/s (' + (cell[5] ? 'measured' : 'estimated') + ')';
      el('t-link').href = '/will-it-run/' + t.model + '/' + t.gpus[g] + '/';
      box.className = 'answer tier-box-' + tier;
      box.hidden = false;
    }).catch(function () {
      el('t-status').textContent = 'Could not load the table for this model.';
    });
  }

  params();
  form.addEventListener('change', show);
  show();
}());
