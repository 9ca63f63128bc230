{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/hardware/">Hardware</a> › Compare</nav>
<h1>{{A}} vs {{B}}</h1>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col"></th><th scope="col"><a href="/hardware/{{A_SLUG}}/">{{A}}</a></th><th scope="col"><a href="/hardware/{{B_SLUG}}/">{{B}}</a></th></tr></thead>
<tbody>{{#SPEC}}<tr><th scope="row">{{KEY}}</th><td>{{VA}}</td><td>{{VB}}</td></tr>{{/SPEC}}</tbody>
</table></div>
<h2>Model by model</h2>
<p class="note">At 8K context; decode tokens per second.</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Model</th><th scope="col">{{A}}</th><th scope="col">{{B}}</th></tr></thead>
<tbody>{{#MODEL}}<tr><th scope="row">{{MODEL}}</th>{{#CELL}}<td><a href="/will-it-run/{{MODEL_SLUG}}/{{GPU_SLUG}}/"><span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span></a> {{QUANT}} · {{TG}} tok/s</td>{{/CELL}}</tr>{{/MODEL}}</tbody>
</table></div>
