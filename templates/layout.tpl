{{%AUTOESCAPE context="HTML"}}
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{TITLE}} · willitrun</title>
<meta name="description" content="{{DESCRIPTION}}">
<link rel="stylesheet" href="/assets/style.css">
<link rel="icon" href="data:,">
<link rel="alternate" type="application/atom+xml" title="New results and verdicts" href="/feed.xml">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<div class="wrap top-in">
<a class="brand" href="/">will<b>it</b>run</a>
<nav aria-label="Main">
<a href="/models/"{{#NAV_MODELS}} aria-current="page"{{/NAV_MODELS}}>Models</a>
<a href="/hardware/"{{#NAV_HARDWARE}} aria-current="page"{{/NAV_HARDWARE}}>Hardware</a>
<a href="/tool/"{{#NAV_TOOL}} aria-current="page"{{/NAV_TOOL}}>Calculator</a>
<a href="/runs/"{{#NAV_RUNS}} aria-current="page"{{/NAV_RUNS}}>Benchmarks</a>
<a href="/methodology/"{{#NAV_METHODOLOGY}} aria-current="page"{{/NAV_METHODOLOGY}}>Methodology</a>
</nav>
</div>
</header>
{{#NO_RUNS}}<p class="banner wrap">No measured runs are in this build: every speed below is an <strong>estimate</strong> from the published specifications and the <a href="/methodology/">methodology</a>.</p>{{/NO_RUNS}}
<main id="main" class="wrap">
{{>MAIN}}
</main>
<footer class="foot">
<div class="wrap">
<p>willitrun: every figure has a source; estimates are labelled as such. Built {{BUILD_DATE}}.{{#NO_DB}} This build read no probe results database: measured figures are the published results in the catalog, everything else is the engine's estimate.{{/NO_DB}}{{#WITH_DB}} Measured figures were read from the results database {{DB_NAME}} and checked against the reviewed runs in the catalog{{#WITH_LOCAL}}; {{LOCAL_RUNS}} shown marked <strong>not reviewed</strong>{{/WITH_LOCAL}}.{{/WITH_DB}}</p>
<p><a href="/methodology/">Methodology</a> · <a href="/feed.xml">Atom feed</a> · <a href="/api/catalog.json">Catalog JSON</a> · <a href="/sitemap.xml">Sitemap</a></p>
</div>
</footer>
</body>
</html>
