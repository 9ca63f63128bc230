/* site.paths: wir_site_path_ok admits only paths inside the output folder. */
#include <stdio.h>

#include "wir_site.h"

int main(void) {
    static const char *const good[] = {"index.html", "models/llama-3-1-8b/index.html",
                                       "api/tool/x.json", "assets/style.css", "404.html", NULL};
    static const char *const bad[] = {"", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b",
                                      "a/", "A/index.html", "a b", "a\\b", "..", ".", NULL};
    int fails = 0;
    for (int i = 0; good[i]; i++)
        if (!wir_site_path_ok(good[i])) printf("FAIL: rejected %s\n", good[i]), fails++;
    for (int i = 0; bad[i]; i++)
        if (wir_site_path_ok(bad[i])) printf("FAIL: accepted \"%s\"\n", bad[i]), fails++;
    if (wir_site_path_ok(NULL)) printf("FAIL: accepted NULL\n"), fails++;
    printf("site.paths: %d failures\n", fails);
    return fails != 0;
}
