/* wir_cost: owning a GPU against renting one (and against an API).
 *
 * Local: the hardware price spread over months, plus electricity
 * (power under load x hours x price per kWh). Cloud: the cheapest offer in
 * data/cloud/ whose instance runs the model (enough GPUs of memory for the
 * weights, cache and buffers), x hours. API: price per million tokens x
 * the tokens the hours generate at the estimated or measured speed.
 * docs/methodology.md states the defaults; every input is overridable.
 */
#ifndef WIR_COST_H
#define WIR_COST_H

#include <stdbool.h>
#include <stdint.h>

#include "wir_fit.h"
#include "wir_speed.h"

#define WIR_COST_DEFAULT_HOURS_PER_WEEK 20.0
#define WIR_COST_DEFAULT_KWH_PRICE_USD 0.17
#define WIR_COST_DEFAULT_MONTHS 36.0
#define WIR_COST_WEEKS_PER_MONTH (52.0 / 12.0)

typedef struct wir_cost_request {
    double hours_per_week;      /* use under load (default 20) */
    double kwh_price_usd;       /* default 0.17 */
    double months;              /* amortization period (default 36) */
    double hardware_price_usd;  /* NAN: the GPU's street price x count (its
                                   launch price when no street price) */
    double power_w;             /* NAN: the GPU's board power x count */
    double api_usd_per_mtok;    /* NAN: no API comparison */
    const wir_calibration *calibration; /* for the cloud offer's speed;
                                           NULL: the defaults */
} wir_cost_request;

void wir_cost_request_init(wir_cost_request *cr);

typedef struct wir_cost {
    double hours_per_month;
    /* local */
    bool price_unknown;             /* no price given or published: the
                                       hardware figures are NAN */
    bool power_unknown;             /* no power given or published: the
                                       electricity is left out (0) */
    double hardware_price_usd;
    double hardware_usd_per_month;
    double power_w;
    double energy_kwh_per_month;
    double electricity_usd_per_month;
    double local_usd_per_month;
    double local_usd_per_mtok;      /* NAN without a speed */
    /* cloud */
    const wir_cloud_offer *cloud;   /* NULL: no offer runs the model */
    double cloud_usd_per_month;
    double cloud_decode_tokens_per_s; /* the offer's speed (estimated or
                                         measured); NAN when unknown */
    wir_speed_label cloud_speed_label;
    double cloud_usd_per_mtok;      /* at the offer's speed; NAN without one */
    double break_even_months;       /* hardware price / (cloud - electricity)
                                       per month; INFINITY when renting is
                                       cheaper than the electricity */
    /* API */
    double api_usd_per_month;       /* NAN without api_usd_per_mtok */
    /* speed used for per-token figures */
    double decode_tokens_per_s;     /* NAN when unknown */
    double mtok_per_month;          /* million tokens generated per month */
    wir_speed_label speed_label;
} wir_cost;

/* Costs of running rq (the local hardware is rq->gpu x rq->gpu_count) at
 * decode speed tokens_per_s (NAN: per-token figures NAN). The cloud offer is
 * searched among c->cloud with wir_fit_evaluate (tier TIGHT or better on
 * the offer's GPUs). Returns 0, or -1 without a GPU or on bad inputs. */
int wir_cost_compute(const wir_catalog *c, const wir_fit_request *rq, const wir_weights *w,
                     const wir_cost_request *cr, double tokens_per_s,
                     const wir_speed_label *speed_label, wir_cost *out);

#endif
