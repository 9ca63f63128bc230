{{%AUTOESCAPE context="HTML"}}
<nav class="crumbs" aria-label="Breadcrumb"><a href="/runs/">Benchmark runs</a> › {{RUN_ID}}</nav>
<h1>{{RUN_MODEL}} {{RUN_QUANT}} on {{RUN_HW}}</h1>
<div class="grid2">
<section>
<h2>Settings</h2>
<table class="kv"><tbody>{{#SPEC}}<tr><th scope="row">{{KEY}}</th><td>{{VALUE}}</td></tr>{{/SPEC}}</tbody></table>
{{#IMPORTED}}<p>Published result: <a href="{{URL}}" rel="noopener">{{TITLE}}</a> (accessed {{ACCESSED}}).</p>{{/IMPORTED}}
{{#SUBMITTED}}<p>Submitted with the probe by <strong class="handle">{{SUBMITTER}}</strong>, received <time>{{SUBMITTED_AT}}</time>, measured <time>{{MEASURED_AT}}</time>; reviewed and accepted by an editor.</p>
<h3>Host and software</h3>
<table class="kv"><tbody>{{#HOST}}<tr><th scope="row">{{KEY}}</th><td>{{VALUE}}</td></tr>{{/HOST}}</tbody></table>{{/SUBMITTED}}
{{#LOCAL}}<p class="banner"><strong>Not reviewed.</strong> A local probe run read from the results database <code>{{DB_NAME}}</code>, measured <time>{{MEASURED_AT}}</time>. It passed the intake's automatic checks, but no editor has reviewed it, and the estimates elsewhere on the site are not calibrated on it.</p>
<h3>Host and software</h3>
<table class="kv"><tbody>{{#HOST}}<tr><th scope="row">{{KEY}}</th><td>{{VALUE}}</td></tr>{{/HOST}}</tbody></table>{{/LOCAL}}
<p>{{NOTE}}</p>
</section>
<section>
<h2>Results (measured)</h2>
<table>
<thead><tr><th scope="col">Test</th><th scope="col" class="num">Depth</th><th scope="col" class="num">tok/s</th><th scope="col" class="num">± sd</th></tr></thead>
<tbody>{{#RESULT}}<tr><td>{{TEST}}</td><td class="num">{{DEPTH}}</td><td class="num">{{TPS}}</td><td class="num">{{SD}}</td></tr>{{/RESULT}}</tbody>
</table>
</section>
</div>
<h2>Reproduce</h2>
<pre tabindex="0"><code>{{PROBE}}</code></pre>
<p><a href="/models/{{MODEL_SLUG}}/">More about {{RUN_MODEL}}</a></p>
