#!/usr/bin/env python3
"""Writes data/runs/<id>.json from the published llama-bench results below.

Kept as a script so the figures are reviewable in one place; each block names
its source. Run from the repository root: python3 tests/engine/runs-src/make_runs.py
"""
import json, os

ACCESSED = "2026-12-01"

def run(id, url, title, gpu, model, quant, build, backend, results, note=None,
        ngl=99, fa=False, kv="f16", threads=None, n_batch=None, n_ubatch=None, count=1):
    d = {"id": id,
         "source": {"kind": "import", "url": url, "title": title, "accessed": ACCESSED}}
    if note: d["note"] = note
    d.update({"hardware": {"gpu": gpu, "gpu_count": count, "cpu": None},
              "model": model, "quant": quant,
              "runtime": {"name": "llama-cpp", "build": build, "backend": backend},
              "settings": {"n_gpu_layers": ngl, "flash_attn": fa, "kv_type": kv,
                           "threads": threads, "n_batch": n_batch, "n_ubatch": n_ubatch},
              "results": results})
    os.makedirs("data/runs", exist_ok=True)
    with open("data/runs/%s.json" % id, "w") as f:
        json.dump(d, f, indent=2, ensure_ascii=False)
        f.write("\n")

def pp(n, ts, sd=None, depth=0, samples=None):
    return {"test": "pp", "n_prompt": n, "n_gen": 0, "depth": depth, "tokens_per_s": ts,
            "stddev": sd, "samples": samples}

def tg(n, ts, sd=None, depth=0, samples=None):
    return {"test": "tg", "n_prompt": 0, "n_gen": n, "depth": depth, "tokens_per_s": ts,
            "stddev": sd, "samples": samples}

# llama.cpp's CUDA scoreboard: "llama 7B Q4_0" (Llama 2 7B), llama-bench -ngl 99,
# pp512 and tg128, one row per GPU (the best row per GPU as tabulated).
D15013 = "https://github.com/ggml-org/llama.cpp/discussions/15013"
T15013 = "llama.cpp discussion 15013: Performance of llama.cpp on NVIDIA CUDA (llama 7B Q4_0, llama-bench -ngl 99)"
L2NOTE = "llama-bench's 'llama 7B' is Llama 2 7B (6.74 B parameters, vocabulary 32000)"
for gpu, p, t, extra in [
        ("rtx-pro-6000-blackwell", 16619, 281.1, ""),
        ("rtx-5090", 14970, 300.4, ""),
        ("rtx-4090", 14771, 189.0, ""),
        ("h100-sxm", 11263, 280.7, "; the row's H100 is the 80 GB HBM3 part, i.e. SXM5"),
        ("rtx-5080", 9488, 184.7, ""),
        ("a100-80gb", 5286, 200.9, "; the row's A100 is the 80 GB HBM2e part, form factor not stated"),
        ("rtx-3090", 5175, 158.2, ""),
        ("rtx-3060-12gb", 2138, 75.6, "")]:
    run("d15013-%s-llama-2-7b-q4-0" % gpu, D15013, T15013, gpu, "llama-2-7b", "q4-0", None,
        "CUDA", [pp(512, p), tg(128, t)], L2NOTE + extra, fa=None)

# PR 4812 (slaren): RTX 3090 Ti, llama 7B Q4_0, KV cache on the GPU (nkvo 0).
run("pr4812-rtx-3090-ti-llama-2-7b-q4-0", "https://github.com/ggml-org/llama.cpp/pull/4812",
    "llama.cpp PR 4812 description (slaren, 2024-01-07): llama-bench table, RTX 3090 Ti",
    "rtx-3090-ti", "llama-2-7b", "q4-0", "1786 (32d9f7d9)", "CUDA",
    [pp(512, 4035.47, 157.68), tg(128, 127.43, 0.18)], L2NOTE + "; the nkvo 0 rows")

# PR 4766 (ggml-backend integration), JohannesGaessler's table, master column,
# RTX 3090, main GPU 0.
D4766 = "https://github.com/ggml-org/llama.cpp/pull/4766"
T4766 = "llama.cpp PR 4766 (ggml-backend integration), JohannesGaessler's llama-bench table (master column), RTX 3090"
for quant, p, t in [("f16", 4184.85, 48.52), ("q2-k", 3340.73, 92.69),
                    ("q3-k-s", 3305.67, 87.26), ("q4-0", 3408.18, 121.82)]:
    run("pr4766-rtx-3090-llama-2-7b-%s" % quant, D4766, T4766, "rtx-3090", "llama-2-7b", quant,
        None, "CUDA", [pp(512, p), tg(128, t)], L2NOTE)

# llama-bench's README JSON example: RTX 4080, Qwen2.5-7B-Instruct Q4_K_M.
run("llama-bench-readme-rtx-4080-qwen2-5-7b-q4-k-m",
    "https://github.com/ggml-org/llama.cpp/blob/master/tools/llama-bench/README.md",
    "llama.cpp tools/llama-bench/README.md: the -o json example (RTX 4080, Ryzen 7 7800X3D)",
    "rtx-4080", "qwen2-5-7b", "q4-k-m", "5163 (8cf427ff)", "CUDA",
    [pp(512, 7100.002165, 140.341520, samples=[6863.1, 7147.55, 7136.37, 7115.79, 7237.21]),
     tg(128, 118.881588, 1.041811, samples=[119.03, 120.178, 119.43, 118.307, 117.464])],
    "Qwen2.5-7B-Instruct; the instruct tune has the base model's shapes", threads=8,
    n_batch=2048, n_ubatch=512)

# PR 26284 (HIP: tune RDNA 3 MMQ configs), RX 7900 XTX, master column.
D26284 = "https://github.com/ggml-org/llama.cpp/pull/26284"
T26284 = "llama.cpp PR 26284 (HIP: tune rdna 3 mmq configs), llama-bench table (master column), RX 7900 XTX"
L3NOTE = "llama-bench's 'llama 8B' here is a Llama 3.x 8B (Llama 3.1 8B shapes)"
run("pr26284-rx-7900-xtx-llama-3-1-8b-q4-k-m", D26284, T26284, "rx-7900-xtx", "llama-3-1-8b",
    "q4-k-m", None, "ROCm", [pp(2048, 3189.36), pp(2048, 2677.85, depth=4096), tg(64, 105.75),
                             tg(64, 98.67, depth=4096)],
    L3NOTE + "; the micro-batch 512 rows", n_ubatch=512)
run("pr26284-rx-7900-xtx-llama-3-1-8b-q5-k-m", D26284, T26284, "rx-7900-xtx", "llama-3-1-8b",
    "q5-k-m", None, "ROCm", [tg(64, 100.63)], L3NOTE + "; the micro-batch 64 row", n_ubatch=64)

# llama.cpp's Apple Silicon scoreboard: the same llama 7B Q4_0 (Llama 2 7B),
# llama-bench -ngl 99, Metal; pp512 and tg128 of the chips the catalog has.
D4167 = "https://github.com/ggml-org/llama.cpp/discussions/4167"
T4167 = "llama.cpp discussion 4167: Performance of llama.cpp on Apple Silicon M-series (llama 7B Q4_0)"
for gpu, cores, p, t in [("apple-m2-ultra-192gb", 76, 1238, 94.3),
                         ("apple-m4-max-128gb", 40, 886, 83.1)]:
    run("d4167-%s-llama-2-7b-q4-0" % gpu, D4167, T4167, gpu, "llama-2-7b", "q4-0", None,
        "Metal", [pp(512, p), tg(128, t)],
        L2NOTE + "; the %d-core GPU row (memory size does not change the speed)" % cores,
        fa=None)
