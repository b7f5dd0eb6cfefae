#!/usr/bin/env python3
"""Inputs and NumPy reference results for the Numba ports in tests/suite/ports/.

Each reference below computes what the original Numba kernel computes, written with NumPy (vectorized
where NumPy has the operation, so that it is an independent check of the port, not a second copy of
it). Inputs come from seeded generators and are stored beside the results, so the Rust tests read
exactly the numbers the references saw.

Run: python3 tests/ports/make_fixtures.py
When NumPy is missing, the script makes a virtual environment with it under target/ports-venv and
runs itself there.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "ports", "fixtures")


def ensure_numpy():
    try:
        import numpy  # noqa: F401
        return
    except ImportError:
        pass
    venv = os.path.join(ROOT, "target", "ports-venv")
    python = os.path.join(venv, "bin", "python")
    if not os.path.exists(python):
        subprocess.check_call([sys.executable, "-m", "venv", venv])
        subprocess.check_call([python, "-m", "pip", "install", "--quiet", "numpy"])
    os.execv(python, [python] + sys.argv)


ensure_numpy()
import numpy as np  # noqa: E402


def enc(x):
    """JSON for arrays and numbers; NaN and infinities as strings (JSON has none)."""
    if isinstance(x, np.ndarray):
        if np.iscomplexobj(x):
            return {"re": enc(x.real), "im": enc(x.imag)}
        return [enc(v) for v in x.tolist()] if x.ndim > 1 else [enc(v) for v in x.tolist()]
    if isinstance(x, list):
        return [enc(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if np.isnan(x):
            return "nan"
        if np.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, complex):
        return {"re": enc(x.real), "im": enc(x.imag)}
    raise TypeError(type(x))


def save(name, inputs, outputs):
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"inputs": {k: enc(v) for k, v in inputs.items()},
                   "outputs": {k: enc(v) for k, v in outputs.items()}}, f, separators=(",", ":"))
        f.write("\n")


rng = np.random.RandomState(2026)

# numba/numba examples/bubblesort.py
X = rng.randint(-100, 100, size=40).astype(np.int64)
save("bubblesort", {"X": X}, {"X": np.sort(X)})

# numba/numba examples/laplace2d/laplace2d.py: jacobi_relax_core
A = rng.uniform(0.0, 1.0, (12, 10))
Anew = np.zeros_like(A)
Anew[1:-1, 1:-1] = 0.25 * (A[1:-1, 2:] + A[1:-1, :-2] + A[:-2, 1:-1] + A[2:, 1:-1])
save("jacobi_relax_core", {"A": A}, {"Anew": Anew, "error": np.abs(Anew - A)[1:-1, 1:-1].max()})

# numba/numba examples/findmulti.py: FindMult
U = rng.randint(0, 3, size=30).astype(np.float64)
cases = [(5, 1.0, 2), (10, 0.0, 3), (20, 2.0, 1), (3, 1.0, 0)]
counts = [int(np.sum(U[i - p:i + p + 2] == u)) for (i, u, p) in cases]
save("find_mult", {"U": U, "cases": [[i, u, p] for (i, u, p) in cases]}, {"s": counts})

# numba/numba examples/kernel-density-estimation/kernel_density_estimation.py: kde
Xk = rng.uniform(0.0, 1.0, 200)
b, points = 0.5, np.array([-1.0, 2.0, 5.0])
d = -((Xk[:, None] - points) ** 2) / (2 * b ** 2)
m = d.min(axis=1)
kde = np.sum(m - np.log(b * len(points)) + np.log(np.exp(d - m[:, None]).sum(axis=1)))
save("kde", {"X": Xk}, {"exps": kde})

# numba/numba examples/blur_image.py: filter2d
image = rng.uniform(0.0, 255.0, (20, 16))
filt = rng.uniform(-1.0, 1.0, (3, 5))
M, N = image.shape
Mf, Nf = filt.shape
Mf2, Nf2 = Mf // 2, Nf // 2
result = np.zeros_like(image)
inner = np.zeros((M - 2 * Mf2, N - 2 * Nf2))
for ii in range(Mf):
    for jj in range(Nf):
        inner += filt[Mf - 1 - ii, Nf - 1 - jj] * image[ii:ii + M - 2 * Mf2, jj:jj + N - 2 * Nf2]
result[Mf2:M - Mf2, Nf2:N - Nf2] = inner
save("filter2d", {"image": image, "filt": filt}, {"result": result})

# numba/numba examples/fbcorr.py: fbcorr
imgs = rng.randn(2, 7, 6, 3)
filters = rng.randn(4, 3, 2, 3)
n_imgs, n_rows, n_cols, n_ch = imgs.shape
n_f, h, w, _ = filters.shape
out = np.zeros((n_imgs, n_f, n_rows - h + 1, n_cols - w + 1))
for rr in range(n_rows - h + 1):
    for cc in range(n_cols - w + 1):
        window = imgs[:, rr:rr + h, cc:cc + w, :]
        out[:, :, rr, cc] = np.einsum("ihwc,fhwc->if", window, filters)
save("fbcorr", {"imgs": imgs.ravel(), "filters": filters.ravel(),
                "imgs_shape": list(imgs.shape), "filters_shape": list(filters.shape)},
     {"output": out.ravel(), "output_shape": list(out.shape)})

# numba/numba examples/linear_regression/linear_regression.py
Nl, Dl, pl = 60, 4, 3
Xl = rng.random_sample((Nl, Dl))
Yl = rng.random_sample((Nl, pl))
wl = np.zeros((Dl, pl))
alphaN = 0.01 / Nl
for _ in range(5):
    wl = wl - alphaN * (Xl.T @ (Xl @ wl - Yl))
save("linear_regression", {"X": Xl, "Y": Yl, "alphaN": alphaN}, {"w": wl})

# numba/numba examples/logistic-regression/logistic_regression.py
Xg = rng.random_sample((50, 4))
Yg = rng.random_sample(50)
wg0 = 2.0 * np.ones(4) - 1.3
wg = wg0.copy()
for _ in range(5):
    wg = wg - ((1.0 / (1.0 + np.exp(-Yg * (Xg @ wg))) - 1.0) * Yg) @ Xg
save("logistic_regression", {"X": Xg, "Y": Yg, "w": wg0}, {"w": wg})

# numba/numba-benchmark benchmarks/bench_numbagg.py: nanmean, move_nanmean
a = rng.randn(6, 7)
a[a < -1] = np.nan
save("nanmean", {"a": a}, {"mean": np.nanmean(a)})
a1 = rng.randn(40)
a1[a1 < -0.8] = np.nan
window = 5
moved = np.full_like(a1, np.nan)
for i in range(window - 1, len(a1)):
    win = a1[i - window + 1:i + 1]
    if np.any(~np.isnan(win)):
        moved[i] = np.nanmean(win)
save("move_nanmean", {"a": a1, "window": window}, {"out": moved})

# numba/numba-benchmark benchmarks/bench_misc.py: grouped_sum
values = rng.randn(300)
labels = rng.randint(8, size=300).astype(np.int64)
save("grouped_sum", {"values": values, "labels": labels}, {"target": np.bincount(labels, values, minlength=8)})

# numba/numba-benchmark benchmarks/bench_centdiff.py
u1 = rng.rand(30)
dx = 1.5
D1 = np.zeros_like(u1)
D1[1:-1] = (u1[:-2] + u1[2:] - 2.0 * u1[1:-1]) / dx ** 2
u2 = rng.rand(12, 9)
D2 = np.zeros_like(u2)
D2[1:-1, 1:-1] = (u2[2:, 1:-1] + u2[1:-1, 2:] + u2[:-2, 1:-1] + u2[1:-1, :-2] - 4.0 * u2[1:-1, 1:-1]) / dx ** 2
save("centered_difference", {"u1": u1, "u2": u2, "dx": dx}, {"D1": D1, "D2": D2})

# numba/numba-benchmark benchmarks/bench_gameoflife.py: numba_life_step
state = rng.random_sample((12, 10)) > 0.5
neighbors = sum(np.roll(np.roll(state.astype(np.int8), di, 0), dj, 1)
                for di in (-1, 0, 1) for dj in (-1, 0, 1) if (di, dj) != (0, 0))
save("life_step", {"X": state}, {"next": (neighbors == 3) | (state & (neighbors == 2))})

# numba/numba examples/mandel.py: mandel, create_fractal
height, width, iters = 12, 20, 20
img = np.zeros((height, width), dtype=np.uint8)
xs = -2.0 + np.arange(width) * ((1.0 - -2.0) / width)
ys = -1.0 + np.arange(height) * ((1.0 - -1.0) / height)
c = xs[None, :] + 1j * ys[:, None]
z = np.zeros_like(c)
color = np.full(c.shape, 255, dtype=np.int64)
done = np.zeros(c.shape, dtype=bool)
for i in range(iters):
    z = np.where(done, z, z * z + c)
    escaped = ~done & (z.real * z.real + z.imag * z.imag >= 4)
    color[escaped] = 255 * i // iters
    done |= escaped
save("create_fractal", {"height": height, "width": width, "iters": iters}, {"image": color.astype(np.uint8)})

# numba/numba examples/k-means/k-means.py: argmin
dist = rng.rand(15, 4)
save("kmeans_argmin", {"dist": dist}, {"mins": np.argmin(dist, axis=1).astype(np.int64)})

# numba/numba examples/juliaset/juliaset.py: iterate
Z = (rng.uniform(-0.8, 0.8, (6, 7)) + 1j * rng.uniform(-0.8, 0.8, (6, 7)))
cj = -.745429 + .11308j
Zi = Z.copy()
for _ in range(12):
    Zi = Zi * Zi + cj
save("julia_iterate", {"Z": Z, "c": cj, "col": 12}, {"W": np.exp(-np.abs(Zi))})

# numba/numba-benchmark benchmarks/bench_nbody.py: run_numba_nbody, against its NumPy twin there
pos = rng.uniform(-1.0, 1.0, (20, 2)).astype(np.float32)
wts = rng.uniform(1.0, 2.0, 20).astype(np.float32)
acc = np.zeros_like(pos)
for j in range(len(wts)):
    r = pos[j] - pos
    sqr = r[:, 0] * r[:, 0] + r[:, 1] * r[:, 1] + np.float32(1e-6)
    inv = np.float32(1.0) / np.sqrt(sqr * sqr * sqr)
    acc += (r.T * (wts[j] * inv)).T
save("nbody_accelerations", {"positions": pos.astype(np.float64), "weights": wts.astype(np.float64)},
     {"accelerations": acc.astype(np.float64)})

# numba/numba-benchmark benchmarks/bench_laplace.py: laplace
Nq, Niter = 10, 20
dxq = dyq = 0.1
dx2, dy2 = dxq * dxq, dyq * dyq
uq = np.zeros((Nq, Nq))
uq[0] = 1
for _ in range(Niter):
    uq[1:-1, 1:-1] = (((uq[2:, 1:-1] + uq[:-2, 1:-1]) * dy2) + ((uq[1:-1, 2:] + uq[1:-1, :-2]) * dx2)) / (2 * (dx2 + dy2))
save("laplace", {"N": Nq, "Niter": Niter, "dx2": dx2, "dy2": dy2}, {"u": uq})

# numba/numba-benchmark benchmarks/bench_arrayexprs.py
ea = rng.uniform(1.0, 2.0, 50)
eb = rng.uniform(1.0, 2.0, 50)
save("arrayexprs", {"a": ea, "b": eb},
     {"sum": ea + eb, "sq_diff": (ea - eb) * (ea + eb), "rel_diff": (ea - eb) / (ea + eb),
      "square": ea ** 2, "cube": ea ** 3})

print("wrote", len(os.listdir(OUT)), "fixtures to", OUT)
