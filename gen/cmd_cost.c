/* gen cost: owning a GPU against renting the cheapest cloud offer that runs
 * the model (and, optionally, an API): monthly totals, break-even, cost per
 * million generated tokens. Figures come from gen/compute/wir_cost. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd_engine.h"
#include "gen_commands.h"
#include "wir_cost.h"

static void gen_cost_usage(FILE *out) {
    fprintf(out,
            "usage: gen cost --model SLUG --gpu SLUG[:COUNT] [--quant FTYPE] [--ctx N]\n"
            "                [--hours-per-week H] [--kwh-price P] [--months M] [--json]\n"
            "\n"
            "Local hardware (price spread over M months plus electricity) against the cheapest\n"
            "cloud offer in data/cloud/ that runs the model, per month, with the break-even\n"
            "point and the cost per million generated tokens.\n"
            "\n"
            "  --model SLUG          a models/ slug\n"
            "  --gpu SLUG[:N]        the local GPU, N of them\n"
            "  --quant FTYPE         llama.cpp file type (default Q4_K_M)\n"
            "  --ctx N               context tokens (default 4096)\n"
            "  --hours-per-week H    hours of use under load (default %.0f)\n"
            "  --kwh-price P         electricity, USD per kWh (default %.2f)\n"
            "  --months M            amortization period (default %.0f)\n"
            "  --price USD           hardware price (default: the GPU's street price x N)\n"
            "  --power W             power under load (default: the GPU's board power x N)\n"
            "  --api-price USD       an API's price per million output tokens, to compare\n"
            "  --runtime NAME        a runtimes/ profile (default llama-cpp)\n"
            "  --data DIR            the data folder (default: data)\n"
            "  --json                machine-readable output, units in field names\n"
            "  --help                show this help\n",
            WIR_COST_DEFAULT_HOURS_PER_WEEK, WIR_COST_DEFAULT_KWH_PRICE_USD,
            WIR_COST_DEFAULT_MONTHS);
}

typedef struct gen_cost_args {
    gen_engine_opts o;
    wir_cost_request cr;
    bool json;
} gen_cost_args;

/* One --name=VALUE number option into *out; 0 not this option, 1 ok, 2 bad. */
static int gen_cost_number(int argc, char **argv, int *i, const char *name, double min,
                           double max, double *out) {
    const char *v;
    if (!gen_engine_opt(argc, argv, i, name, &v)) return 0;
    return gen_engine_double("cost", name, v, min, max, out) ? 1 : 2;
}

static int gen_cost_parse(int argc, char **argv, gen_cost_args *a) {
    memset(a, 0, sizeof *a);
    a->o = (gen_engine_opts){"data", NULL, "Q4_K_M", NULL, "llama-cpp", 4096};
    wir_cost_request_init(&a->cr);
    for (int i = 1; i < argc; i++) {
        int r = gen_engine_common_opt("cost", argc, argv, &i, &a->o);
        if (r == 2) return 2;
        if (r == 1) continue;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            gen_cost_usage(stdout);
            return 1;
        } else if (!strcmp(argv[i], "--json")) {
            a->json = true;
        } else if ((r = gen_cost_number(argc, argv, &i, "--hours-per-week", 0, 168,
                                        &a->cr.hours_per_week)) ||
                   (r = gen_cost_number(argc, argv, &i, "--kwh-price", 0, 10,
                                        &a->cr.kwh_price_usd)) ||
                   (r = gen_cost_number(argc, argv, &i, "--months", 1, 240, &a->cr.months)) ||
                   (r = gen_cost_number(argc, argv, &i, "--price", 0, 1e7,
                                        &a->cr.hardware_price_usd)) ||
                   (r = gen_cost_number(argc, argv, &i, "--power", 0, 1e5, &a->cr.power_w)) ||
                   (r = gen_cost_number(argc, argv, &i, "--api-price", 0, 1e4,
                                        &a->cr.api_usd_per_mtok))) {
            if (r == 2) return 2;
        } else {
            fprintf(stderr, "gen cost: unexpected argument '%s'\n\n", argv[i]);
            gen_cost_usage(stderr);
            return 2;
        }
    }
    if (!a->o.model || !a->o.gpu) {
        fprintf(stderr, "gen cost: --model and --gpu are required\n\n");
        gen_cost_usage(stderr);
        return 2;
    }
    return 0;
}

static void gen_cost_money(const char *label, double usd, const char *unit) {
    if (isfinite(usd)) printf("  %-34s %10.2f %s\n", label, usd, unit);
    else printf("  %-34s %10s\n", label, "n/a");
}

static void gen_cost_print(const wir_fit_request *rq, const gen_cost_args *a, const wir_fit *f,
                           const wir_cost *k) {
    char label[200];
    printf("%s at %s on %d x %s, %.0f hours a week (%.1f a month)\n", rq->model->name,
           rq->ftype->name, (int)(rq->gpu_count), rq->gpu->name, a->cr.hours_per_week,
           k->hours_per_month);
    printf("local verdict: %s (%s)\n\nlocal:\n", wir_tier_name(f->tier), f->reason);
    gen_cost_money("hardware price", k->hardware_price_usd, "USD");
    printf("  %-34s %10.0f months\n", "amortized over", a->cr.months);
    gen_cost_money("hardware per month", k->hardware_usd_per_month, "USD/month");
    if (k->price_unknown)
        printf("  (no price published for this GPU: pass --price)\n");
    if (k->power_unknown)
        printf("  %-34s %10s (none published: electricity left out; pass --power)\n",
               "power under load", "n/a");
    else
        printf("  %-34s %10.0f W, %.1f kWh/month at %.3f USD/kWh\n", "power under load",
               k->power_w, k->energy_kwh_per_month, a->cr.kwh_price_usd);
    gen_cost_money("electricity per month", k->electricity_usd_per_month, "USD/month");
    gen_cost_money("total per month", k->local_usd_per_month, "USD/month");
    gen_cost_money("per million generated tokens", k->local_usd_per_mtok, "USD/Mtok");
    if (isfinite(k->decode_tokens_per_s)) {
        wir_speed_label_format(&k->speed_label, label, sizeof label);
        printf("  %-34s %10.1f tokens/s, %s\n", "decode speed", k->decode_tokens_per_s, label);
    }
    printf("\ncloud:\n");
    if (!k->cloud) {
        printf("  no offer in data/cloud/ runs this model\n");
    } else {
        printf("  %-34s %s %s (%d x %s), %.2f USD/hour, observed %s\n", "cheapest that runs it",
               k->cloud->provider, k->cloud->instance, (int)k->cloud->gpu_count,
               k->cloud->gpu->name, k->cloud->price_usd_per_hour, k->cloud->observed);
        gen_cost_money("total per month", k->cloud_usd_per_month, "USD/month");
        gen_cost_money("per million generated tokens", k->cloud_usd_per_mtok, "USD/Mtok");
        if (isfinite(k->cloud_decode_tokens_per_s)) {
            wir_speed_label_format(&k->cloud_speed_label, label, sizeof label);
            printf("  %-34s %10.1f tokens/s, %s\n", "decode speed", k->cloud_decode_tokens_per_s,
                   label);
        }
        if (isnan(k->break_even_months))
            printf("  break-even: unknown (no hardware price)\n");
        else if (isinf(k->break_even_months))
            printf("  break-even: never (renting costs less than the electricity)\n");
        else
            printf("  break-even: after %.1f months of this use\n", k->break_even_months);
    }
    if (isfinite(k->api_usd_per_month)) {
        printf("\nAPI at %.2f USD per million tokens:\n", a->cr.api_usd_per_mtok);
        gen_cost_money("same tokens per month", k->api_usd_per_month, "USD/month");
    }
}

static json_t *gen_cost_num(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static void gen_cost_print_json(const wir_fit_request *rq, const gen_cost_args *a,
                                const wir_fit *f, const wir_cost *k) {
    json_t *cloud = json_null();
    if (k->cloud)
        cloud = json_pack("{s:s,s:s,s:i,s:f,s:s,s:o,s:o,s:o}", "offer", k->cloud->slug, "gpu",
                          k->cloud->gpu->slug, "gpu_count", (int)k->cloud->gpu_count,
                          "price_usd_per_hour", k->cloud->price_usd_per_hour, "observed",
                          k->cloud->observed, "usd_per_month", gen_cost_num(k->cloud_usd_per_month),
                          "decode_tokens_per_s", gen_cost_num(k->cloud_decode_tokens_per_s),
                          "usd_per_mtok", gen_cost_num(k->cloud_usd_per_mtok));
    json_t *root = json_pack(
        "{s:s,s:s,s:s,s:i,s:s,s:{s:f,s:f,s:f,s:o},s:f,s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b,s:b},"
        "s:o,s:o,s:o,s:o}",
        "model", rq->model->slug, "quant", rq->ftype->slug, "gpu", rq->gpu->slug, "gpu_count",
        (int)rq->gpu_count, "local_tier", wir_tier_slug(f->tier), "inputs", "hours_per_week",
        a->cr.hours_per_week, "kwh_price_usd", a->cr.kwh_price_usd, "months", a->cr.months,
        "api_usd_per_mtok", gen_cost_num(a->cr.api_usd_per_mtok), "hours_per_month",
        k->hours_per_month, "local", "hardware_price_usd", gen_cost_num(k->hardware_price_usd),
        "hardware_usd_per_month", gen_cost_num(k->hardware_usd_per_month), "power_w",
        gen_cost_num(k->power_w), "energy_kwh_per_month", gen_cost_num(k->energy_kwh_per_month),
        "electricity_usd_per_month", gen_cost_num(k->electricity_usd_per_month), "usd_per_month",
        gen_cost_num(k->local_usd_per_month), "decode_tokens_per_s",
        gen_cost_num(k->decode_tokens_per_s), "usd_per_mtok", gen_cost_num(k->local_usd_per_mtok),
        "price_unknown", k->price_unknown, "power_unknown", k->power_unknown,
        "cloud", cloud, "break_even_months",
        isinf(k->break_even_months) ? json_string("never") : gen_cost_num(k->break_even_months),
        "api_usd_per_month", gen_cost_num(k->api_usd_per_month), "mtok_per_month",
        gen_cost_num(k->mtok_per_month));
    if (!root) {
        fprintf(stderr, "gen cost: internal error building the JSON output\n");
        return;
    }
    json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    printf("\n");
    json_decref(root);
}

int gen_cmd_cost(int argc, char **argv) {
    gen_cost_args a;
    int rc = gen_cost_parse(argc, argv, &a);
    if (rc) return rc == 1 ? 0 : 2;
    wir_catalog *c = gen_engine_load("cost", a.o.data_dir);
    if (!c) return 1;
    wir_fit_request rq;
    wir_fit_request_init(&rq);
    rq.model = gen_engine_model(c, "cost", a.o.model);
    rq.ftype = gen_engine_ftype(c, "cost", a.o.quant);
    rq.runtime = gen_engine_runtime(c, "cost", a.o.runtime);
    rq.gpu = gen_engine_gpu(c, "cost", a.o.gpu, &rq.gpu_count);
    rq.ctx = a.o.ctx;
    wir_weights w;
    wir_fit f;
    wir_cost k;
    if (!rq.model || !rq.ftype || !rq.runtime || !rq.gpu) {
        wir_catalog_free(c);
        return 1;
    }
    if (wir_weights_of(c, rq.model, rq.ftype, &w) != 0 || wir_fit_evaluate(c, &rq, &w, &f) != 0) {
        fprintf(stderr, "gen cost: cannot lay out %s in %s\n", rq.model->slug, rq.ftype->name);
        wir_catalog_free(c);
        return 1;
    }
    wir_calibration cal;
    wir_speed_calibrate(c, &cal);
    a.cr.calibration = &cal;
    wir_speed sp;
    bool speed = f.tier != WIR_TIER_NO &&
                 wir_speed_estimate(c, &cal, &rq, &w, &f.mem, 0, 0, &sp) == 0;
    if (wir_cost_compute(c, &rq, &w, &a.cr, speed ? sp.decode_tokens_per_s : NAN,
                         speed ? &sp.decode_label : NULL, &k) != 0) {
        fprintf(stderr, "gen cost: cannot compute the costs\n");
        wir_catalog_free(c);
        return 1;
    }
    if (a.json) gen_cost_print_json(&rq, &a, &f, &k);
    else gen_cost_print(&rq, &a, &f, &k);
    wir_catalog_free(c);
    return 0;
}
