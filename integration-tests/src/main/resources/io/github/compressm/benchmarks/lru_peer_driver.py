"""Timing driver around the PyTorch-in-Python peer (lru_torch.py), for LayerComparison.

The peer script is used as it is: this driver imports it as a module (its own benchmark only runs
as __main__) and calls its functions (lru_params, layer, SCANS), so the layer under test is
exactly the peer's. The peer's own main times a fixed set of configurations and prints a median of
5 runs after 1 warm-up; LayerComparison instead needs single timed calls on demand, so that it
can alternate them with the Java side in rounds. This driver stays alive for the whole
comparison (so the peer stays warm, as the JVM does) and answers one command per line on stdin:

  setup N B L H SEED    build the peer's parameters (its own seed 0), a random (B, L, H) input and
                        two projection matrices (H, 2N) and (2N, H); answers "ok"
  run KIND SCAN COUNT   time COUNT calls, answers "ms t1 t2 ..." (milliseconds, time.perf_counter)
                        KIND: layer_fb  forward + backward of mean(y^2), then the gradients reset
                                        (the body of the peer's own bench())
                              layer_f   forward only, under torch.no_grad()
                              proj_fb   u @ W_in @ W_out, forward + backward of mean(y^2), the
                                        same two real matrix products as the Java projections
                              proj_f    the same, forward only, under torch.no_grad()
                        SCAN: one of the peer's scans (seq, assoc, chunk); ignored for proj_*
  info                  the BLAS behind torch's matrix products, as it reports itself: answers
                        "info {JSON}" with blas_threads and blas_config (OpenBLAS's thread count
                        and build string; null for a BLAS without these calls)
  quit

On start it sets torch's intra-op threads (argument 2, if > 0), checks the requested scans
against the peer's sequential loop as the peer's own main does, and answers
"ready torch=VERSION threads=N interop=M".

Usage: python3 lru_peer_driver.py PEER_SCRIPT THREADS SCANS
"""
import ctypes
import importlib.util
import json
import os
import sys
import time

import torch


def load_peer(path):
    spec = importlib.util.spec_from_file_location("lru_torch", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def blas_info():
    """OpenBLAS's own thread count and build string, through the libblas.so.3 torch loaded."""
    info = {"blas_threads": None, "blas_config": None}
    try:
        # RTLD_NOLOAD: only the library torch already loaded, never a new one.
        blas = ctypes.CDLL("libblas.so.3", mode=os.RTLD_NOLOAD)
    except OSError:
        return info
    threads = getattr(blas, "openblas_get_num_threads", None)
    if threads is not None:
        info["blas_threads"] = threads()
    config = getattr(blas, "openblas_get_config", None)
    if config is not None:
        config.restype = ctypes.c_char_p
        info["blas_config"] = config().decode("utf-8", "replace")
    return info


def main():
    peer = load_peer(sys.argv[1])
    threads = int(sys.argv[2])
    scans = sys.argv[3].split(",")
    if threads > 0:
        torch.set_num_threads(threads)
    for s in scans:
        if s not in peer.SCANS:
            raise SystemExit(f"unknown peer scan {s!r}; the peer has {sorted(peer.SCANS)}")
    # The peer's own correctness check of its scans against each other.
    p = peer.lru_params(8, 16)
    u = torch.randn(2, 784, 8)
    ref = peer.layer(p, u, peer.scan_seq)
    for s in scans:
        err = (peer.layer(p, u, peer.SCANS[s]) - ref).abs().max().item()
        assert err < 1e-3 * ref.abs().max().item(), (s, err)
    print(f"ready torch={torch.__version__} threads={torch.get_num_threads()}"
          f" interop={torch.get_num_interop_threads()}", flush=True)

    state = {}

    def layer_fb(scan):
        p = state["p"]
        y = peer.layer(p, state["u"], peer.SCANS[scan])
        (y * y).mean().backward()
        for v in p.values():
            v.grad = None

    def layer_f(scan):
        with torch.no_grad():
            peer.layer(state["p"], state["u"], peer.SCANS[scan])

    def proj_fb(scan):
        w_in, w_out = state["w_in"], state["w_out"]
        y = state["u"] @ w_in @ w_out
        (y * y).mean().backward()
        w_in.grad = None
        w_out.grad = None

    def proj_f(scan):
        with torch.no_grad():
            state["u"] @ state["w_in"] @ state["w_out"]

    kinds = dict(layer_fb=layer_fb, layer_f=layer_f, proj_fb=proj_fb, proj_f=proj_f)

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        if words[0] == "info":
            print("info " + json.dumps(blas_info()), flush=True)
            continue
        if words[0] == "setup":
            n, b, length, h, seed = (int(w) for w in words[1:6])
            if "chunk" in scans and length % 28:
                raise SystemExit(f"the peer's chunk scan needs a length divisible by 28, not {length}")
            state.clear()
            torch.manual_seed(seed)
            state["p"] = peer.lru_params(h, n)
            state["u"] = torch.randn(b, length, h)
            state["w_in"] = torch.randn(h, 2 * n).requires_grad_(True)
            state["w_out"] = torch.randn(2 * n, h).requires_grad_(True)
            print("ok", flush=True)
        elif words[0] == "run":
            call, scan, count = kinds[words[1]], words[2], int(words[3])
            times = []
            for _ in range(count):
                t0 = time.perf_counter()
                call(scan)
                times.append((time.perf_counter() - t0) * 1e3)
            print("ms " + " ".join(f"{t:.4f}" for t in times), flush=True)
        else:
            raise SystemExit(f"unknown command {line.strip()!r}")


if __name__ == "__main__":
    main()
