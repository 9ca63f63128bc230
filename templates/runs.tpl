{{%AUTOESCAPE context="HTML"}}
<h1>Benchmark runs</h1>
{{#HAVE_RUNS}}
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Run</th><th scope="col">Model</th><th scope="col">Quant</th><th scope="col">Hardware</th><th scope="col">Backend</th><th scope="col" class="num">Decode tok/s</th><th scope="col" class="num">Prefill tok/s</th><th scope="col">Source</th></tr></thead>
<tbody>{{#RUN}}<tr><td><a href="/runs/{{RUN_ID}}/">{{RUN_ID}}</a></td><td>{{RUN_MODEL}}</td><td>{{RUN_QUANT}}</td><td>{{RUN_HW}}</td><td>{{RUN_BACKEND}}</td><td class="num">{{RUN_TG}}</td><td class="num">{{RUN_PP}}</td><td>{{RUN_SOURCE}}</td></tr>
{{/RUN}}</tbody>
</table></div>
{{/HAVE_RUNS}}
{{#NO_RUNS_HERE}}<p>No measured runs in this build. Every speed on the site is an estimate.</p>{{/NO_RUNS_HERE}}
