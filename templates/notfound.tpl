{{%AUTOESCAPE context="HTML"}}
<h1>Page not found</h1>
<p class="lede">There is no page at this address. It may have been renamed when the catalog changed.</p>
<ul class="cards"><li><a href="/">Home</a></li><li><a href="/models/">All models</a></li><li><a href="/hardware/">All hardware</a></li><li><a href="/tool/">The calculator</a></li></ul>
