"""numpy's side of `Benchmarks gemm`: square matrix products timed on request.

`Benchmarks` starts this script as a child process and alternates with it, so the load of a
shared machine falls on OptimKit and numpy alike. Protocol (one line per request on stdin):

    f32 256 7 0.1  -> time 7 products C = A @ B of 256 x 256 float32 matrices
                      (after one untimed product the first time this size is asked for,
                      and untimed products for 0.1 s first; the last field is optional)
                      and print the 7 times in seconds on one line

The first line printed is `ready <BLAS description>`, read from threadpoolctl: which library,
version, kernel ("architecture") and thread count numpy's matmul runs with.
"""
import sys
import time

import numpy as np

try:
    from threadpoolctl import threadpool_info

    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    blas = "; ".join(
        f"{p.get('internal_api')} {p.get('version')} kernel {p.get('architecture')} "
        f"threads {p.get('num_threads')}"
        for p in pools
    ) or "unknown (threadpoolctl found no BLAS)"
except ImportError:
    blas = "unknown (threadpoolctl not installed)"

rng = np.random.default_rng(11)
operands = {}
print(f"ready numpy {np.__version__}, {blas}", flush=True)
for line in sys.stdin:
    fields = line.split()
    label, n, count = fields[0], int(fields[1]), int(fields[2])
    warm = float(fields[3]) if len(fields) > 3 else 0.0
    key = (label, n)
    if key not in operands:
        dtype = np.float64 if label == "f64" else np.float32
        a = rng.standard_normal((n, n)).astype(dtype)
        b = rng.standard_normal((n, n)).astype(dtype)
        c = np.empty((n, n), dtype)
        np.matmul(a, b, out=c)  # warm-up: first call sizes OpenBLAS buffers
        operands[key] = (a, b, c)
    a, b, c = operands[key]
    # Untimed products for `warm` seconds first, exactly as OptimKit's side does.
    warm_until = time.perf_counter() + warm
    while time.perf_counter() < warm_until:
        np.matmul(a, b, out=c)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - start)
    print(" ".join(repr(t) for t in times), flush=True)
