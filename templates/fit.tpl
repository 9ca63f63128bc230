{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/models/{{MODEL_SLUG}}/">{{MODEL}}</a> › <a href="/hardware/{{GPU_SLUG}}/">{{GPU}}</a></nav>
<h1>Will {{MODEL}} run on {{GPU}}?</h1>
{{#UNKNOWN}}<p>The engine cannot size this model in any of the site's quantizations.</p>{{/UNKNOWN}}
{{#ANSWER}}
<section class="answer tier-box-{{TIER}}" aria-labelledby="answer-h">
<h2 id="answer-h"><span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span> at {{QUANT}} with {{CTX}} tokens of context</h2>
<p>{{REASON}}</p>
<ul class="figures">
<li><span class="k">Needs</span> <strong>{{NEED}}</strong></li>
<li><span class="k">Usable</span> <strong>{{CAPACITY}}</strong></li>
<li><span class="k">Layers on GPU</span> <strong>{{LAYERS}}</strong></li>
{{#SPEED}}<li><span class="k">Decode</span> <strong>{{TG}} tok/s <span class="label label-{{TG_KIND}}" title="{{TG_LABEL}}">{{TG_KIND}}</span></strong></li>
<li><span class="k">Prefill</span> <strong>{{PP}} tok/s <span class="label label-{{PP_KIND}}" title="{{PP_LABEL}}">{{PP_KIND}}</span></strong></li>
<li><span class="k">First token (512-token prompt)</span> <strong>{{TTFT}} s</strong></li>{{/SPEED}}
</ul>
{{#SPEED}}<p class="note">Decode: {{TG_LABEL}}. Prefill: {{PP_LABEL}}.</p>{{/SPEED}}
</section>
{{/ANSWER}}
{{#VERDICT}}
<section class="verdict" aria-labelledby="verdict-h">
<h2 id="verdict-h">The editors' verdict: <span class="tier tier-{{V_TIER}}">{{V_TIER_TEXT}}</span></h2>
<p class="summary">{{V_SUMMARY}}</p>
<div class="prose">{{V_BODY:none}}</div>
<p class="meta">{{V_QUANT}} · {{V_AUTHOR}}, {{V_DATE}}</p>
<details><summary>Sources</summary><ul class="sources">{{#V_SOURCE}}<li><a href="{{URL}}" rel="noopener">{{TITLE}}</a></li>{{/V_SOURCE}}</ul></details>
</section>
{{/VERDICT}}
{{#ANSWER}}
<section>
<h2>Where the memory goes</h2>
<figure class="chart" tabindex="0">{{VRAM_SVG:none}}</figure>
<div class="scroll" tabindex="0"><table>
<caption>Memory by device (estimated)</caption>
<thead><tr><th scope="col">Device</th><th scope="col" class="num">Layers</th><th scope="col" class="num">Weights</th><th scope="col" class="num">KV cache</th><th scope="col" class="num">Compute</th><th scope="col" class="num">Overhead</th><th scope="col" class="num">Total</th><th scope="col" class="num">Usable</th></tr></thead>
<tbody>{{#DEVICE}}<tr><th scope="row">{{NAME}}</th><td class="num">{{LAYERS}}</td><td class="num">{{WEIGHTS}}</td><td class="num">{{KV}}</td><td class="num">{{COMPUTE}}</td><td class="num">{{OVERHEAD}}</td><td class="num">{{TOTAL}}</td><td class="num">{{CAP}}</td></tr>{{/DEVICE}}</tbody>
</table></div>
</section>
{{/ANSWER}}
<section>
<h2>Every quantization</h2>
<p class="note">At {{CTX}} tokens of context. Longest context: the most tokens that still fit entirely on the GPU.</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Quant</th><th scope="col" class="num">File</th><th scope="col" class="num">Needs</th><th scope="col">Verdict</th><th scope="col" class="num">Longest context</th><th scope="col" class="num">Decode tok/s</th></tr></thead>
<tbody>{{#QROW}}<tr{{#BEST}} class="best"{{/BEST}}><th scope="row">{{QUANT}}{{#BEST}} <span class="tag">best</span>{{/BEST}}</th><td class="num">{{FILE}}</td><td class="num">{{NEED}}</td><td><span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span></td><td class="num">{{MAX_CTX}}</td><td class="num">{{TG}} <small>{{TG_KIND}}</small></td></tr>{{/QROW}}</tbody>
</table></div>
</section>
{{#HAVE_SPEED_CHART}}
<section>
<h2>Speed as the context fills</h2>
<figure class="chart" tabindex="0">{{SPEED_SVG:none}}</figure>
</section>
{{/HAVE_SPEED_CHART}}
<section>
<h2>Measured</h2>
{{#HAVE_RUNS}}<ul>{{#RUN}}<li><a href="/runs/{{RUN_ID}}/">{{RUN_QUANT}}: decode {{RUN_TG}} tok/s</a></li>{{/RUN}}</ul>{{/HAVE_RUNS}}
{{#NO_RUNS_HERE}}<p>Nobody has measured this pairing yet: the speeds above are estimates. Measure it yourself with the probe:</p>{{/NO_RUNS_HERE}}
<pre tabindex="0"><code>{{PROBE}}</code></pre>
</section>
{{#SINGLE}}<p><a class="button" href="/cost/{{MODEL_SLUG}}/{{GPU_SLUG}}/">Cost against the cloud →</a> <a class="button" href="/choose/{{MODEL_SLUG}}/">Other GPUs for {{MODEL}} →</a></p>{{/SINGLE}}
