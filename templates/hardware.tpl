{{%AUTOESCAPE context="HTML"}}
<h1>Hardware</h1>
<p class="lede">GPUs and Apple silicon. Memory decides what fits; bandwidth decides how fast it generates.</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">GPU</th><th scope="col">Vendor</th><th scope="col">Segment</th><th scope="col" class="num">Memory</th><th scope="col" class="num">Bandwidth GB/s</th><th scope="col" class="num">Street price</th></tr></thead>
<tbody>{{#GPU}}<tr><td><a href="/hardware/{{SLUG}}/">{{NAME}}</a></td><td>{{VENDOR}}</td><td>{{SEGMENT}}</td><td class="num">{{MEMORY}}</td><td class="num">{{BANDWIDTH}}</td><td class="num">{{PRICE}}</td></tr>
{{/GPU}}</tbody>
</table></div>
<h2>Compare</h2>
<ul class="cards">{{#COMPARE}}<li><a href="{{HREF}}">{{TEXT}}</a></li>{{/COMPARE}}</ul>
