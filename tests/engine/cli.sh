#!/bin/sh
# gen fit / gen cost on the fixture catalog: exit status and output.
# usage: cli.sh GEN FIXTURE_DIR CASE
set -u
gen=$1 data=$2 case=$3
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$out"; echo "--- stderr"; cat "$err"; exit 1; }
run() { want=$1; shift; "$gen" "$@" --data "$data" >"$out" 2>"$err"; rc=$?; [ "$rc" -eq "$want" ] || fail "exit $rc, expected $want: $*"; }
has() { grep -q -- "$2" "$1" || fail "expected '$2' in $1"; }
case $case in
table)
    run 0 fit --model llama-3-1-8b --quant Q4_K_M --ctx 8192 --gpu fixture-gpu
    has "$out" '^verdict: runs'
    has "$out" 'layers on the GPU: 33 of 33'
    has "$out" '^  KV cache  *0.0 MiB  *1.00 GiB  *1.00 GiB$'
    has "$out" 'decode  *150.0 tokens/s at depth 0, measured (run fixture-8b-q4-k-m)'
    has "$out" '^best quantization that runs: '
    has "$out" '^  Q4_K_M ';;
json)
    run 0 fit --model llama-3-1-70b --quant q4-k-m --gpu fixture-gpu:2 --kv-type q8_0 --json
    has "$out" '"tier": "runs"\|"tier": "tight"'
    has "$out" '"gpu_count": 2'
    has "$out" '"kv_type": "q8_0"'
    has "$out" '"weights_bytes": '
    has "$out" '"compute_bytes": '
    has "$out" '"capacity_bytes": 25769803776'
    has "$out" '"kind": "estimated"'
    has "$out" '"max_ctx_fits_tokens": ';;
partial)
    run 0 fit --model llama-3-1-70b --quant Q4_K_M --gpu fixture-gpu --ram 64
    has "$out" '^verdict: partial offload (4[0-9] of 81 layers on the GPU'
    run 0 fit --model llama-3-1-70b --quant Q4_K_M --gpu fixture-gpu --ram 8
    has "$out" "^verdict: won't run";;
unknown)
    run 1 fit --model llama-3-1-8 --quant Q4_K_M
    has "$err" "gen fit: unknown model 'llama-3-1-8'; did you mean: llama-3-1-8b"
    run 1 fit --model llama-3-1-8b --quant Q4_K_N
    has "$err" "gen fit: unknown quantization 'Q4_K_N'; did you mean: q4-k-m"
    run 1 fit --model llama-3-1-8b --quant Q4_K_M --gpu fixture-gpx
    has "$err" "gen fit: unknown GPU 'fixture-gpx'; did you mean: fixture-gpu"
    run 1 cost --model llama-3-1-8b --gpu fixture-gpu --runtime llama-cp
    has "$err" "gen cost: unknown runtime 'llama-cp'; did you mean: llama-cpp";;
usage)
    run 2 fit --model llama-3-1-8b
    has "$err" 'required'
    run 2 fit --model llama-3-1-8b --quant Q4_K_M --ctx lots
    has "$err" '--ctx expects an integer'
    run 0 fit --help
    has "$out" 'usage: gen fit'
    run 0 cost --help
    has "$out" 'usage: gen cost';;
cost)
    run 0 cost --model llama-3-1-70b --gpu fixture-gpu --hours-per-week 20 --kwh-price 0.17 --months 36
    has "$out" 'electricity per month  *6.63 USD/month'
    has "$out" 'cheapest that runs it  *fixturecloud big-1x'
    has "$out" 'total per month  *216.67 USD/month'
    has "$out" 'break-even: after'
    run 0 cost --model llama-3-1-8b --gpu fixture-gpu --json --api-price 0.5
    has "$out" '"offer": "fixturecloud-gpu-1x"'
    has "$out" '"electricity_usd_per_month": '
    has "$out" '"api_usd_per_month": ';;
real)
    # The real catalog (its GPUs, models, quantization rules, runtimes, runs;
    # $data is the repository's data/ here). Known facts: a 70B model in FP16
    # (about 140 GB) does not fit one 80 GB H100 but does at 4 bits; Mistral
    # 7B in FP32 does not fit a 24 GB RTX 3090, in FP16 it does.
    view=$(mktemp -d)
    trap 'rm -f "$out" "$err"; rm -rf "$view"' EXIT
    for kind in gpus models quants runtimes runs; do ln -s "$data/$kind" "$view/$kind"; done
    data=$view
    run 0 fit --model llama-3-1-70b --quant F16 --gpu h100-sxm --ngl 81
    has "$out" "^verdict: won't run"
    has "$out" 'file size 131.4[0-9] GiB'
    run 0 fit --model llama-3-1-70b --quant Q4_K_M --gpu h100-sxm
    has "$out" '^verdict: runs'
    run 0 fit --model mistral-7b-v0-1 --quant F32 --gpu rtx-3090 --ngl 33
    has "$out" "^verdict: won't run"
    run 0 fit --model mistral-7b-v0-1 --quant F16 --gpu rtx-3090
    has "$out" '^verdict: runs\|^verdict: tight'
    run 0 fit --model llama-2-7b --quant Q4_0 --gpu rtx-4090
    has "$out" 'measured (run d15013-rtx-4090-llama-2-7b-q4-0)';;
nulls)
    # fixture-soc publishes no power, street price or FP16 rate.
    run 0 cost --model llama-3-1-8b --gpu fixture-soc
    has "$out" 'none published: electricity left out'
    has "$out" 'no price published for this GPU'
    has "$out" 'break-even: unknown'
    run 0 fit --model llama-3-1-8b --quant Q4_K_M --gpu fixture-soc
    has "$out" 'prefill       n/a (no FP16 throughput published';;
*) echo "unknown case $case"; exit 2;;
esac
exit 0
