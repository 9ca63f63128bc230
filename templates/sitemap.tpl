{{%AUTOESCAPE context="XML"}}
<?xml version="1.0" encoding="UTF-8"?>
{{#NO_BASE}}<!-- Built without a base URL: locations are root-relative. Give gen build the base-url option (https://HOST) for crawlers. -->
{{/NO_BASE}}<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{{#URL}}<url><loc>{{BASE}}{{LOC}}</loc><lastmod>{{BUILD_DATE}}</lastmod></url>
{{/URL}}</urlset>
