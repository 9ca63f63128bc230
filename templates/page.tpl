{{%AUTOESCAPE context="HTML"}}
<article class="prose">
<h1>{{TITLE}}</h1>
{{BODY:none}}
{{#HAVE_SOURCES}}<h2>Sources</h2>
<ul class="sources">{{#SOURCE}}<li><a href="{{URL}}" rel="noopener">{{TITLE}}</a></li>{{/SOURCE}}</ul>{{/HAVE_SOURCES}}
</article>
