{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/models/{{MODEL_SLUG}}/">{{MODEL}}</a> › Choose a GPU</nav>
<h1>Which GPU for {{MODEL}}?</h1>
<p class="lede">GPUs that hold the whole model at 8K context, ranked by decode speed per thousand dollars of street price.</p>
{{#HAVE_RANKED}}
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col" class="num">#</th><th scope="col">GPU</th><th scope="col">Quant</th><th scope="col" class="num">Decode tok/s</th><th scope="col" class="num">Street price</th><th scope="col" class="num">tok/s per $1,000</th></tr></thead>
<tbody>{{#RANKED}}<tr><td class="num">{{RANK}}</td><td><a href="/will-it-run/{{MODEL_SLUG}}/{{GPU_SLUG}}/">{{GPU}}</a></td><td>{{QUANT}}</td><td class="num">{{TG}}</td><td class="num">{{PRICE}}</td><td class="num">{{PER_KUSD}}</td></tr>{{/RANKED}}</tbody>
</table></div>
{{/HAVE_RANKED}}
<h2>Not ranked</h2>
<p class="note">These do not hold the whole model (or have no price).</p>
<ul class="cols">{{#OTHER}}<li><a href="/will-it-run/{{MODEL_SLUG}}/{{GPU_SLUG}}/">{{GPU}}</a>: <span class="tier tier-{{TIER}}">{{TIER_TEXT}}</span></li>{{/OTHER}}</ul>
