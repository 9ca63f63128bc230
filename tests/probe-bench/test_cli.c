/* probe.cli.*: the probe binary's `run` and `list`.
 *   errors        every usage error exits 2 with a message naming the option
 *   run           the smallest catalog model at tiny sizes, two depths: the
 *                 Markdown table, the --profile table, the database rows
 *   json          --json parsed back with Jansson and matched with the DB
 *   does_not_fit  a 70B model at F16 recorded as does-not-fit with the bytes
 *                 needed and available, the run still complete
 *   sqlite3       the sqlite3 command-line shell reads the database with the
 *                 README's query
 *   list          backends, devices, CPU and NVML lines
 * argv: CASE PROBE DIR DATA (DIR a scratch folder, DATA the catalog). */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "wir_fs.h"
#include "wir_host.h"

static const char *probe, *dir, *data, *case_name;

/* Runs `PROBE ARGS`, returns the exit status; *out and *err (malloc'd, may
 * be NULL) receive stdout and stderr. */
static int run_probe(const char *args, char **out, char **err) {
    char cmd[8192], err_path[4096];
    snprintf(err_path, sizeof err_path, "%s/stderr-%s.txt", dir, case_name);
    snprintf(cmd, sizeof cmd, "'%s' %s 2>'%s'", probe, args, err_path);
    FILE *p = popen(cmd, "r");
    size_t cap = 1 << 16, len = 0, n;
    char *buf = malloc(cap);
    while (p && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len < 1024)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int status = p ? pclose(p) : -1;
    char *e = wir_fs_read_file(err_path, NULL);
    if (err)
        *err = e ? e : strdup("");
    else
        free(e);
    if (out)
        *out = buf;
    else
        free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *db_file(const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    const char *suffix[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
    return strdup(path);
}

static long long query_int(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st = NULL;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    else
        fprintf(stderr, "query '%s': %s\n", sql, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return v;
}

static char *query_text(sqlite3 *db, const char *sql) {
    sqlite3_stmt *st = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v ? v : strdup("(null)");
}

static void case_errors(void) {
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"run", "give --model SLUG --quant FTYPE, or --gguf FILE"},
        {"run --model qwen2-5-0-5b", "--model needs --quant FTYPE"},
        {"run --quant q4-k-m", "--quant needs --model SLUG"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --pp", "--pp needs a value"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --pp abc", "--pp: 'abc' is not a whole number"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --tg 64,x", "--tg: 'x' is not a whole number"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --tg 64,,256", "--tg: empty value in '64,,256'"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --depth -1", "--depth: '-1' is not a whole number"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --depth=", "--depth: empty list"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --reps 0", "--reps: '0' is not a whole number of at least 1"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --threads two", "--threads: 'two' is not a whole number"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --batch 0", "--batch: '0'"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --frobnicate", "unknown option '--frobnicate'"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --json --md", "--json and --md exclude each other"},
        {"run --gguf x.gguf --model qwen2-5-0-5b", "--gguf excludes --model and --quant"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --pp 0 --tg 0", "--pp and --tg leave no test to run"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --backend tpu", "--backend: 'tpu' is not built into this probe (it has: cpu"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --db ''", "--db: empty file name"},
        {"run --model llama-3-8 --quant q4-k-m --db /nonexistent/x.db", "--model: unknown model 'llama-3-8'"},
        {"run --model qwen2-5-0-5b --quant q4-k-x --db /nonexistent/x.db", "--quant: unknown file type 'q4-k-x'; did you mean: q4-k-m"},
        {"run --model qwen2-5-0-5b --quant q4-k-m --device 7 --db /nonexistent/x.db", "--device: backend cpu has 1 device(s) here"},
        {"list --bogus", "unknown option '--bogus'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[2048], *err;
        /* --data right after "run", so an option left without a value stays last */
        if (!strncmp(cases[i].args, "run", 3))
            snprintf(args, sizeof args, "run --data '%s'%s", data, cases[i].args + 3);
        else
            snprintf(args, sizeof args, "%s", cases[i].args);
        int rc = run_probe(args, NULL, &err);
        if (rc != 2 || !strstr(err, cases[i].want)) {
            fprintf(stderr, "probe %s: exit %d, stderr:\n%s(wanted exit 2 and \"%s\")\n", args, rc,
                    err, cases[i].want);
            wir_check_failures++;
        }
        free(err);
    }
    /* --help is not an error */
    char *out;
    CHECK(run_probe("run --help", &out, NULL) == 0);
    CHECK(strstr(out, "usage: probe run"));
    free(out);
}

/* Tiny sizes on the smallest catalog model, at Q4_0: its Q4_K_M needs q5_0
 * (896-wide rows fall back from q4_K), which the engine does not compute. */
static void case_run(void) {
    char *db = db_file("cli-run.db"), args[8192], *out, *err;
    snprintf(args, sizeof args,
             "run --model qwen2-5-0-5b --quant q4-0 --pp 16 --tg 4 --reps 2 --depth 0,32 "
             "--db '%s' --data '%s' --profile", db, data);
    int rc = run_probe(args, &out, &err);
    CHECK(rc == 0);
    if (rc)
        fprintf(stderr, "stderr:\n%s", err);
    printf("%s", out);
    CHECK(strstr(out, "| model | size | params | backend | threads | test | t/s |\n"));
    static const char *const tests[] = {"| pp16 | ", "| tg4 | ", "| pp16 @ d32 | ", "| tg4 @ d32 | "};
    for (int i = 0; i < 4; i++) {
        const char *row = strstr(out, tests[i]);
        CHECK(row && strstr(row, " ± "));
        CHECK(row && strstr(out, "| Qwen2.5 0.5B Q4_0 | "));
    }
    CHECK(strstr(out, "| test | phase | matrix products | attention | other | total |"));
    CHECK(strstr(out, "| pp16 | prefill | "));
    CHECK(strstr(out, "| tg4 @ d32 | decode | "));
    /* progress went to stderr */
    CHECK(strstr(err, "filling the KV cache with 32 tokens"));
    CHECK(strstr(err, "[4/4] tg4 @ d32: "));
    free(out);
    free(err);

    sqlite3 *h;
    CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(query_int(h, "SELECT count(*) FROM runs WHERE complete = 1 AND finished_at IS NOT NULL") == 1);
    CHECK(query_int(h, "SELECT count(*) FROM results WHERE status = 'ok' AND tokens_per_s > 0") == 4);
    CHECK(query_int(h, "SELECT count(*) FROM samples") == 8);
    CHECK(query_int(h, "SELECT count(*) FROM results WHERE test = 'pp' AND n_prompt = 16 AND"
                       " ttft_ms > 0 AND profile_matmul_ns > 0") == 2);
    CHECK(query_int(h, "SELECT count(*) FROM results WHERE depth = 32") == 2);
    CHECK(query_int(h, "SELECT n_ctx FROM runs") == 48); /* pp16 @ d32 */
    CHECK(query_int(h, "SELECT model_params > 400000000 AND model_bytes > 300000000 FROM runs") == 1);
    CHECK(query_int(h, "SELECT peak_memory_bytes > 300000000 FROM results WHERE seq = 0") == 1);
    char *v = query_text(h, "SELECT model_source || ' ' || model_slug || ' ' || ftype || ' ' || quant"
                            " || ' ' || backend FROM runs");
    CHECK_STR(v, "catalog qwen2-5-0-5b q4-0 Q4_0 cpu");
    free(v);
    v = query_text(h, "SELECT command_line FROM runs");
    CHECK(strstr(v, "probe run --model qwen2-5-0-5b --quant q4-0 --pp 16 --tg 4 --reps 2 "
                    "--depth 0,32 --db "));
    free(v);
    CHECK(query_int(h, "SELECT host_gpu_name IS NULL AND host_ram_bytes > 0 FROM runs") == 1);
    sqlite3_close(h);
    free(db);
}

static void case_json(void) {
    char *db = db_file("cli-json.db"), args[8192], *out, *err;
    snprintf(args, sizeof args,
             "run --model=qwen2-5-0-5b --quant=Q4_0 --pp=8 --tg=2 --reps=1 --threads=1 "
             "--json --db '%s' --data '%s'", db, data);
    int rc = run_probe(args, &out, &err);
    CHECK(rc == 0);
    json_error_t jerr;
    json_t *doc = json_loads(out, 0, &jerr);
    CHECK(doc != NULL);
    if (!doc)
        fprintf(stderr, "not JSON (%s):\n%s\nstderr:\n%s", jerr.text, out, err);
    free(out);
    free(err);
    if (!doc)
        return;
    CHECK_STR(json_string_value(json_object_get(doc, "schema")), "willitrun-probe-run/1");
    CHECK(json_integer_value(json_object_get(doc, "run_id")) == 1);
    CHECK(json_is_true(json_object_get(doc, "complete")));
    CHECK(json_integer_value(json_object_get(doc, "threads")) == 1);
    CHECK_STR(json_string_value(json_object_get(doc, "backend")), "cpu");
    json_t *model = json_object_get(doc, "model");
    CHECK_STR(json_string_value(json_object_get(model, "slug")), "qwen2-5-0-5b");
    CHECK_STR(json_string_value(json_object_get(model, "ftype")), "q4-0");
    CHECK_STR(json_string_value(json_object_get(model, "quant")), "Q4_0");
    CHECK(json_integer_value(json_object_get(model, "bytes")) > 300000000);
    CHECK(json_integer_value(json_object_get(model, "params")) > 400000000);
    json_t *host = json_object_get(doc, "host");
    CHECK(json_integer_value(json_object_get(host, "cpu_threads")) >= 1);
    CHECK(json_is_string(json_object_get(host, "kernel")));
    json_t *res = json_object_get(doc, "results");
    CHECK(json_array_size(res) == 2);
    json_t *pp = json_array_get(res, 0), *tg = json_array_get(res, 1);
    CHECK_STR(json_string_value(json_object_get(pp, "test")), "pp");
    CHECK(json_integer_value(json_object_get(pp, "n_prompt")) == 8);
    CHECK_STR(json_string_value(json_object_get(tg, "test")), "tg");
    CHECK(json_integer_value(json_object_get(tg, "n_gen")) == 2);
    double tps = json_real_value(json_object_get(tg, "tokens_per_s"));
    CHECK(tps > 0);
    CHECK(json_array_size(json_object_get(tg, "samples")) == 1);
    CHECK(json_real_value(json_array_get(json_object_get(tg, "samples"), 0)) == tps);
    CHECK(json_is_object(json_object_get(tg, "profile")));
    CHECK(json_is_null(json_object_get(tg, "power_w")));

    sqlite3 *h;
    CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(h, "SELECT tokens_per_s FROM results WHERE test = 'tg'", -1, &st,
                             NULL) == SQLITE_OK);
    CHECK(sqlite3_step(st) == SQLITE_ROW && sqlite3_column_double(st, 0) == tps);
    sqlite3_finalize(st);
    sqlite3_close(h);
    json_decref(doc);
    free(db);
}

static void case_does_not_fit(void) {
    /* llama-3-1-70b at F16 is 141 GB of weights: if this machine has that
     * much free the test would really try, so it is skipped there. */
    if (wir_host_mem_available() > 150LL * 1000 * 1000 * 1000) {
        printf("skipped: this machine has room for a 70B F16 model\n");
        exit(77);
    }
    char *db = db_file("cli-dnf.db"), args[8192], *out, *err;
    snprintf(args, sizeof args,
             "run --model llama-3-1-70b --quant f16 --pp 16 --tg 4 --depth 0,4096 --reps 1 "
             "--db '%s' --data '%s'", db, data);
    int rc = run_probe(args, &out, &err);
    CHECK(rc == 0);
    printf("%s", out);
    CHECK(strstr(out, "| pp16 | does not fit: needs "));
    CHECK(strstr(out, "| tg4 @ d4096 | does not fit: needs "));
    CHECK(!strstr(err, "making the weights"));
    free(out);
    free(err);
    sqlite3 *h;
    CHECK(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    CHECK(query_int(h, "SELECT count(*) FROM results WHERE status = 'does-not-fit' AND"
                       " bytes_needed > bytes_available AND bytes_available > 0 AND"
                       " bytes_needed > 140000000000 AND tokens_per_s IS NULL") == 4);
    CHECK(query_int(h, "SELECT count(*) FROM samples") == 0);
    CHECK(query_int(h, "SELECT complete FROM runs") == 1);
    /* a deeper cache needs more */
    CHECK(query_int(h, "SELECT (SELECT bytes_needed FROM results WHERE seq = 2) >"
                       " (SELECT bytes_needed FROM results WHERE seq = 0)") == 1);
    sqlite3_close(h);
    free(db);
}

/* The README's query, through the sqlite3 shell, on a database a run made. */
static void case_sqlite3(void) {
    char *db = db_file("cli-sqlite3.db"), args[8192], *err;
    snprintf(args, sizeof args,
             "run --model qwen2-5-0-5b --quant q4-0 --pp 8 --tg 2 --reps 1 --db '%s' --data '%s'",
             db, data);
    CHECK(run_probe(args, NULL, &err) == 0);
    free(err);
    char cmd[9000];
    snprintf(cmd, sizeof cmd,
             "sqlite3 -header -column '%s' \"SELECT r.id, r.model_slug, r.quant, r.backend,"
             " t.test, t.n_prompt, t.n_gen, t.depth, t.status, round(t.tokens_per_s, 2) AS t_s,"
             " round(t.stddev, 2) AS sd FROM runs r JOIN results t ON t.run_id = r.id"
             " ORDER BY r.id, t.seq;\"", db);
    FILE *p = popen(cmd, "r");
    char buf[8192] = "";
    size_t n = p ? fread(buf, 1, sizeof buf - 1, p) : 0;
    buf[n] = '\0';
    int status = p ? pclose(p) : -1;
    printf("%s", buf);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strstr(buf, "model_slug") && strstr(buf, "t_s"));
    CHECK(strstr(buf, "qwen2-5-0-5b") && strstr(buf, "Q4_0") && strstr(buf, " pp ") &&
          strstr(buf, " tg ") && strstr(buf, " ok "));
    free(db);
}

static void case_list(void) {
    char *out, *err;
    CHECK(run_probe("list", &out, &err) == 0);
    printf("%s", out);
    CHECK(strstr(out, "cpu: "));
    CHECK(strstr(out, "  SIMD kernels: "));
    CHECK(strstr(out, "backend cpu: built, 1 device"));
    CHECK(strstr(out, "backend cuda: not built") || strstr(out, "backend cuda: built"));
    CHECK(strstr(out, "NVML not available") || strstr(out, "NVML: driver "));
    free(out);
    free(err);
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        void (*fn)(void);
    } cases[] = {
        {"errors", case_errors}, {"run", case_run},         {"json", case_json},
        {"does_not_fit", case_does_not_fit}, {"sqlite3", case_sqlite3}, {"list", case_list},
    };
    if (argc < 5) {
        fprintf(stderr, "usage: test_probe_cli CASE PROBE DIR DATA\n");
        return 2;
    }
    case_name = argv[1], probe = argv[2], dir = argv[3], data = argv[4];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (!strcmp(argv[1], cases[i].name)) {
            cases[i].fn();
            CHECK_DONE();
        }
    fprintf(stderr, "test_probe_cli: unknown case '%s'\n", argv[1]);
    return 2;
}
