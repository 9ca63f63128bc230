{{%AUTOESCAPE context="HTML"}}
<section class="hero">
<h1>Will this model run on your GPU?</h1>
<p class="lede">How much memory it needs, how fast it generates, and what it costs against the cloud, for {{N_MODELS}} open models on {{N_GPUS}} GPUs. Every figure is sourced; every estimate says so.</p>
<form class="ask" action="/tool/" method="get">
<label>Model <select name="model" id="ask-model">{{#MODEL_OPT}}<option value="{{SLUG}}">{{NAME}}</option>{{/MODEL_OPT}}</select></label>
<label>GPU <select name="gpu" id="ask-gpu">{{#GPU_OPT}}<option value="{{SLUG}}">{{NAME}}</option>{{/GPU_OPT}}</select></label>
<button type="submit">Open the calculator</button>
</form>
</section>
<section>
<h2>Popular questions</h2>
<ul class="cards">
{{#QUESTION}}<li><a href="/will-it-run/{{MODEL_SLUG}}/{{GPU_SLUG}}/">Will {{MODEL}} run on {{GPU}}?</a></li>{{/QUESTION}}
</ul>
<p>Or start from a <a href="/models/">model</a> or a <a href="/hardware/">GPU</a>.</p>
</section>
{{#HAVE_VERDICTS}}
<section>
<h2>Latest verdicts</h2>
<ul class="verdicts">
{{#VERDICT}}<li><span class="tier tier-{{V_TIER}}">{{V_TIER_TEXT}}</span> <a href="/will-it-run/{{V_MODEL_SLUG}}/{{V_HW_SLUG}}/">{{V_MODEL}} on {{V_HW}}</a>: {{V_SUMMARY}} <span class="meta">{{V_DATE}}, {{V_AUTHOR}}</span></li>{{/VERDICT}}
</ul>
</section>
{{/HAVE_VERDICTS}}
<section>
<h2>Latest results</h2>
{{#HAVE_RUNS}}
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Model</th><th scope="col">Quant</th><th scope="col">Hardware</th><th scope="col" class="num">Decode tok/s</th><th scope="col" class="num">Prefill tok/s</th></tr></thead>
<tbody>{{#RUN}}<tr><td><a href="/runs/{{RUN_ID}}/">{{RUN_MODEL}}</a></td><td>{{RUN_QUANT}}</td><td>{{RUN_HW}}</td><td class="num">{{RUN_TG}}</td><td class="num">{{RUN_PP}}</td></tr>{{/RUN}}</tbody>
</table></div>
<p><a href="/runs/">All benchmark runs</a></p>
{{/HAVE_RUNS}}
{{#NO_RUNS_YET}}<p>No measured results yet. Speeds on this site are estimates until runs are added.</p>{{/NO_RUNS_YET}}
</section>
