{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/will-it-run/{{MODEL_SLUG}}/{{GPU_SLUG}}/">Will {{MODEL}} run on {{GPU}}?</a> › Cost</nav>
<h1>{{MODEL}} on {{GPU}}: own or rent?</h1>
{{#UNKNOWN}}<p>The engine has no cost figures for this pairing.</p>{{/UNKNOWN}}
{{#COST}}
<p class="lede">At {{QUANT}} (<span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span>), used {{HPW}} hours a week ({{HOURS}} hours a month).</p>
<div class="grid2">
<section>
<h2>Assumptions</h2>
<table class="kv"><tbody>
<tr><th scope="row">Hardware price</th><td>{{HW_PRICE}}, spread over {{MONTHS}} months ({{HW_MONTH}} a month)</td></tr>
<tr><th scope="row">Power under load</th><td>{{POWER}} W, {{KWH}} kWh a month</td></tr>
<tr><th scope="row">Electricity</th><td>${{KWH_PRICE}} per kWh</td></tr>
<tr><th scope="row">Decode speed</th><td>{{TG}} tok/s <small>{{TG_LABEL}}</small></td></tr>
<tr><th scope="row">Tokens a month</th><td>{{MTOK}} million</td></tr>
</tbody></table>
</section>
<section>
<h2>Monthly cost</h2>
<table class="kv"><tbody>
<tr><th scope="row">Own it</th><td>{{LOCAL}} a month ({{LOCAL_MTOK}} per million tokens)</td></tr>
{{#CLOUD}}<tr><th scope="row">Rent {{CLOUD_GPUS}}</th><td>{{CLOUD_MONTH}} a month ({{CLOUD_MTOK}} per million tokens), {{PROVIDER}} {{INSTANCE}} at {{HOURLY}}/hour, observed {{OBSERVED}}</td></tr>
<tr><th scope="row">Break-even</th><td>{{BREAK_EVEN}}</td></tr>{{/CLOUD}}
{{#NO_CLOUD}}<tr><th scope="row">Rent</th><td>No cloud offer in the catalog runs this model.</td></tr>{{/NO_CLOUD}}
</tbody></table>
</section>
</div>
{{#CLOUD}}
<section>
<h2>Cost over time</h2>
{{#HAVE_CHART}}<figure class="chart" tabindex="0">{{COST_SVG:none}}</figure>{{/HAVE_CHART}}{{#NO_CHART}}<p>No chart: the catalog lacks a figure it needs (the GPU's street price or board power).</p>{{/NO_CHART}}
</section>
{{/CLOUD}}
{{/COST}}
