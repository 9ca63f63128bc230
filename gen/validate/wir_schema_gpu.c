/* gpus/<slug>.json (data/README.md). The plausible ranges are wide enough
 * for anything from a 2 GB laptop part to a rack-scale accelerator, and
 * narrow enough to catch a unit slip (GiB for bytes, TB/s for GB/s, sparse
 * for dense). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "wir_schema.h"

static const char *const wir_gpu_keys[] = {
    "slug", "name", "vendor", "segment", "architecture", "memory_bytes", "memory_type",
    "unified_memory", "memory_bandwidth_gb_s", "fp16_tensor_tflops", "fp32_tflops",
    "board_power_w", "compute_capability", "release_date", "launch_price_usd", "street_price",
    "interconnect", "sources", "cite", NULL};

static const wir_figure wir_gpu_figures[] = {
    {"architecture", false},       {"memory_bytes", false},     {"memory_type", false},
    {"memory_bandwidth_gb_s", false}, {"fp16_tensor_tflops", true}, {"fp32_tflops", false},
    {"board_power_w", true},       {"compute_capability", false}, {"release_date", false},
    {"launch_price_usd", true},    {"street_price.usd", false},
    {"street_price", WIR_FIG_NULL_ONLY}, {NULL, false}};

static const char *const wir_gpu_vendors[] = {"nvidia", "amd", "intel", "apple", NULL};
static const char *const wir_gpu_segments[] = {"consumer", "workstation", "datacenter", "soc", NULL};
static const char *const wir_gpu_conditions[] = {"new", "used", NULL};

/* "8.9", "12.0": major.minor digits. */
static bool wir_gpu_is_compute_capability(const char *s) {
    size_t a = strspn(s, "0123456789");
    if (a == 0 || a > 2 || s[a] != '.') return false;
    size_t b = strspn(s + a + 1, "0123456789");
    return b >= 1 && b <= 2 && s[a + 1 + b] == '\0';
}

static void wir_gpu_compute_capability(const wir_jobj *root, wir_gpu *g, int vendor) {
    json_t *v = json_object_get(root->obj, "compute_capability");
    if (!v) {
        wir_jfile_problem(root->f, "compute_capability", "missing required field");
        return;
    }
    char got[96];
    wir_json_describe(v, got, sizeof got);
    if (vendor >= 0 && vendor != WIR_VENDOR_NVIDIA) {
        if (!json_is_null(v))
            wir_jfile_problem(root->f, "compute_capability",
                              "expected null (CUDA compute capability is NVIDIA's), got %s", got);
        return;
    }
    if (!json_is_string(v) || !wir_gpu_is_compute_capability(json_string_value(v))) {
        wir_jfile_problem(root->f, "compute_capability",
                          "expected a CUDA compute capability such as \"8.9\", got %s", got);
        return;
    }
    g->compute_capability = wir_strdup(json_string_value(v));
}

static void wir_gpu_street_price(const wir_jobj *root, wir_gpu *g) {
    static const char *const keys[] = {"usd", "date", "condition", NULL};
    wir_jobj sp;
    g->street_price_usd = NAN;
    /* Null where no dated price can be observed (most datacenter parts are
     * sold only through system integrators); a cite note must say so. */
    if (!wir_jr_object(root, "street_price", WIR_JR_NULLABLE, &sp)) return;
    wir_jr_known(&sp, keys);
    wir_jr_number(&sp, "usd", 0, "a price in USD", 1, 1e6, &g->street_price_usd);
    wir_jr_date(&sp, "date", WIR_JR_PAST, true, &g->street_price_date);
    wir_jr_enum(&sp, "condition", 0, wir_gpu_conditions, &g->street_price_condition, NULL);
}

void wir_schema_gpu(wir_jfile *f, const char *stem, wir_gpu *g) {
    memset(g, 0, sizeof *g);
    g->launch_price_usd = g->street_price_usd = NAN;
    g->memory_bandwidth_gb_s = g->fp16_tensor_tflops = g->fp32_tflops = g->board_power_w = NAN;
    g->loc.file = f->path;
    g->loc.line = g->loc.column = 1;
    wir_jobj root;
    if (!wir_jr_root(f, &root)) return;
    wir_jpos_value(f->pos, "", &g->loc.line, &g->loc.column);
    wir_jr_known(&root, wir_gpu_keys);

    if (wir_jr_slug(&root, "slug", 0, &g->slug)) wir_schema_check_slug(&root, g->slug, stem);
    wir_jr_string(&root, "name", 0, &g->name);
    char *vendor = NULL;
    int vendor_index = -1;
    wir_jr_enum(&root, "vendor", 0, wir_gpu_vendors, &vendor, &vendor_index);
    free(vendor);
    if (vendor_index >= 0) g->vendor = (wir_vendor)vendor_index;
    wir_jr_enum(&root, "segment", 0, wir_gpu_segments, &g->segment, NULL);
    wir_jr_string(&root, "architecture", 0, &g->architecture);
    wir_jr_int(&root, "memory_bytes", 0, "an integer number of bytes", (int64_t)1 << 28,
               (int64_t)1 << 42, &g->memory_bytes);
    wir_jr_string(&root, "memory_type", 0, &g->memory_type);
    wir_jr_bool(&root, "unified_memory", 0, &g->unified_memory);
    wir_jr_number(&root, "memory_bandwidth_gb_s", 0, "a bandwidth in GB/s", 10, 20000,
                  &g->memory_bandwidth_gb_s);
    /* Null where the vendor publishes no FP16 matrix or vector rate (Apple,
     * or Intel's XMX, published only as INT8 TOPS); the speed engine then
     * gives no prefill estimate rather than an invented one. */
    wir_jr_number(&root, "fp16_tensor_tflops", WIR_JR_NULLABLE, "a throughput in TFLOPS", 0.1,
                  10000, &g->fp16_tensor_tflops);
    wir_jr_number(&root, "fp32_tflops", 0, "a throughput in TFLOPS", 0.1, 1000, &g->fp32_tflops);
    /* Null where no board or package power is published (Apple gives only
     * whole-system figures); cost then leaves electricity out and says so. */
    wir_jr_number(&root, "board_power_w", WIR_JR_NULLABLE, "a power in watts", 5, 2000,
                  &g->board_power_w);
    wir_gpu_compute_capability(&root, g, vendor_index);
    wir_jr_date(&root, "release_date", 0, true, &g->release_date);
    wir_jr_number(&root, "launch_price_usd", WIR_JR_NULLABLE, "a price in USD", 1, 1e6,
                  &g->launch_price_usd);
    wir_gpu_street_price(&root, g);
    wir_jr_string(&root, "interconnect", WIR_JR_NULLABLE, &g->interconnect);

    /* A SoC's GPU shares the system RAM (memory_bytes is all of it). The
     * converse does not hold: some datacenter APUs share memory too. */
    if (g->segment && !strcmp(g->segment, "soc") &&
        json_is_false(json_object_get(root.obj, "unified_memory")))
        wir_jfile_problem(f, "unified_memory", "expected true for segment \"soc\", got false");
    wir_schema_provenance(&root, wir_gpu_figures, &g->prov);
}

void wir_gpu_free(wir_gpu *g) {
    free(g->slug);
    free(g->name);
    free(g->segment);
    free(g->architecture);
    free(g->memory_type);
    free(g->compute_capability);
    free(g->release_date);
    free(g->street_price_date);
    free(g->street_price_condition);
    free(g->interconnect);
    wir_provenance_free(&g->prov);
}
