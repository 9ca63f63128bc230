{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/hardware/">Hardware</a> › {{NAME}}</nav>
<h1>{{NAME}}</h1>
<div class="grid2">
<section>
<h2>Specifications</h2>
<table class="kv"><tbody>{{#SPEC}}<tr><th scope="row">{{KEY}}</th><td>{{VALUE}}</td></tr>{{/SPEC}}</tbody></table>
<details><summary>Sources</summary><ul class="sources">{{#SOURCE}}<li><a href="{{URL}}" rel="noopener">{{TITLE}}</a> (accessed {{ACCESSED}})</li>{{/SOURCE}}</ul></details>
</section>
<section>
<h2>Measured results</h2>
{{#HAVE_RUNS}}<ul>{{#RUN}}<li><a href="/runs/{{RUN_ID}}/">{{RUN_MODEL}} {{RUN_QUANT}}</a>: decode {{RUN_TG}} tok/s, prefill {{RUN_PP}} tok/s</li>{{/RUN}}</ul>{{/HAVE_RUNS}}
{{#NO_RUNS_HERE}}<p>No measured runs on this GPU yet; speeds are estimated.</p>{{/NO_RUNS_HERE}}
</section>
</div>
<section>
<h2>Which models run, at which quantization</h2>
<p class="note">At 8K context: the best quantization that fits entirely, else Q4_K_M with partial offload. Speeds are decode tokens per second.</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Model</th><th scope="col">Verdict</th><th scope="col">Quant</th><th scope="col" class="num">Decode tok/s</th><th scope="col">Cost</th></tr></thead>
<tbody>{{#MODEL}}<tr><td><a href="/will-it-run/{{MODEL_SLUG}}/{{SLUG}}/">{{MODEL}}</a></td><td><span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span></td><td>{{QUANT}}</td><td class="num">{{TG}} <small>{{TG_KIND}}</small></td><td><a href="/cost/{{MODEL_SLUG}}/{{SLUG}}/">vs cloud</a></td></tr>
{{/MODEL}}</tbody>
</table></div>
</section>
