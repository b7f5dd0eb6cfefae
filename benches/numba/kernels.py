"""The benchmark kernels in Numba: the same algorithms, sizes and data shapes as rjit's
(benches/kernels/mod.rs and the spike sampler). Run by `cargo run --release --example compare`,
which creates the virtual environment; prints one JSON object per line:
{"kernel": ..., "variant": "serial"|"parallel", "first_ms": ..., "steady_ms": ...}.
"""
import json
import math
import sys
import time

import numpy as np
from numba import njit, prange

# ---------------------------------------------------------------- kernels


@njit
def mandelbrot(w, h, max_iter):
    out = np.zeros((h, w), dtype=np.int64)
    for j in range(h):
        for i in range(w):
            cr = -2.0 + 3.0 * i / w
            ci = -1.0 + 2.0 * j / h
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                n += 1
            out[j, i] = n
    return out


@njit(parallel=True)
def mandelbrot_par(w, h, max_iter):
    out = np.zeros((h, w), dtype=np.int64)
    for j in prange(h):
        for i in range(w):
            cr = -2.0 + 3.0 * i / w
            ci = -1.0 + 2.0 * j / h
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                n += 1
            out[j, i] = n
    return out


def make_nbody(parallel):
    loop = prange if parallel else range

    @njit(parallel=parallel)
    def nbody(pos, vel, mass, dt):
        n = pos.shape[0]
        acc = np.zeros((n, 3))
        for i in loop(n):
            xi, yi, zi = pos[i, 0], pos[i, 1], pos[i, 2]
            ax = 0.0
            ay = 0.0
            az = 0.0
            for j in range(n):
                dx = pos[j, 0] - xi
                dy = pos[j, 1] - yi
                dz = pos[j, 2] - zi
                r2 = dx * dx + dy * dy + dz * dz + 1e-3
                f = mass[j] / (r2 * math.sqrt(r2))
                ax += dx * f
                ay += dy * f
                az += dz * f
            acc[i, 0] = ax
            acc[i, 1] = ay
            acc[i, 2] = az
        vel += acc * dt
        pos += vel * dt

    return nbody


def make_pairwise(parallel):
    loop = prange if parallel else range

    @njit(parallel=parallel)
    def pairwise(x):
        n, d = x.shape
        out = np.empty((n, n))
        for i in loop(n):
            for j in range(n):
                s = 0.0
                for k in range(d):
                    t = x[i, k] - x[j, k]
                    s += t * t
                out[i, j] = math.sqrt(s)
        return out

    return pairwise


@njit
def jacobi(u, out):
    n, m = u.shape
    change = 0.0
    for i in range(1, n - 1):
        for j in range(1, m - 1):
            v = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
            change = max(change, abs(v - u[i, j]))
            out[i, j] = v
    return change


@njit(parallel=True)
def jacobi_par(u, out):
    n, m = u.shape
    change = 0.0
    for i in prange(1, n - 1):
        row_change = 0.0
        for j in range(1, m - 1):
            v = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
            row_change = max(row_change, abs(v - u[i, j]))
            out[i, j] = v
        change = max(change, row_change)
    return change


@njit
def histogram(x, bins):
    hist = np.zeros(bins, dtype=np.int64)
    for i in range(x.shape[0]):
        b = min(int(x[i] * bins), bins - 1)
        hist[b] += 1
    return hist


@njit(parallel=True)
def histogram_par(x, bins):
    hist = np.zeros(bins, dtype=np.int64)
    chunks = 16
    per = (x.shape[0] + chunks - 1) // chunks
    for c in prange(chunks):
        local = np.zeros(bins, dtype=np.int64)
        for i in range(c * per, min(c * per + per, x.shape[0])):
            b = min(int(x[i] * bins), bins - 1)
            local[b] += 1
        hist += local
    return hist


@njit
def monte_carlo_pi(n):
    inside = 0
    for _ in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / n


@njit(parallel=True)
def monte_carlo_pi_par(n):
    inside = 0
    for _ in prange(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return 4.0 * inside / n


@njit(inline="always")
def cnd(d):
    k = 1.0 / (1.0 + 0.2316419 * abs(d))
    poly = ((((1.330274429 * k - 1.821255978) * k + 1.781477937) * k - 0.356563782) * k + 0.31938153) * k
    r = 0.3989422804014327 * math.exp(-0.5 * d * d) * poly
    return 1.0 - r if d > 0.0 else r


def make_black_scholes(parallel):
    loop = prange if parallel else range

    @njit(parallel=parallel)
    def black_scholes(s, k, t, r, v, call):
        for i in loop(s.shape[0]):
            sqrt_t = math.sqrt(t[i])
            d1 = (math.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrt_t)
            d2 = d1 - v * sqrt_t
            call[i] = s[i] * cnd(d1) - k[i] * math.exp(-r * t[i]) * cnd(d2)

    return black_scholes


@njit
def logreg_grad(x, y, w):
    n, d = x.shape
    grad = np.zeros(d)
    for i in range(n):
        z = 0.0
        for k in range(d):
            z += x[i, k] * w[k]
        e = 1.0 / (1.0 + math.exp(-z)) - y[i]
        for k in range(d):
            grad[k] += e * x[i, k]
    return grad / n


@njit(parallel=True)
def logreg_grad_par(x, y, w):
    n, d = x.shape
    grad = np.zeros(d)
    chunks = 16
    per = (n + chunks - 1) // chunks
    for c in prange(chunks):
        local = np.zeros(d)
        for i in range(c * per, min(c * per + per, n)):
            z = 0.0
            for k in range(d):
                z += x[i, k] * w[k]
            e = 1.0 / (1.0 + math.exp(-z)) - y[i]
            for k in range(d):
                local[k] += e * x[i, k]
        grad += local
    return grad / n


def make_matmul(parallel):
    loop = prange if parallel else range

    @njit(parallel=parallel)
    def matmul(a, b):
        n, m = a.shape
        p = b.shape[1]
        out = np.zeros((n, p))
        for i in loop(n):
            for k in range(m):
                aik = a[i, k]
                for j in range(p):
                    out[i, j] += aik * b[k, j]
        return out

    return matmul


@njit
def prefix_sum(a, out):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
        out[i] = s


@njit
def get_spike(h, n, r):
    s = 0.0
    for i in range(0, n - 1):
        s += h[i]
        if r <= s:
            return i
    return n - 1


def make_spikes(parallel):
    loop = prange if parallel else range

    @njit(parallel=parallel)
    def spikes(r, hs):
        iters, n = hs.shape
        out = np.zeros(iters, dtype=np.uint64)
        for i in loop(iters):
            h = hs[i]
            h /= h.sum()
            out[i] = get_spike(h, n, r[i])
        return out

    return spikes


# ---------------------------------------------------------------- timing


def measure(name, variant, fn, make_args, budget=1.0):
    """First call (compile included) on fresh arguments, then the fastest steady call."""
    args = make_args()
    t = time.perf_counter()
    fn(*args)
    first = time.perf_counter() - t
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < budget and len(times) < 200):
        args = make_args()
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    print(json.dumps({"kernel": name, "variant": variant, "first_ms": first * 1e3, "steady_ms": min(times) * 1e3}), flush=True)


def main():
    rng = np.random.default_rng(7)
    w, h, it = 600, 400, 200
    measure("mandelbrot", "serial", mandelbrot, lambda: (w, h, it))
    measure("mandelbrot", "parallel", mandelbrot_par, lambda: (w, h, it))

    pos0, mass = rng.random((1000, 3)), rng.random(1000)
    for par in (False, True):
        measure("nbody", "parallel" if par else "serial", make_nbody(par), lambda: (pos0.copy(), np.zeros((1000, 3)), mass, 1e-6))

    x = rng.random((1000, 3))
    for par in (False, True):
        measure("pairwise_distances", "parallel" if par else "serial", make_pairwise(par), lambda: (x,))

    u, out = rng.random((1000, 1000)), np.zeros((1000, 1000))
    measure("jacobi_2d", "serial", jacobi, lambda: (u, out))
    measure("jacobi_2d", "parallel", jacobi_par, lambda: (u, out))

    xs = rng.random(2_000_000)
    measure("histogram", "serial", histogram, lambda: (xs, 64))
    measure("histogram", "parallel", histogram_par, lambda: (xs, 64))

    measure("monte_carlo_pi", "serial", monte_carlo_pi, lambda: (2_000_000,))
    measure("monte_carlo_pi", "parallel", monte_carlo_pi_par, lambda: (2_000_000,))

    n = 1_000_000
    s, k, t = 50 + 50 * rng.random(n), 50 + 50 * rng.random(n), 0.25 + 2 * rng.random(n)
    call = np.zeros(n)
    for par in (False, True):
        measure("black_scholes", "parallel" if par else "serial", make_black_scholes(par), lambda: (s, k, t, 0.02, 0.3, call))

    lx, ly = rng.random((200_000, 16)) - 0.5, (rng.random(200_000) > 0.5).astype(np.float64)
    lw = (np.arange(16) - 8.0) * 0.1
    measure("logreg_gradient", "serial", logreg_grad, lambda: (lx, ly, lw))
    measure("logreg_gradient", "parallel", logreg_grad_par, lambda: (lx, ly, lw))

    a, b = rng.random((256, 256)), rng.random((256, 256))
    for par in (False, True):
        measure("matmul_naive", "parallel" if par else "serial", make_matmul(par), lambda: (a, b))

    v, pout = rng.random(4_000_000), np.zeros(4_000_000)
    measure("prefix_sum", "serial", prefix_sum, lambda: (v, pout))

    iters, neurons = int(sys.argv[1]) if len(sys.argv) > 1 else 4000, int(sys.argv[2]) if len(sys.argv) > 2 else 4000
    r, h0 = rng.random(iters), rng.random((iters, neurons))
    for par in (False, True):
        measure("spikes", "parallel" if par else "serial", make_spikes(par), lambda: (r, h0.copy()), budget=3.0)


if __name__ == "__main__":
    main()
