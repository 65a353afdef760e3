"""Timing driver around a PyTorch-in-Python peer, for LayerComparison: the LRU peer (lru_torch.py)
or the Mamba-2 peer (mamba2_torch.py).

The peer script is used as it is: this driver imports it as a module (its own benchmark only runs
as __main__) and calls its functions (lru_params, layer and SCANS of lru_torch.py; Mamba2Block and
check of mamba2_torch.py), so the layer under test is exactly the peer's. The peers' own mains
time a fixed set of configurations; LayerComparison instead needs single timed calls on demand, so
that it can alternate them with the Java side in rounds. This driver stays alive for the whole
comparison (so the peer stays warm, as the JVM does) and answers one command per line on stdin:

  setup N B L H SEED CHUNK
                        build the peer's layer, a random (B, L, H) input and the projection
                        matrices; answers "ok" and the peer layer's sizes as key=value words.
                        lru:    the peer's parameters (its own seed 0) and two projection matrices
                                (H, 2N) and (2N, H); CHUNK is ignored (the chunk scan's is 28)
                        mamba2: the peer's Mamba2Block(H, N, chunk=CHUNK) (its other defaults:
                                expand 2, head dim 16, kernel 4), built after seeding torch with
                                SEED; the projections are its in_proj's and out_proj's shapes,
                                (H, 2*di + 2N + heads) on the input and (di, H) on a random
                                (B, L, di) input; answers "ok inner=di heads=h head_dim=p
                                in_proj=W chunk=CHUNK"
  run KIND SCAN COUNT   time COUNT calls, answers "ms t1 t2 ..." (milliseconds, time.perf_counter)
                        KIND: layer_fb  forward + backward of mean(y^2), then the gradients reset
                                        (the body of the peers' own bench())
                              layer_f   forward only, under torch.no_grad()
                              proj_fb   the projections' plain matrix products, forward +
                                        backward of mean(y^2) (of each product's output, summed,
                                        for mamba2), the same products as the Java projections
                              proj_f    the same, forward only, under torch.no_grad()
                        SCAN: lru: one of the peer's scans (seq, assoc, chunk); mamba2: chunk (its
                        only one, the chunked SSD scan); ignored for proj_*
  info                  the BLAS behind torch's matrix products, as it reports itself: answers
                        "info {JSON}" with blas_threads and blas_config (OpenBLAS's thread count
                        and build string; null for a BLAS without these calls)
  quit

On start it sets torch's intra-op threads (argument 2, if > 0), runs the peer's own correctness
check (lru: the requested scans against its sequential loop; mamba2: its chunked scan against its
recurrence) and answers "ready torch=VERSION threads=N interop=M".

Usage: python3 peer_driver.py PEER_SCRIPT THREADS SCANS [lru|mamba2]
"""
import ctypes
import importlib.util
import json
import os
import sys
import time

import torch


def load_peer(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
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


def zero_grads(tensors):
    for v in tensors:
        v.grad = None


class Lru:
    """lru_torch.py: its layer with one of its scans; projections u @ W_in @ W_out."""

    def __init__(self, peer, scans):
        self.peer, self.state = peer, {}
        for s in scans:
            if s not in peer.SCANS:
                raise SystemExit(f"unknown peer scan {s!r}; the peer has {sorted(peer.SCANS)}")
        self.scans = scans

    def check(self):
        peer = self.peer
        p = peer.lru_params(8, 16)
        u = torch.randn(2, 784, 8)
        ref = peer.layer(p, u, peer.scan_seq)
        for s in self.scans:
            err = (peer.layer(p, u, peer.SCANS[s]) - ref).abs().max().item()
            assert err < 1e-3 * ref.abs().max().item(), (s, err)

    def setup(self, n, b, length, h, seed, chunk):
        if "chunk" in self.scans and length % 28:
            raise SystemExit(f"the peer's chunk scan needs a length divisible by 28, not {length}")
        st = self.state
        st.clear()
        torch.manual_seed(seed)
        st["p"] = self.peer.lru_params(h, n)
        st["u"] = torch.randn(b, length, h)
        st["w_in"] = torch.randn(h, 2 * n).requires_grad_(True)
        st["w_out"] = torch.randn(2 * n, h).requires_grad_(True)
        return ""

    def layer_fb(self, scan):
        p = self.state["p"]
        y = self.peer.layer(p, self.state["u"], self.peer.SCANS[scan])
        (y * y).mean().backward()
        zero_grads(p.values())

    def layer_f(self, scan):
        with torch.no_grad():
            self.peer.layer(self.state["p"], self.state["u"], self.peer.SCANS[scan])

    def proj_fb(self, scan):
        w_in, w_out = self.state["w_in"], self.state["w_out"]
        y = self.state["u"] @ w_in @ w_out
        (y * y).mean().backward()
        zero_grads((w_in, w_out))

    def proj_f(self, scan):
        with torch.no_grad():
            self.state["u"] @ self.state["w_in"] @ self.state["w_out"]


class Mamba2:
    """mamba2_torch.py: its Mamba2Block; projections u @ W_in and v @ W_out of its shapes."""

    def __init__(self, peer, scans):
        if list(scans) != ["chunk"]:
            raise SystemExit(f"the Mamba-2 peer has one scan, chunk (chunked SSD), not {scans}")
        self.peer, self.state = peer, {}

    def check(self):
        self.peer.check()  # chunked against recurrent, in double precision; prints its error

    def setup(self, n, b, length, h, seed, chunk):
        if length % chunk:
            raise SystemExit(f"the peer's SSD scan needs a length divisible by {chunk}, not {length}")
        st = self.state
        st.clear()
        torch.manual_seed(seed)
        blk = self.peer.Mamba2Block(h, n, chunk=chunk)
        st["blk"] = blk
        st["u"] = torch.randn(b, length, h)
        width = blk.in_proj.out_features
        st["w_in"] = torch.randn(h, width).requires_grad_(True)
        st["w_out"] = torch.randn(blk.di, h).requires_grad_(True)
        st["v"] = torch.randn(b, length, blk.di)
        return f" inner={blk.di} heads={blk.h} head_dim={blk.p} in_proj={width} chunk={blk.chunk}"

    def layer_fb(self, scan):
        blk = self.state["blk"]
        y = blk(self.state["u"])
        (y * y).mean().backward()
        blk.zero_grad(set_to_none=True)

    def layer_f(self, scan):
        with torch.no_grad():
            self.state["blk"](self.state["u"])

    def proj_fb(self, scan):
        w_in, w_out = self.state["w_in"], self.state["w_out"]
        p = self.state["u"] @ w_in
        q = self.state["v"] @ w_out
        ((p * p).mean() + (q * q).mean()).backward()
        zero_grads((w_in, w_out))

    def proj_f(self, scan):
        with torch.no_grad():
            self.state["u"] @ self.state["w_in"]
            self.state["v"] @ self.state["w_out"]


MODELS = dict(lru=Lru, mamba2=Mamba2)


def main():
    model_name = sys.argv[4] if len(sys.argv) > 4 else "lru"
    if model_name not in MODELS:
        raise SystemExit(f"unknown model {model_name!r}; known: {sorted(MODELS)}")
    peer = load_peer(sys.argv[1], model_name + "_peer")
    threads = int(sys.argv[2])
    scans = sys.argv[3].split(",")
    if threads > 0:
        torch.set_num_threads(threads)
    model = MODELS[model_name](peer, scans)
    # The peer's own correctness check; its prints go to stderr, stdout carries the answers.
    stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        model.check()
    finally:
        sys.stdout = stdout
    print(f"ready torch={torch.__version__} threads={torch.get_num_threads()}"
          f" interop={torch.get_num_interop_threads()}", flush=True)

    kinds = dict(layer_fb=model.layer_fb, layer_f=model.layer_f,
                 proj_fb=model.proj_fb, proj_f=model.proj_f)

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
            chunk = int(words[6]) if len(words) > 6 else 0
            print("ok" + model.setup(n, b, length, h, seed, chunk), flush=True)
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
