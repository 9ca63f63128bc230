#!/usr/bin/env python3
"""Every internal link and asset of a built site resolves to a file.

usage: linkcheck.py SITE_DIR
Reads every .html file, collects href/src values that start with "/", and
checks that each names a file (a folder URL needs its index.html). Prints
each broken link with the page it is on; exits 1 when there is any."""
import html.parser
import json
import os
import sys
import xml.etree.ElementTree as ET


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("href", "src") and v and v.startswith("/") and not v.startswith("//"):
                self.urls.append(v)


def main():
    root = sys.argv[1]
    bad = checked = 0
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".html"):
                continue
            page = os.path.join(d, f)
            p = Links()
            with open(page, encoding="utf-8") as fh:
                p.feed(fh.read())
            for url in p.urls:
                path = url.split("#")[0].split("?")[0]
                target = os.path.join(root, path.lstrip("/"))
                if path.endswith("/"):
                    target = os.path.join(target, "index.html")
                checked += 1
                if not os.path.isfile(target):
                    print(f"{os.path.relpath(page, root)}: broken link {url}")
                    bad += 1
    # The machine-readable files parse, and the sitemap lists only pages
    # that exist.
    for name in ("sitemap.xml", "feed.xml"):
        try:
            ET.parse(os.path.join(root, name))
        except (OSError, ET.ParseError) as e:
            print(f"{name}: not well-formed XML: {e}")
            bad += 1
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    try:
        for loc in ET.parse(os.path.join(root, "sitemap.xml")).getroot().findall("s:url/s:loc", ns):
            path = loc.text.split("://", 1)[-1]
            path = path[path.index("/"):] if "://" in loc.text else path
            target = os.path.join(root, path.lstrip("/"))
            if path.endswith("/"):
                target = os.path.join(target, "index.html")
            checked += 1
            if not os.path.isfile(target):
                print(f"sitemap.xml: {loc.text} is not a page")
                bad += 1
    except (OSError, ET.ParseError):
        pass
    for d, _, files in os.walk(os.path.join(root, "api")):
        for f in files:
            try:
                with open(os.path.join(d, f), encoding="utf-8") as fh:
                    json.load(fh)
            except (OSError, ValueError) as e:
                print(f"{os.path.relpath(os.path.join(d, f), root)}: not JSON: {e}")
                bad += 1
    print(f"linkcheck: {checked} internal links, {bad} broken")
    return 1 if bad else 0


sys.exit(main())
