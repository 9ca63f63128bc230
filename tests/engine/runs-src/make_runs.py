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

# XiongjieDai/GPU-Benchmarks-on-LLM-Inference README, "LLaMA 3" tables
# (snapshots in May 2024): llama-bench -p 512,1024,4096,8192
# -n 512,1024,4096,8192, all layers offloaded (-ngl 10000 in its usage),
# NVIDIA GPUs on RunPod (Ubuntu 22.04, CUDA 12.1.1), Apple Silicon on Metal.
# Only the tg512 and pp512 columns are taken: the engine models a tg test at
# its starting depth, and the longer tg runs average over a KV cache growing
# to thousands of tokens; pp1024 and longer pipeline several micro-batches
# across the GPUs of a multi-GPU row, which the engine does not model.
# Left out: the 3080 Ti and 4070 Ti (not in the catalog), the M1 and M1 Max
# rows (no catalog file), and the README's LLaMA and LLaMA 2 tables
# (snapshots Dec 2023): they are three runs of eval/prompt-eval timings
# (its appendix reports them as llama_print_timings ms/token), not
# llama-bench tests with a stated prompt and generation length.
# Multi-GPU rows: llama-bench's default layer split over identical GPUs,
# which the engine models (layers run one GPU after another).
XD = "https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference"
TXD = ("XiongjieDai/GPU-Benchmarks-on-LLM-Inference README: LLaMA 3 llama-bench tables "
       "(snapshots in May 2024)")
XDNOTE = ("llama-bench on a May 2024 llama.cpp (the build from the row's notebook where "
          "read); Meta-Llama-3 weights converted by the author")
L3_70B = ("; Llama 3 70B, whose shapes and parameter count (70.55 B, vocabulary 128256) "
          "are Llama 3.1 70B's: only the RoPE scaling and context length differ, which "
          "do not change a short benchmark")
# Builds and standard deviations from the per-GPU notebooks behind the
# README's rows, where read ("LLaMA 3/Gaming GPUs/<gpu>_v3.ipynb",
# "LLaMA 3/Mac/<chip>.ipynb"; their figures equal the README's); the
# multi-GPU notebooks were not read, so those rows keep build null.
XD_BUILD = {("rtx-3070", 1): "2824 (4426e298)", ("rtx-3080", 1): "2824 (4426e298)",
            ("rtx-4080", 1): "2824 (4426e298)", ("rtx-3090", 1): "2824 (4426e298)",
            ("rtx-4090", 1): "2824 (4426e298)", ("apple-m2-ultra-192gb", 1): "2796 (b3a995b4)",
            ("apple-m3-max-128gb", 1): "2795 (bcdee0da)"}
XD_SD = {  # (gpu, size, quant): (tg512 sd, pp512 sd)
    ("rtx-3070", "8B", "Q4_K_M"): (0.13, 11.82), ("rtx-3080", "8B", "Q4_K_M"): (0.19, 4.77),
    ("rtx-4080", "8B", "Q4_K_M"): (0.25, 1.65), ("rtx-4080", "8B", "F16"): (0.03, 37.48),
    ("rtx-3090", "8B", "Q4_K_M"): (0.41, 9.37), ("rtx-3090", "8B", "F16"): (0.12, 12.83),
    ("rtx-4090", "8B", "Q4_K_M"): (0.66, 14.96), ("rtx-4090", "8B", "F16"): (0.03, 21.05),
    ("apple-m2-ultra-192gb", "8B", "Q4_K_M"): (0.02, 21.80),
    ("apple-m2-ultra-192gb", "8B", "F16"): (0.10, 16.77),
    ("apple-m2-ultra-192gb", "70B", "Q4_K_M"): (0.00, 0.25),
    ("apple-m2-ultra-192gb", "70B", "F16"): (0.01, 0.70),
    ("apple-m3-max-128gb", "8B", "Q4_K_M"): (0.17, 0.42),
    ("apple-m3-max-128gb", "8B", "F16"): (0.24, 1.23),
    ("apple-m3-max-128gb", "70B", "Q4_K_M"): (0.07, 2.91)}
XD_QUANT = {"Q4_K_M": "q4-k-m", "F16": "f16"}
XD_MODEL = {"8B": "llama-3-8b", "70B": "llama-3-1-70b"}
for gpu, count, backend, extra, rows in [
        ("rtx-3070", 1, "CUDA", "", [("8B", "Q4_K_M", 72.79, 2402.51)]),
        ("rtx-3080", 1, "CUDA", "; the row's 3080 is the 10 GB card", [
            ("8B", "Q4_K_M", 109.57, 3728.86)]),
        ("rtx-4080", 1, "CUDA", "", [("8B", "Q4_K_M", 108.15, 5389.74),
                                     ("8B", "F16", 40.58, 7246.97)]),
        ("rtx-3090", 1, "CUDA", "", [("8B", "Q4_K_M", 115.42, 4030.40),
                                     ("8B", "F16", 47.40, 4444.65)]),
        ("rtx-4090", 1, "CUDA", "", [("8B", "Q4_K_M", 130.58, 7138.99),
                                     ("8B", "F16", 54.84, 9382.00)]),
        ("rtx-3090", 2, "CUDA", "", [("8B", "Q4_K_M", 111.67, 3336.37),
                                     ("8B", "F16", 47.72, 4122.66),
                                     ("70B", "Q4_K_M", 16.57, 357.32)]),
        ("rtx-4090", 2, "CUDA", "", [("8B", "Q4_K_M", 124.65, 7003.51),
                                     ("8B", "F16", 53.64, 9177.92),
                                     ("70B", "Q4_K_M", 19.22, 839.43)]),
        ("rtx-3090", 4, "CUDA", "", [("8B", "Q4_K_M", 108.66, 3742.66),
                                     ("8B", "F16", 47.07, 4608.40),
                                     ("70B", "Q4_K_M", 17.07, 300.79)]),
        ("rtx-4090", 4, "CUDA", "", [("8B", "Q4_K_M", 120.32, 6748.96),
                                     ("8B", "F16", 53.10, 8750.57),
                                     ("70B", "Q4_K_M", 19.80, 834.74)]),
        ("rtx-3090", 6, "CUDA", "", [("8B", "Q4_K_M", 104.17, 3359.99),
                                     ("8B", "F16", 46.23, 3875.97),
                                     ("70B", "Q4_K_M", 17.09, 456.95),
                                     ("70B", "F16", 5.85, 579.00)]),
        ("rtx-4090", 8, "CUDA", "", [("8B", "Q4_K_M", 118.09, 6172.06),
                                     ("8B", "F16", 52.51, 7889.26),
                                     ("70B", "Q4_K_M", 18.94, 812.95),
                                     ("70B", "F16", 6.47, 1183.87)]),
        ("apple-m2-ultra-192gb", 1, "Metal", "; the 76-core GPU, 192 GB row", [
            ("8B", "Q4_K_M", 78.81, 994.04), ("8B", "F16", 36.90, 1175.40),
            ("70B", "Q4_K_M", 12.48, 118.79), ("70B", "F16", 4.76, 147.58)]),
        ("apple-m3-max-128gb", 1, "Metal",
         "; the row is the 40-core GPU M3 Max with 64 GB: the catalog's 128 GB file has the "
         "same chip and 400 GB/s memory (memory size does not change the speed)", [
            ("8B", "Q4_K_M", 48.97, 693.32), ("8B", "F16", 22.04, 769.84),
            ("70B", "Q4_K_M", 7.65, 70.19)])]:
    for size, quant, t, p in rows:
        model, q = XD_MODEL[size], XD_QUANT[quant]
        multi = "-x%d" % count if count > 1 else ""
        note = XDNOTE + extra + (L3_70B if size == "70B" else "")
        if count > 1:
            note += "; %d GPUs, layer split" % count
        tsd, psd = XD_SD.get((gpu, size, quant), (None, None)) if count == 1 else (None, None)
        run("xd-%s%s-%s-%s" % (gpu, multi, model, q), XD, TXD, gpu, model, q,
            XD_BUILD.get((gpu, count)), backend, [pp(512, p, psd), tg(512, t, tsd)], note,
            ngl=99, fa=None, count=count)

# The same repository's per-GPU notebooks, "LLaMA 3/Professional GPUs/*.ipynb"
# (run in May 2024, the llama-bench output cells with their build lines):
# the workstation and datacenter GPUs the README's tables do not list.
# llama-bench -p 512,1024,4096,8192 -n 512,1024,4096,8192 -ngl 99; the tg512
# and pp512 rows, with llama-bench's standard deviations. A pp512 whose row
# rises towards pp8192 (three rows, figures in the comments) is left out. Left out: the
# A100 PCIe notebooks (the catalog's A100 80 GB is the SXM4 part).
XDNB = XD + "/blob/main/LLaMA%203/Professional%20GPUs/"
for gpu, nb, dev, build, rows in [
        ("a100-80gb", "A100_SXM_v3.ipynb", "NVIDIA A100-SXM4-80GB", "2837 (d11afd66)", [
            ("8B", "Q4_K_M", (135.04, 0.45), (5947.64, 23.51)),
            ("8B", "F16", (53.49, 0.19), (None, None)),  # pp512 603.76, pp8192 1323.07
            ("70B", "Q4_K_M", (24.61, 0.01), (817.58, 4.01))]),
        ("h100-pcie", "H100_PCIe_v3.ipynb", "NVIDIA H100 PCIe", "2843 (e8496488)", [
            ("8B", "Q4_K_M", (145.55, 0.80), (8125.45, 23.37)),
            ("8B", "F16", (68.03, 0.12), (10815.51, 171.72)),
            ("70B", "Q4_K_M", (25.03, 0.07), (1012.73, 2.13))]),
        ("rtx-a6000", "A6000_v3.ipynb", "NVIDIA RTX A6000", "2824 (4426e298)", [
            ("8B", "Q4_K_M", (105.39, 0.35), (3780.55, 14.36)),
            ("8B", "F16", (40.71, 0.04), (4511.02, 15.08)),
            ("70B", "Q4_K_M", (14.71, 0.01), (482.19, 0.25))]),
        ("rtx-6000-ada", "6000_Ada_v3.ipynb", "NVIDIA RTX 6000 Ada Generation", "2833 (d46dbc76)", [
            ("8B", "Q4_K_M", (133.44, 0.57), (5791.74, 120.92)),
            ("8B", "F16", (52.32, 0.05), (6663.13, 469.02)),
            ("70B", "Q4_K_M", (18.52, 0.01), (565.98, 2.27))]),
        ("a40", "A40_v3.ipynb", "NVIDIA A40", "2833 (d46dbc76)", [
            ("8B", "Q4_K_M", (91.27, 0.19), (3324.98, 22.23)),
            ("8B", "F16", (34.26, 0.04), (4203.75, 27.78)),
            ("70B", "Q4_K_M", (11.60, 1.43), (None, None))]),  # pp512 209.38, pp8192 291.13
        ("l40s", "L40S_v3.ipynb", "NVIDIA L40S", "2834 (befddd0f)", [
            ("8B", "Q4_K_M", (115.55, 0.20), (6035.24, 16.51)),
            ("8B", "F16", (43.69, 0.05), (None, None)),  # pp512 2253.93, pp8192 3312.16
            ("70B", "Q4_K_M", (15.46, 0.01), (673.63, 1.67))])]:
    for size, quant, (t, tsd), (p, psd) in rows:
        model, q = XD_MODEL[size], XD_QUANT[quant]
        note = ("llama-bench in the notebook's output cell; device '%s'; Meta-Llama-3 weights "
                "converted by the author" % dev) + (L3_70B if size == "70B" else "")
        results = [tg(512, t, tsd)]
        if p is None:
            note += ("; its pp512 is left out: prefill rises with the prompt length (pp512 to "
                     "pp8192) where every other single-GPU row falls, so it is no steady-state "
                     "figure")
        else:
            results.insert(0, pp(512, p, psd))
        run("xd-%s-%s-%s" % (gpu, model, q), XDNB + nb,
            "XiongjieDai/GPU-Benchmarks-on-LLM-Inference: LLaMA 3/Professional GPUs/" + nb,
            gpu, model, q, build, "CUDA", results, note, fa=None)
