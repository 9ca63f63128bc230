/* wir_md: CommonMark to HTML for verdicts and pages (cmark).
 *
 * Data files are text an editor wrote, not markup the site trusts: raw HTML
 * in them is dropped and javascript:/data: links are emptied (cmark's safe
 * default; CMARK_OPT_UNSAFE is never set). Headings are shifted down one
 * level so a body's "#" never competes with the page's own <h1>. */
#ifndef WIR_MD_H
#define WIR_MD_H

#include "wir_buf.h"

/* Appends the HTML of markdown to out. */
void wir_md_render(const char *markdown, wir_buf *out);

#endif
