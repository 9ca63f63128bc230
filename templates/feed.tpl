{{%AUTOESCAPE context="XML"}}
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>willitrun: new results and verdicts</title>
<id>tag:willitrun,2026:feed</id>
<link href="{{BASE}}/feed.xml" rel="self"/>
<link href="{{BASE}}/"/>
<updated>{{UPDATED}}T00:00:00Z</updated>
{{#ENTRY}}<entry><title>{{TITLE}}</title><id>tag:willitrun,2026:{{ID}}</id><link href="{{BASE}}{{HREF}}"/><updated>{{DATE}}T00:00:00Z</updated><author><name>{{AUTHOR}}</name></author><summary>{{SUMMARY}}</summary></entry>
{{/ENTRY}}</feed>
