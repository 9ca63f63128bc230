{{%AUTOESCAPE context="HTML"}}
<h1>Will it run? The calculator</h1>
<p class="lede">Pick a model, a quantization, a context length and your hardware. The answers are the engine's, precomputed for every combination when the site was built.</p>
<noscript><p class="banner">The calculator needs JavaScript. Every answer is also a page: start from a <a href="/models/">model</a> or a <a href="/hardware/">GPU</a>.</p></noscript>
<form id="tool" class="tool" data-api="/api/tool/">
<label for="t-model">Model</label>
<select id="t-model" name="model">{{#MODEL_OPT}}<option value="{{SLUG}}">{{NAME}}</option>{{/MODEL_OPT}}</select>
<label for="t-quant">Quantization</label>
<select id="t-quant" name="quant">{{#QUANT_OPT}}<option value="{{INDEX}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}}</option>{{/QUANT_OPT}}</select>
<label for="t-ctx">Context</label>
<select id="t-ctx" name="ctx">{{#CTX_OPT}}<option value="{{INDEX}}"{{#SELECTED}} selected{{/SELECTED}}>{{NAME}} tokens</option>{{/CTX_OPT}}</select>
<label for="t-gpu">Hardware</label>
<select id="t-gpu" name="gpu">{{#GPU_OPT}}<option value="{{INDEX}}">{{NAME}}</option>{{/GPU_OPT}}</select>
<label for="t-count">GPUs</label>
<select id="t-count" name="count">{{#COUNT_OPT}}<option value="{{INDEX}}">{{NAME}}</option>{{/COUNT_OPT}}</select>
</form>
<section id="t-result" class="answer" aria-live="polite" hidden>
<h2><span id="t-tier" class="tier">…</span></h2>
<ul class="figures">
<li><span class="k">Needs</span> <strong id="t-need">…</strong></li>
<li><span class="k">Layers on GPU</span> <strong id="t-layers">…</strong></li>
<li><span class="k">Decode</span> <strong id="t-tg">…</strong></li>
</ul>
<p><a id="t-link" href="/models/">The full answer, with memory breakdown and cost →</a></p>
</section>
<p id="t-status" class="note"></p>
<script src="/assets/tool.js" defer></script>
