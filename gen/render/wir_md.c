#define _XOPEN_SOURCE 700
#include "wir_md.h"

#include <cmark.h>
#include <stdlib.h>
#include <string.h>

void wir_md_render(const char *markdown, wir_buf *out) {
    /* CMARK_OPT_SAFE is a no-op since cmark 0.29 (safe is the default); it
     * is passed anyway so the intent survives an older libcmark. */
    int options = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE | CMARK_OPT_SMART;
    cmark_node *doc = cmark_parse_document(markdown, strlen(markdown), options);
    if (!doc) abort();
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_HEADING) {
            int level = cmark_node_get_heading_level(n);
            cmark_node_set_heading_level(n, level < 6 ? level + 1 : 6);
        }
    }
    cmark_iter_free(it);
    char *html = cmark_render_html(doc, options);
    cmark_node_free(doc);
    if (!html) abort();
    wir_buf_puts(out, html);
    free(html);
}
