// wir_tpl.cc: the project's only C++. A thin extern "C" wrapper around
// Google ctemplate (see wir_tpl.h); no exception crosses into C: every entry
// point catches everything and reports failure as a return value (or aborts
// on allocation failure, as wir_buf does).
// The common headers are plain C without extern "C" guards of their own.
extern "C" {
#include "wir_buf.h"
#include "wir_diag.h"
}
#include "wir_tpl.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <set>
#include <string>

#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_dictionary.h>

struct wir_tpl_set {
    ctemplate::TemplateCache cache;
    std::set<std::string> keys;
    size_t count = 0;
    bool frozen = false;
};

// A dictionary handle is the ctemplate dictionary itself: children are
// owned by their parent inside ctemplate.
static ctemplate::TemplateDictionary *wir_tpl_cxx(wir_tpl_dict *d) {
    return reinterpret_cast<ctemplate::TemplateDictionary *>(d);
}
static const ctemplate::TemplateDictionary *wir_tpl_cxx(const wir_tpl_dict *d) {
    return reinterpret_cast<const ctemplate::TemplateDictionary *>(d);
}
static wir_tpl_dict *wir_tpl_c(ctemplate::TemplateDictionary *d) {
    return reinterpret_cast<wir_tpl_dict *>(d);
}

// Out of memory, or a bug in the caller: nothing sensible to go on with.
[[noreturn]] static void wir_tpl_fatal(const char *what) {
    std::fprintf(stderr, "gen: template engine: %s\n", what);
    std::abort();
}

extern "C" {

wir_tpl_set *wir_tpl_set_new(void) {
    try {
        return new wir_tpl_set;
    } catch (...) {
        wir_tpl_fatal("cannot create a template set");
    }
}

int wir_tpl_set_add(wir_tpl_set *set, const char *key, const char *text, size_t len) {
    try {
        if (set->frozen) return -1;
        if (!set->cache.StringToTemplateCache(key, text, len, ctemplate::STRIP_BLANK_LINES))
            return -1;
        set->keys.insert(key);
        set->count++;
        return 0;
    } catch (...) {
        return -1;
    }
}

void wir_tpl_set_freeze(wir_tpl_set *set) {
    try {
        set->cache.Freeze();
        set->frozen = true;
    } catch (...) {
        wir_tpl_fatal("cannot freeze the template set");
    }
}

size_t wir_tpl_set_count(const wir_tpl_set *set) { return set ? set->count : 0; }

bool wir_tpl_set_has(const wir_tpl_set *set, const char *key) {
    try {
        return set && key && set->keys.count(key) > 0;
    } catch (...) {
        return false;
    }
}

void wir_tpl_set_free(wir_tpl_set *set) {
    try {
        delete set;
    } catch (...) {
    }
}

wir_tpl_dict *wir_tpl_dict_new(void) {
    try {
        return wir_tpl_c(new ctemplate::TemplateDictionary("page"));
    } catch (...) {
        wir_tpl_fatal("cannot create a dictionary");
    }
}

void wir_tpl_dict_free(wir_tpl_dict *d) {
    try {
        delete wir_tpl_cxx(d);
    } catch (...) {
    }
}

void wir_tpl_set_value(wir_tpl_dict *d, const char *name, const char *value) {
    try {
        wir_tpl_cxx(d)->SetValue(name, value ? value : "");
    } catch (...) {
        wir_tpl_fatal("cannot set a value");
    }
}

void wir_tpl_set_valuef(wir_tpl_dict *d, const char *name, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = std::vsnprintf(nullptr, 0, fmt, ap);
    va_end(ap);
    if (n < 0) wir_tpl_fatal("bad format");
    std::string s(static_cast<size_t>(n) + 1, '\0');
    std::vsnprintf(&s[0], s.size(), fmt, ap2);
    va_end(ap2);
    s.resize(static_cast<size_t>(n));
    wir_tpl_set_value(d, name, s.c_str());
}

void wir_tpl_show(wir_tpl_dict *d, const char *section) {
    try {
        wir_tpl_cxx(d)->ShowSection(section);
    } catch (...) {
        wir_tpl_fatal("cannot show a section");
    }
}

wir_tpl_dict *wir_tpl_add_section(wir_tpl_dict *d, const char *section) {
    try {
        return wir_tpl_c(wir_tpl_cxx(d)->AddSectionDictionary(section));
    } catch (...) {
        wir_tpl_fatal("cannot add a section");
    }
}

wir_tpl_dict *wir_tpl_add_include(wir_tpl_dict *d, const char *name, const char *file) {
    try {
        ctemplate::TemplateDictionary *child = wir_tpl_cxx(d)->AddIncludeDictionary(name);
        child->SetFilename(file);
        return wir_tpl_c(child);
    } catch (...) {
        wir_tpl_fatal("cannot add an include");
    }
}

int wir_tpl_expand(const wir_tpl_set *set, const char *file, const wir_tpl_dict *d, wir_buf *out,
                   char **error) {
    *error = nullptr;
    try {
        std::string s;
        if (!set->frozen) {
            *error = strdup("the template set is not frozen");
            return -1;
        }
        if (!set->cache.ExpandNoLoad(file, ctemplate::STRIP_BLANK_LINES, wir_tpl_cxx(d), nullptr,
                                     &s)) {
            std::string msg = std::string("cannot expand ") + file +
                              " (not in templates/, or an include it names is missing)";
            *error = strdup(msg.c_str());
            return -1;
        }
        wir_buf_append(out, s.data(), s.size());
        return 0;
    } catch (const std::exception &e) {
        *error = strdup(e.what());
        return -1;
    } catch (...) {
        *error = strdup("template expansion failed");
        return -1;
    }
}

}  // extern "C"
