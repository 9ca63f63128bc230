#!/bin/sh
# cuda-regs.sh: registers, spills and stack per CUDA kernel and architecture,
# from ptxas (-Xptxas -v), for docs/probe-cuda.md. Needs nvcc only, no GPU.
# (cuobjdump --dump-resource-usage on the built objects says the same where
# the toolkit ships cuobjdump.)
#
#   probe/scripts/cuda-regs.sh [ARCHS]     (default "80 86 89 90")
#
# Prints one Markdown row per kernel: name, then "registers (spill
# stores/loads)" per architecture; exits 1 if any kernel spills.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
nvcc=${NVCC:-/usr/local/cuda/bin/nvcc}
archs=${1:-80 86 89 90}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for a in $archs; do
    for f in "$root"/probe/backend/cuda/*.cu; do
        "$nvcc" -std=c++17 -O3 -arch=sm_$a -Xptxas -v --expt-relaxed-constexpr \
            -I"$root/probe/backend/cuda" -I"$root/probe/weights" -I"$root/probe/backend" \
            -I"$root/probe/model" -c "$f" -o "$tmp/k.o" 2>&1 |
            awk -v a="$a" '
                /Compiling entry function/ { fn = $0; sub(/.*function .\047?/, "", fn); sub(/\047.*/, "", fn) }
                /spill stores/ { sp = $5 "/" $9 }
                /Used [0-9]+ registers/ { match($0, /Used [0-9]+ registers/); r = substr($0, RSTART + 5, RLENGTH - 15); print a, fn, r, sp }'
    done
done >"$tmp/all"
# demangle-lite: keep the kernel name and its template argument
sed -e 's/_Z[0-9]*\(wir_cuda_[a-z0-9_]*\)I10wir_cuda_qILi\([0-9]*\)EEEv[^ ]*/\1<type \2>/' \
    -e 's/_Z[0-9]*\(wir_cuda_[a-z0-9_]*\)ILi\([0-9]*\)EEv[^ ]*/\1<\2>/' \
    -e 's/_Z[0-9]*\(wir_cuda_[a-z0-9_]*\)I10wir_cuda_qILi\([0-9]*\)EE\([0-9a-zA-Z_]*\)Ev[^ ]*/\1<type \2, \3>/' \
    -e 's/_Z[0-9]*\(wir_cuda_[a-z0-9_]*\)[^ ]*/\1/' -e 's/, 6__half>/, half>/' -e 's/, f>/, float>/' \
    -e 's/18wir_cuda_rope_args//' "$tmp/all" >"$tmp/named0"
# ggml type ids as names (wir_qformat.h)
sed -e 's/<type 0\([,>]\)/<f32\1/' -e 's/<type 1\([,>]\)/<f16\1/' -e 's/<type 2\([,>]\)/<q4_0\1/' \
    -e 's/<type 3\([,>]\)/<q4_1\1/' -e 's/<type 6\([,>]\)/<q5_0\1/' -e 's/<type 7\([,>]\)/<q5_1\1/' \
    -e 's/<type 8\([,>]\)/<q8_0\1/' -e 's/<type 12\([,>]\)/<q4_K\1/' -e 's/<type 13\([,>]\)/<q5_K\1/' \
    -e 's/<type 14\([,>]\)/<q6_K\1/' -e 's/<type 30\([,>]\)/<bf16\1/' "$tmp/named0" >"$tmp/named"
awk -v archs="$archs" '
    { k = $2; for (i = 3; i <= NF - 2; i++) k = k " " $i; key[k] = 1; reg[k, $1] = $(NF - 1) " (" $NF ")"
      if ($NF != "0/0") bad = 1 }
    END { n = split(archs, A, " ")
          for (k in key) { line = "| `" k "` |"; for (i = 1; i <= n; i++) line = line " " reg[k, A[i]] " |"; print line }
          exit bad }' "$tmp/named" | sort
