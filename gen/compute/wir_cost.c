/* wir_cost: monthly cost of owning against renting, break-even, and cost
 * per million generated tokens. docs/methodology.md's "Cost" section. */
#include "wir_cost.h"

#include <math.h>
#include <string.h>

void wir_cost_request_init(wir_cost_request *cr) {
    cr->hours_per_week = WIR_COST_DEFAULT_HOURS_PER_WEEK;
    cr->kwh_price_usd = WIR_COST_DEFAULT_KWH_PRICE_USD;
    cr->months = WIR_COST_DEFAULT_MONTHS;
    cr->hardware_price_usd = NAN;
    cr->power_w = NAN;
    cr->api_usd_per_mtok = NAN;
    cr->calibration = NULL;
}

/* Decode speed of rq on the offer's GPUs, into out's cloud fields. */
static void wir_cost_cloud_speed(const wir_catalog *c, const wir_fit_request *rq,
                                 const wir_weights *w, const wir_cost_request *cr,
                                 wir_cost *out) {
    out->cloud_decode_tokens_per_s = NAN;
    if (!out->cloud) return;
    wir_fit_request r = *rq;
    r.gpu = out->cloud->gpu;
    r.gpu_count = out->cloud->gpu_count;
    r.gpu_memory_bytes = 0;
    r.n_gpu_layers = -1;
    wir_memory mem;
    wir_speed sp;
    if (wir_memory_of(c, &r, w, &mem) != 0 ||
        wir_speed_estimate(c, cr->calibration, &r, w, &mem, 0, 0, &sp) != 0)
        return;
    out->cloud_decode_tokens_per_s = sp.decode_tokens_per_s;
    out->cloud_speed_label = sp.decode_label;
}

/* The cheapest offer whose GPUs hold rq's model (tier TIGHT or better). */
static const wir_cloud_offer *wir_cost_cheapest_cloud(const wir_catalog *c,
                                                      const wir_fit_request *rq,
                                                      const wir_weights *w) {
    const wir_cloud_offer *best = NULL;
    for (size_t i = 0; i < c->n_cloud; i++) {
        const wir_cloud_offer *o = &c->cloud[i];
        if (!o->gpu || !isfinite(o->price_usd_per_hour)) continue;
        if (best && o->price_usd_per_hour >= best->price_usd_per_hour) continue;
        wir_fit_request r = *rq;
        r.gpu = o->gpu;
        r.gpu_count = o->gpu_count;
        r.gpu_memory_bytes = 0;
        r.host_ram_bytes = 0;
        r.n_gpu_layers = -1;
        wir_fit f;
        if (wir_fit_evaluate(c, &r, w, &f) == 0 && f.tier <= WIR_TIER_TIGHT) best = o;
    }
    return best;
}

int wir_cost_compute(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                     const wir_cost_request *cr, double tokens_per_s,
                     const wir_speed_label *speed_label, wir_cost *out) {
    memset(out, 0, sizeof *out);
    if (!c || !rq || !rq->gpu || !cr || !(cr->hours_per_week >= 0) || !(cr->months > 0) ||
        !(cr->kwh_price_usd >= 0))
        return -1;
    int32_t n = rq->gpu_count > 0 ? rq->gpu_count : 1;
    out->hours_per_month = cr->hours_per_week * WIR_COST_WEEKS_PER_MONTH;

    double unit_price = isfinite(rq->gpu->street_price_usd) ? rq->gpu->street_price_usd
                                                            : rq->gpu->launch_price_usd;
    out->hardware_price_usd =
        isfinite(cr->hardware_price_usd) ? cr->hardware_price_usd : unit_price * n;
    out->price_unknown = !isfinite(out->hardware_price_usd);
    out->hardware_usd_per_month = out->hardware_price_usd / cr->months;
    out->power_w = isfinite(cr->power_w) ? cr->power_w : rq->gpu->board_power_w * n;
    out->power_unknown = !isfinite(out->power_w);
    /* Without a power figure the electricity is left out, and said so. */
    out->energy_kwh_per_month =
        out->power_unknown ? 0.0 : out->power_w / 1000.0 * out->hours_per_month;
    out->electricity_usd_per_month = out->energy_kwh_per_month * cr->kwh_price_usd;
    out->local_usd_per_month = out->hardware_usd_per_month + out->electricity_usd_per_month;

    out->cloud = wir_cost_cheapest_cloud(c, rq, w);
    out->cloud_usd_per_month =
        out->cloud ? out->cloud->price_usd_per_hour * out->hours_per_month : NAN;
    /* Owning pays off when the rent saved, less the electricity owning
     * costs, has repaid the hardware. */
    double saved = out->cloud_usd_per_month - out->electricity_usd_per_month;
    out->break_even_months = !out->cloud ? NAN
                             : saved > 0 ? out->hardware_price_usd / saved
                                         : INFINITY;

    out->decode_tokens_per_s = tokens_per_s;
    if (speed_label) out->speed_label = *speed_label;
    bool speed = isfinite(tokens_per_s) && tokens_per_s > 0;
    out->mtok_per_month = speed ? tokens_per_s * 3600.0 * out->hours_per_month / 1e6 : NAN;
    bool tokens = speed && out->mtok_per_month > 0;
    out->local_usd_per_mtok = tokens ? out->local_usd_per_month / out->mtok_per_month : NAN;
    wir_cost_cloud_speed(c, rq, w, cr, out);
    double cloud_mtok = out->cloud_decode_tokens_per_s * 3600.0 * out->hours_per_month / 1e6;
    out->cloud_usd_per_mtok = cloud_mtok > 0 ? out->cloud_usd_per_month / cloud_mtok : NAN;
    out->api_usd_per_month = isfinite(cr->api_usd_per_mtok) && speed
                                 ? cr->api_usd_per_mtok * out->mtok_per_month
                                 : NAN;
    return 0;
}
