{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/models/">Models</a> › {{NAME}}</nav>
<h1>{{NAME}}</h1>
<p class="lede">Hugging Face: <code>{{HF_REPO}}</code>. <a href="/choose/{{SLUG}}/">Which GPU should I buy for it?</a></p>
<div class="grid2">
<section>
<h2>Architecture</h2>
<table class="kv"><tbody>{{#SPEC}}<tr><th scope="row">{{KEY}}</th><td>{{VALUE}}</td></tr>{{/SPEC}}</tbody></table>
</section>
<section>
<h2>Memory by quantization and context</h2>
<p class="note">Total for weights, KV cache (f16), compute buffers and runtime overhead, all on one device (estimated by the engine).</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Quant</th><th scope="col" class="num">File</th>{{#CTX_HEAD}}<th scope="col" class="num">{{CTX}} ctx</th>{{/CTX_HEAD}}</tr></thead>
<tbody>{{#QROW}}<tr><th scope="row">{{QUANT}}</th><td class="num">{{FILE}}</td>{{#CELL}}<td class="num">{{MEM}}</td>{{/CELL}}</tr>{{/QROW}}</tbody>
</table></div>
</section>
</div>
<section>
<h2>Where it runs</h2>
<p class="note">Best quantization that fits entirely on one GPU at 8K context; otherwise Q4_K_M with partial offload.</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">GPU</th><th scope="col" class="num">Memory</th><th scope="col">Verdict</th><th scope="col">Quant</th><th scope="col" class="num">Decode tok/s</th></tr></thead>
<tbody>{{#GPU}}<tr><td><a href="/will-it-run/{{SLUG}}/{{GPU_SLUG}}/">{{GPU}}</a></td><td class="num">{{MEMORY}}</td><td><span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span></td><td>{{QUANT}}</td><td class="num">{{TG}} <small>{{TG_KIND}}</small></td></tr>{{/GPU}}</tbody>
</table></div>
</section>
<section>
<h2>Measured results</h2>
{{#HAVE_RUNS}}<ul>{{#RUN}}<li><a href="/runs/{{RUN_ID}}/">{{RUN_QUANT}} on {{RUN_HW}}</a>: decode {{RUN_TG}} tok/s, prefill {{RUN_PP}} tok/s ({{RUN_SOURCE}})</li>{{/RUN}}</ul>{{/HAVE_RUNS}}
{{#NO_RUNS_HERE}}<p>No measured runs of this model yet; speeds are estimated.</p>{{/NO_RUNS_HERE}}
</section>
