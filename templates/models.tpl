{{%AUTOESCAPE context="HTML"}}
<h1>Models</h1>
<p class="lede">Open-weight models in the catalog. File sizes are for the Q4_K_M GGUF the engine sizes tensor by tensor.</p>
<div class="scroll" tabindex="0"><table>
<thead><tr><th scope="col">Model</th><th scope="col">Family</th><th scope="col" class="num">Parameters</th><th scope="col" class="num">Context</th><th scope="col" class="num">Q4_K_M file</th><th scope="col">Released</th></tr></thead>
<tbody>
{{#MODEL}}<tr><td><a href="/models/{{SLUG}}/">{{NAME}}</a>{{#MOE}} <span class="tag">MoE</span>{{/MOE}}</td><td>{{FAMILY}}</td><td class="num">{{PARAMS}}</td><td class="num">{{CTX}}</td><td class="num">{{Q4_SIZE}}</td><td>{{RELEASED}}</td></tr>
{{/MODEL}}</tbody>
</table></div>
