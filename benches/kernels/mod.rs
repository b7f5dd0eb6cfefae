//! The classic-kernel suite: each kernel in rjit (serial, and parallel where it fits) beside the
//! same algorithm written by hand in Rust (serial, and with rayon), on the same data. Shared by
//! `benches/classic.rs` (criterion) and `examples/compare.rs` (the table against Numba, whose
//! versions are in `benches/numba/kernels.py`). `check` compares every rjit result with the
//! hand-written one before anything is timed.
#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use rjit::prelude::*;

// ---------------------------------------------------------------- mandelbrot

#[njit]
pub fn mandelbrot(w: usize, h: usize, max_iter: i64) -> Array2<i64> {
    let out = np.zeros((h, w), dtype = np.int64);
    for j in range(h) {
        for i in range(w) {
            let cr = -2.0 + 3.0 * i as f64 / w as f64;
            let ci = -1.0 + 2.0 * j as f64 / h as f64;
            let mut zr = 0.0;
            let mut zi = 0.0;
            let mut n = 0;
            while n < max_iter && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n += 1;
            }
            out[[j, i]] = n;
        }
    }
    out
}

#[njit(parallel)]
pub fn mandelbrot_par(w: usize, h: usize, max_iter: i64) -> Array2<i64> {
    let out = np.zeros((h, w), dtype = np.int64);
    for j in prange(h) {
        for i in range(w) {
            let cr = -2.0 + 3.0 * i as f64 / w as f64;
            let ci = -1.0 + 2.0 * j as f64 / h as f64;
            let mut zr = 0.0;
            let mut zi = 0.0;
            let mut n = 0;
            while n < max_iter && zr * zr + zi * zi <= 4.0 {
                let t = zr * zr - zi * zi + cr;
                zi = 2.0 * zr * zi + ci;
                zr = t;
                n += 1;
            }
            out[[j, i]] = n;
        }
    }
    out
}

fn mandel_point(i: usize, j: usize, w: usize, h: usize, max_iter: i64) -> i64 {
    let cr = -2.0 + 3.0 * i as f64 / w as f64;
    let ci = -1.0 + 2.0 * j as f64 / h as f64;
    let (mut zr, mut zi, mut n) = (0.0f64, 0.0f64, 0);
    while n < max_iter && zr * zr + zi * zi <= 4.0 {
        let t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        n += 1;
    }
    n
}

pub fn mandelbrot_hand(w: usize, h: usize, max_iter: i64) -> Array2<i64> {
    Array2::from_shape_fn((h, w), |(j, i)| mandel_point(i, j, w, h, max_iter))
}

pub fn mandelbrot_rayon(w: usize, h: usize, max_iter: i64) -> Array2<i64> {
    let mut out = Array2::zeros((h, w));
    out.as_slice_mut().expect("C order").par_chunks_mut(w).enumerate().for_each(|(j, row)| {
        for (i, v) in row.iter_mut().enumerate() {
            *v = mandel_point(i, j, w, h, max_iter);
        }
    });
    out
}

// ---------------------------------------------------------------- n-body step

#[njit]
pub fn nbody(pos: ArrayViewMut2<f64>, vel: ArrayViewMut2<f64>, mass: ArrayView1<f64>, dt: f64) {
    let n = pos.len();
    let acc = np.zeros((n, 3));
    for i in range(n) {
        let (xi, yi, zi) = (pos[[i, 0]], pos[[i, 1]], pos[[i, 2]]);
        let (mut ax, mut ay, mut az) = (0.0, 0.0, 0.0);
        for j in range(n) {
            let dx = pos[[j, 0]] - xi;
            let dy = pos[[j, 1]] - yi;
            let dz = pos[[j, 2]] - zi;
            let r2 = dx * dx + dy * dy + dz * dz + 1e-3;
            let f = mass[j] / (r2 * np.sqrt(r2));
            ax += dx * f;
            ay += dy * f;
            az += dz * f;
        }
        acc[[i, 0]] = ax;
        acc[[i, 1]] = ay;
        acc[[i, 2]] = az;
    }
    vel += acc * dt;
    pos += vel * dt;
}

#[njit(parallel)]
pub fn nbody_par(pos: ArrayViewMut2<f64>, vel: ArrayViewMut2<f64>, mass: ArrayView1<f64>, dt: f64) {
    let n = pos.len();
    let acc = np.zeros((n, 3));
    for i in prange(n) {
        let (xi, yi, zi) = (pos[[i, 0]], pos[[i, 1]], pos[[i, 2]]);
        let (mut ax, mut ay, mut az) = (0.0, 0.0, 0.0);
        for j in range(n) {
            let dx = pos[[j, 0]] - xi;
            let dy = pos[[j, 1]] - yi;
            let dz = pos[[j, 2]] - zi;
            let r2 = dx * dx + dy * dy + dz * dz + 1e-3;
            let f = mass[j] / (r2 * np.sqrt(r2));
            ax += dx * f;
            ay += dy * f;
            az += dz * f;
        }
        acc[[i, 0]] = ax;
        acc[[i, 1]] = ay;
        acc[[i, 2]] = az;
    }
    vel += acc * dt;
    pos += vel * dt;
}

fn nbody_acc(pos: &Array2<f64>, mass: &Array1<f64>, i: usize) -> [f64; 3] {
    let (xi, yi, zi) = (pos[[i, 0]], pos[[i, 1]], pos[[i, 2]]);
    let mut a = [0.0f64; 3];
    for j in 0..pos.nrows() {
        let (dx, dy, dz) = (pos[[j, 0]] - xi, pos[[j, 1]] - yi, pos[[j, 2]] - zi);
        let r2 = dx * dx + dy * dy + dz * dz + 1e-3;
        let f = mass[j] / (r2 * r2.sqrt());
        a[0] += dx * f;
        a[1] += dy * f;
        a[2] += dz * f;
    }
    a
}

fn nbody_update(pos: &mut Array2<f64>, vel: &mut Array2<f64>, acc: &[[f64; 3]], dt: f64) {
    for (i, a) in acc.iter().enumerate() {
        for k in 0..3 {
            vel[[i, k]] += a[k] * dt;
            pos[[i, k]] += vel[[i, k]] * dt;
        }
    }
}

pub fn nbody_hand(pos: &mut Array2<f64>, vel: &mut Array2<f64>, mass: &Array1<f64>, dt: f64) {
    let acc: Vec<[f64; 3]> = (0..pos.nrows()).map(|i| nbody_acc(pos, mass, i)).collect();
    nbody_update(pos, vel, &acc, dt);
}

pub fn nbody_rayon(pos: &mut Array2<f64>, vel: &mut Array2<f64>, mass: &Array1<f64>, dt: f64) {
    let p = &*pos;
    let acc: Vec<[f64; 3]> = (0..p.nrows()).into_par_iter().map(|i| nbody_acc(p, mass, i)).collect();
    nbody_update(pos, vel, &acc, dt);
}

// ---------------------------------------------------------------- pairwise distances

#[njit]
pub fn pairwise(x: ArrayView2<f64>) -> Array2<f64> {
    let (n, d) = x.shape();
    let out = np.empty((n, n));
    for i in range(n) {
        for j in range(n) {
            let mut s = 0.0;
            for k in range(d) {
                let t = x[[i, k]] - x[[j, k]];
                s += t * t;
            }
            out[[i, j]] = np.sqrt(s);
        }
    }
    out
}

#[njit(parallel)]
pub fn pairwise_par(x: ArrayView2<f64>) -> Array2<f64> {
    let (n, d) = x.shape();
    let out = np.empty((n, n));
    for i in prange(n) {
        for j in range(n) {
            let mut s = 0.0;
            for k in range(d) {
                let t = x[[i, k]] - x[[j, k]];
                s += t * t;
            }
            out[[i, j]] = np.sqrt(s);
        }
    }
    out
}

fn pairwise_row(x: &Array2<f64>, i: usize, row: &mut [f64]) {
    let d = x.ncols();
    for j in 0..x.nrows() {
        let mut s = 0.0;
        for k in 0..d {
            let t = x[[i, k]] - x[[j, k]];
            s += t * t;
        }
        row[j] = s.sqrt();
    }
}

pub fn pairwise_hand(x: &Array2<f64>) -> Array2<f64> {
    let n = x.nrows();
    let mut out = zeros(n, n);
    for (i, row) in out.as_slice_mut().expect("C order").chunks_mut(n).enumerate() {
        pairwise_row(x, i, row);
    }
    out
}

pub fn pairwise_rayon(x: &Array2<f64>) -> Array2<f64> {
    let n = x.nrows();
    let mut out = zeros(n, n);
    out.as_slice_mut().expect("C order").par_chunks_mut(n).enumerate().for_each(|(i, row)| pairwise_row(x, i, row));
    out
}

// ---------------------------------------------------------------- 2-D Jacobi stencil

#[njit]
pub fn jacobi(u: ArrayView2<f64>, out: ArrayViewMut2<f64>) -> f64 {
    let (n, m) = u.shape();
    let mut change = 0.0;
    for i in range(1, n - 1) {
        for j in range(1, m - 1) {
            let v = 0.25 * (u[[i - 1, j]] + u[[i + 1, j]] + u[[i, j - 1]] + u[[i, j + 1]]);
            change = change.max((v - u[[i, j]]).abs());
            out[[i, j]] = v;
        }
    }
    change
}

#[njit(parallel)]
pub fn jacobi_par(u: ArrayView2<f64>, out: ArrayViewMut2<f64>) -> f64 {
    let (n, m) = u.shape();
    let mut change = 0.0;
    for i in prange(1, n - 1) {
        let mut row_change = 0.0;
        for j in range(1, m - 1) {
            let v = 0.25 * (u[[i - 1, j]] + u[[i + 1, j]] + u[[i, j - 1]] + u[[i, j + 1]]);
            row_change = row_change.max((v - u[[i, j]]).abs());
            out[[i, j]] = v;
        }
        change = change.max(row_change);
    }
    change
}

fn jacobi_row(u: &Array2<f64>, i: usize, row: &mut [f64]) -> f64 {
    let mut change = 0.0f64;
    for j in 1..u.ncols() - 1 {
        let v = 0.25 * (u[[i - 1, j]] + u[[i + 1, j]] + u[[i, j - 1]] + u[[i, j + 1]]);
        change = change.max((v - u[[i, j]]).abs());
        row[j] = v;
    }
    change
}

pub fn jacobi_hand(u: &Array2<f64>, out: &mut Array2<f64>) -> f64 {
    let (n, m) = u.dim();
    let mut change = 0.0f64;
    for (i, row) in out.as_slice_mut().expect("C order").chunks_mut(m).enumerate().take(n - 1).skip(1) {
        change = change.max(jacobi_row(u, i, row));
    }
    change
}

pub fn jacobi_rayon(u: &Array2<f64>, out: &mut Array2<f64>) -> f64 {
    let (n, m) = u.dim();
    out.as_slice_mut()
        .expect("C order")
        .par_chunks_mut(m)
        .enumerate()
        .filter(|(i, _)| *i >= 1 && *i < n - 1)
        .map(|(i, row)| jacobi_row(u, i, row))
        .reduce(|| 0.0, f64::max)
}

// ---------------------------------------------------------------- histogram

#[njit]
pub fn histogram(x: &[f64], bins: usize) -> Array1<i64> {
    let hist = np.zeros(bins, dtype = np.int64);
    for i in range(x.len()) {
        let b = (x[i] * bins as f64) as usize;
        hist[b.min(bins - 1)] += 1;
    }
    hist
}

#[njit(parallel)]
pub fn histogram_par(x: &[f64], bins: usize) -> Array1<i64> {
    let mut hist = np.zeros(bins, dtype = np.int64);
    let chunks: usize = 16;
    let per = (x.len() + chunks - 1) / chunks;
    for c in prange(chunks) {
        let local = np.zeros(bins, dtype = np.int64);
        for i in range(c * per, (c * per + per).min(x.len())) {
            let b = (x[i] * bins as f64) as usize;
            local[b.min(bins - 1)] += 1;
        }
        hist += local;
    }
    hist
}

fn histogram_into(x: &[f64], hist: &mut [i64]) {
    let bins = hist.len();
    for v in x {
        let b = ((v * bins as f64) as usize).min(bins - 1);
        hist[b] += 1;
    }
}

pub fn histogram_hand(x: &[f64], bins: usize) -> Vec<i64> {
    let mut hist = vec![0; bins];
    histogram_into(x, &mut hist);
    hist
}

pub fn histogram_rayon(x: &[f64], bins: usize) -> Vec<i64> {
    x.par_chunks(x.len().div_ceil(16).max(1))
        .map(|c| {
            let mut h = vec![0; bins];
            histogram_into(c, &mut h);
            h
        })
        .reduce(|| vec![0; bins], |a, b| a.iter().zip(&b).map(|(x, y)| x + y).collect())
}

// ---------------------------------------------------------------- Monte-Carlo pi

#[njit]
pub fn monte_carlo_pi(n: usize) -> f64 {
    let mut inside = 0;
    for _ in range(n) {
        let x = np.random.random();
        let y = np.random.random();
        if x * x + y * y <= 1.0 {
            inside += 1;
        }
    }
    4.0 * inside as f64 / n as f64
}

#[njit(parallel)]
pub fn monte_carlo_pi_par(n: usize) -> f64 {
    let mut inside = 0;
    for _ in prange(n) {
        let x = np.random.random();
        let y = np.random.random();
        if x * x + y * y <= 1.0 {
            inside += 1;
        }
    }
    4.0 * inside as f64 / n as f64
}

fn pi_count(n: usize, seed: u64) -> u64 {
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut inside = 0;
    for _ in 0..n {
        let (x, y): (f64, f64) = (rng.gen(), rng.gen());
        if x * x + y * y <= 1.0 {
            inside += 1;
        }
    }
    inside
}

pub fn monte_carlo_pi_hand(n: usize) -> f64 {
    4.0 * pi_count(n, 7) as f64 / n as f64
}

pub fn monte_carlo_pi_rayon(n: usize) -> f64 {
    let chunks = 64;
    let inside: u64 =
        (0..chunks).into_par_iter().map(|c| pi_count(n / chunks + usize::from(c < n % chunks), c as u64)).sum();
    4.0 * inside as f64 / n as f64
}

// ---------------------------------------------------------------- Black-Scholes

#[njit(inline)]
pub fn cnd(d: f64) -> f64 {
    let k = 1.0 / (1.0 + 0.2316419 * np.abs(d));
    let poly = ((((1.330274429 * k - 1.821255978) * k + 1.781477937) * k - 0.356563782) * k + 0.31938153) * k;
    let r = 0.3989422804014327 * np.exp(-0.5 * d * d) * poly;
    if d > 0.0 {
        1.0 - r
    } else {
        r
    }
}

#[njit]
pub fn black_scholes(s: &[f64], k: &[f64], t: &[f64], r: f64, v: f64, call: &mut [f64]) {
    for i in range(s.len()) {
        let sqrt_t = np.sqrt(t[i]);
        let d1 = (np.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrt_t);
        let d2 = d1 - v * sqrt_t;
        call[i] = s[i] * cnd(d1) - k[i] * np.exp(-r * t[i]) * cnd(d2);
    }
}

#[njit(parallel)]
pub fn black_scholes_par(s: &[f64], k: &[f64], t: &[f64], r: f64, v: f64, call: &mut [f64]) {
    for i in prange(s.len()) {
        let sqrt_t = np.sqrt(t[i]);
        let d1 = (np.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrt_t);
        let d2 = d1 - v * sqrt_t;
        call[i] = s[i] * cnd(d1) - k[i] * np.exp(-r * t[i]) * cnd(d2);
    }
}

#[inline]
fn cnd_hand(d: f64) -> f64 {
    let k = 1.0 / (1.0 + 0.2316419 * d.abs());
    let poly = ((((1.330274429 * k - 1.821255978) * k + 1.781477937) * k - 0.356563782) * k + 0.31938153) * k;
    let r = 0.3989422804014327 * (-0.5 * d * d).exp() * poly;
    if d > 0.0 {
        1.0 - r
    } else {
        r
    }
}

#[inline]
fn bs_one(s: f64, k: f64, t: f64, r: f64, v: f64) -> f64 {
    let sqrt_t = t.sqrt();
    let d1 = ((s / k).ln() + (r + 0.5 * v * v) * t) / (v * sqrt_t);
    let d2 = d1 - v * sqrt_t;
    s * cnd_hand(d1) - k * (-r * t).exp() * cnd_hand(d2)
}

pub fn black_scholes_hand(s: &[f64], k: &[f64], t: &[f64], r: f64, v: f64, call: &mut [f64]) {
    for i in 0..s.len() {
        call[i] = bs_one(s[i], k[i], t[i], r, v);
    }
}

pub fn black_scholes_rayon(s: &[f64], k: &[f64], t: &[f64], r: f64, v: f64, call: &mut [f64]) {
    call.par_iter_mut().enumerate().for_each(|(i, c)| *c = bs_one(s[i], k[i], t[i], r, v));
}

// ---------------------------------------------------------------- logistic-regression gradient

#[njit]
pub fn logreg_grad(x: ArrayView2<f64>, y: &[f64], w: &[f64]) -> Array1<f64> {
    let (n, d) = x.shape();
    let grad = np.zeros(d);
    for i in range(n) {
        let mut z = 0.0;
        for k in range(d) {
            z += x[[i, k]] * w[k];
        }
        let e = 1.0 / (1.0 + np.exp(-z)) - y[i];
        for k in range(d) {
            grad[k] += e * x[[i, k]];
        }
    }
    grad / n as f64
}

#[njit(parallel)]
pub fn logreg_grad_par(x: ArrayView2<f64>, y: &[f64], w: &[f64]) -> Array1<f64> {
    let (n, d) = x.shape();
    let mut grad = np.zeros(d);
    let chunks: usize = 16;
    let per = (n + chunks - 1) / chunks;
    for c in prange(chunks) {
        let local = np.zeros(d);
        for i in range(c * per, (c * per + per).min(n)) {
            let mut z = 0.0;
            for k in range(d) {
                z += x[[i, k]] * w[k];
            }
            let e = 1.0 / (1.0 + np.exp(-z)) - y[i];
            for k in range(d) {
                local[k] += e * x[[i, k]];
            }
        }
        grad += local;
    }
    grad / n as f64
}

fn logreg_rows(x: &Array2<f64>, y: &[f64], w: &[f64], rows: std::ops::Range<usize>, grad: &mut [f64]) {
    let d = x.ncols();
    for i in rows {
        let row = x.row(i);
        let mut z = 0.0;
        for k in 0..d {
            z += row[k] * w[k];
        }
        let e = 1.0 / (1.0 + (-z).exp()) - y[i];
        for k in 0..d {
            grad[k] += e * row[k];
        }
    }
}

pub fn logreg_grad_hand(x: &Array2<f64>, y: &[f64], w: &[f64]) -> Vec<f64> {
    let mut grad = vec![0.0; x.ncols()];
    logreg_rows(x, y, w, 0..x.nrows(), &mut grad);
    grad.iter().map(|g| g / x.nrows() as f64).collect()
}

pub fn logreg_grad_rayon(x: &Array2<f64>, y: &[f64], w: &[f64]) -> Vec<f64> {
    let (n, d) = x.dim();
    let per = n.div_ceil(16);
    let grad = (0..16)
        .into_par_iter()
        .map(|c| {
            let mut g = vec![0.0; d];
            logreg_rows(x, y, w, (c * per).min(n)..(c * per + per).min(n), &mut g);
            g
        })
        .reduce(|| vec![0.0; d], |a, b| a.iter().zip(&b).map(|(p, q)| p + q).collect());
    grad.iter().map(|g| g / n as f64).collect()
}

// ---------------------------------------------------------------- naive matmul

#[njit]
pub fn matmul(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
    let (n, m) = a.shape();
    let p = b.shape().1;
    let out = np.zeros((n, p));
    for i in range(n) {
        for k in range(m) {
            let aik = a[[i, k]];
            for j in range(p) {
                out[[i, j]] += aik * b[[k, j]];
            }
        }
    }
    out
}

#[njit(parallel)]
pub fn matmul_par(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
    let (n, m) = a.shape();
    let p = b.shape().1;
    let out = np.zeros((n, p));
    for i in prange(n) {
        for k in range(m) {
            let aik = a[[i, k]];
            for j in range(p) {
                out[[i, j]] += aik * b[[k, j]];
            }
        }
    }
    out
}

/// `matmul` without index checks (Numba's default): the inner loop vectorizes.
#[njit(boundscheck = false)]
pub unsafe fn matmul_unchecked(a: ArrayView2<f64>, b: ArrayView2<f64>) -> Array2<f64> {
    let (n, m) = a.shape();
    let p = b.shape().1;
    let out = np.zeros((n, p));
    for i in range(n) {
        for k in range(m) {
            let aik = a[[i, k]];
            for j in range(p) {
                out[[i, j]] += aik * b[[k, j]];
            }
        }
    }
    out
}

fn matmul_row(a: &Array2<f64>, b: &Array2<f64>, i: usize, row: &mut [f64]) {
    for k in 0..a.ncols() {
        let aik = a[[i, k]];
        for j in 0..b.ncols() {
            row[j] += aik * b[[k, j]];
        }
    }
}

pub fn matmul_hand(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let mut out = Array2::zeros((a.nrows(), b.ncols()));
    for (i, row) in out.as_slice_mut().expect("C order").chunks_mut(b.ncols()).enumerate() {
        matmul_row(a, b, i, row);
    }
    out
}

pub fn matmul_rayon(a: &Array2<f64>, b: &Array2<f64>) -> Array2<f64> {
    let mut out = Array2::zeros((a.nrows(), b.ncols()));
    out.as_slice_mut()
        .expect("C order")
        .par_chunks_mut(b.ncols())
        .enumerate()
        .for_each(|(i, row)| matmul_row(a, b, i, row));
    out
}

// ---------------------------------------------------------------- prefix sum

#[njit]
pub fn prefix_sum(a: &[f64], out: &mut [f64]) {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i];
        out[i] = s;
    }
}

pub fn prefix_sum_hand(a: &[f64], out: &mut [f64]) {
    let mut s = 0.0;
    for (o, x) in out.iter_mut().zip(a) {
        s += x;
        *o = s;
    }
}

// ---------------------------------------------------------------- the spike sampler (step 2 and 7)

#[njit]
pub fn get_spike(h: ArrayView1<f64>, n: u64, r: f64) -> u64 {
    let mut s = 0.0;
    for i in range(0, n - 1) {
        s += h[i];
        if r <= s {
            return i;
        }
    }
    n - 1
}

#[njit]
pub fn spikes(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in range(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

#[njit(parallel)]
pub fn spikes_par(r: ArrayView1<f64>, hs: ArrayViewMut2<f64>) -> Array1<u64> {
    let (iters, n) = hs.shape();
    let out = np.zeros(iters, dtype = np.uint64);
    for i in prange(iters) {
        let h = hs[i];
        h /= h.sum();
        out[i] = get_spike(h, n as u64, r[i]);
    }
    out
}

fn spike_row(h: &mut [f64], r: f64) -> u64 {
    let s: f64 = h.iter().fold(0.0, |a, x| a + x);
    h.iter_mut().for_each(|x| *x /= s);
    let n = h.len();
    let mut acc = 0.0;
    for (i, x) in h[..n - 1].iter().enumerate() {
        acc += *x;
        if r <= acc {
            return i as u64;
        }
    }
    n as u64 - 1
}

pub fn spikes_hand(r: &[f64], hs: &mut Array2<f64>) -> Vec<u64> {
    let n = hs.ncols();
    hs.as_slice_mut().expect("C order").chunks_exact_mut(n).zip(r).map(|(h, r)| spike_row(h, *r)).collect()
}

pub fn spikes_rayon(r: &[f64], hs: &mut Array2<f64>) -> Vec<u64> {
    let n = hs.ncols();
    hs.as_slice_mut()
        .expect("C order")
        .par_chunks_exact_mut(n)
        .zip(r.par_iter())
        .map(|(h, r)| spike_row(h, *r))
        .collect()
}

// ---------------------------------------------------------------- data and checks

/// Sizes: each kernel takes milliseconds, so one measurement is not lost in timer noise.
pub const MANDEL: (usize, usize, i64) = (600, 400, 200);
pub const NBODY: usize = 1000;
pub const PAIRS: (usize, usize) = (1000, 3);
pub const JACOBI: usize = 1000;
pub const HIST: (usize, usize) = (2_000_000, 64);
pub const PI: usize = 2_000_000;
pub const BS: usize = 1_000_000;
pub const LOGREG: (usize, usize) = (200_000, 16);
pub const MATMUL: usize = 256;
pub const PREFIX: usize = 4_000_000;
/// The spike sampler's iterations × neurons (the reference workload is 10 000 × 10 000).
pub const SPIKES: (usize, usize) = (4000, 4000);

/// The sizes `check` runs the kernels at.
pub struct Sizes {
    pub mandel: (usize, usize, i64),
    pub nbody: usize,
    pub pairs: (usize, usize),
    pub jacobi: usize,
    pub hist: (usize, usize),
    pub pi: usize,
    pub bs: usize,
    pub logreg: (usize, usize),
    pub matmul: usize,
    pub prefix: usize,
    pub spikes: (usize, usize),
}

impl Sizes {
    /// The benchmarks' own sizes (the spike sampler at a quarter of each side).
    pub const BENCH: Sizes = Sizes {
        mandel: MANDEL,
        nbody: NBODY,
        pairs: PAIRS,
        jacobi: JACOBI,
        hist: HIST,
        pi: PI,
        bs: BS,
        logreg: LOGREG,
        matmul: MATMUL,
        prefix: PREFIX,
        spikes: (SPIKES.0 / 4, SPIKES.1 / 4),
    };
    /// Small enough for the reference interpreter, large enough that whole-array work in
    /// `parallel` kernels is split into row chunks (at least `MIN_SPLIT_ELEMS` elements).
    pub const SMALL: Sizes = Sizes {
        mandel: (60, 40, 50),
        nbody: 64,
        pairs: (120, 3),
        jacobi: 200,
        hist: (40_000, 64),
        pi: 40_000,
        bs: 40_000,
        logreg: (4_000, 16),
        matmul: 40,
        prefix: 50_000,
        spikes: (200, 200),
    };
}

/// An empty vector with room for `n` values whose memory asks for transparent huge pages, as NumPy
/// asks for arrays of 4 MB and more (and as rjit's own allocations do): the data every side of the
/// comparison reads is laid out the same way.
pub fn huge_vec<T>(n: usize) -> Vec<T> {
    let mut v: Vec<T> = Vec::with_capacity(n);
    rjit_runtime::env::advise_huge_pages(v.as_mut_ptr().cast(), n * std::mem::size_of::<T>());
    v
}

pub fn uniform(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut v = huge_vec(n);
    v.extend((0..n).map(|_| rng.gen::<f64>()));
    v
}

pub fn matrix(n: usize, m: usize, seed: u64) -> Array2<f64> {
    Array2::from_shape_vec((n, m), uniform(n * m, seed)).expect("shape")
}

/// A copy of `a` in memory allocated as `huge_vec` allocates.
pub fn copy(a: &Array2<f64>) -> Array2<f64> {
    let mut v = huge_vec(a.len());
    v.extend_from_slice(a.as_slice().expect("C order"));
    Array2::from_shape_vec(a.dim(), v).expect("shape")
}

/// Zeros, allocated as `huge_vec` allocates (and as rjit's `np.zeros` does).
pub fn zeros(n: usize, m: usize) -> Array2<f64> {
    let mut v = huge_vec(n * m);
    v.resize(n * m, 0.0);
    Array2::from_shape_vec((n, m), v).expect("shape")
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

fn all_close<'a>(a: impl IntoIterator<Item = &'a f64>, b: impl IntoIterator<Item = &'a f64>, tol: f64) -> bool {
    a.into_iter().zip(b).all(|(x, y)| close(*x, *y, tol))
}

/// Runs every rjit kernel against its hand-written twin on the benchmark data; panics on a mismatch.
pub fn check() {
    check_at(&Sizes::BENCH);
}

/// [`check`] at the given sizes.
pub fn check_at(z: &Sizes) {
    let (w, h, it) = z.mandel;
    let m = mandelbrot_hand(w, h, it);
    assert_eq!(mandelbrot(w, h, it), m, "mandelbrot");
    assert_eq!(mandelbrot_par(w, h, it), m, "mandelbrot parallel");
    assert_eq!(mandelbrot_rayon(w, h, it), m);

    let pos0 = matrix(z.nbody, 3, 1);
    let mass = Array1::from(uniform(z.nbody, 2));
    let (mut p1, mut v1) = (pos0.clone(), Array2::zeros((z.nbody, 3)));
    nbody_hand(&mut p1, &mut v1, &mass, 0.01);
    for par in [false, true] {
        let (mut p2, mut v2) = (pos0.clone(), Array2::zeros((z.nbody, 3)));
        if par {
            nbody_par(p2.view_mut(), v2.view_mut(), mass.view(), 0.01);
        } else {
            nbody(p2.view_mut(), v2.view_mut(), mass.view(), 0.01);
        }
        assert!(all_close(&p1, &p2, 1e-12) && all_close(&v1, &v2, 1e-12), "nbody");
    }

    let x = matrix(z.pairs.0, z.pairs.1, 3);
    let d = pairwise_hand(&x);
    assert_eq!(pairwise(x.view()), d, "pairwise");
    assert_eq!(pairwise_par(x.view()), d, "pairwise parallel");

    let u = matrix(z.jacobi, z.jacobi, 4);
    let mut o1 = Array2::zeros((z.jacobi, z.jacobi));
    let c1 = jacobi_hand(&u, &mut o1);
    let (mut o2, mut o3) = (o1.clone() * 0.0, o1.clone() * 0.0);
    assert_eq!(jacobi(u.view(), o2.view_mut()), c1, "jacobi");
    assert_eq!(jacobi_par(u.view(), o3.view_mut()), c1, "jacobi parallel");
    assert_eq!((o1.clone(), o1), (o2, o3));

    let xs = uniform(z.hist.0, 5);
    let want = histogram_hand(&xs, z.hist.1);
    assert_eq!(histogram(&xs, z.hist.1).to_vec(), want, "histogram");
    assert_eq!(histogram_par(&xs, z.hist.1).to_vec(), want, "histogram parallel");
    assert_eq!(histogram_rayon(&xs, z.hist.1), want);

    for pi in [monte_carlo_pi(z.pi), monte_carlo_pi_par(z.pi), monte_carlo_pi_hand(z.pi), monte_carlo_pi_rayon(z.pi)] {
        // Five standard deviations of the estimate, at least 0.01.
        assert!((pi - std::f64::consts::PI).abs() < (8.5 / (z.pi as f64).sqrt()).max(0.01), "pi: {pi}");
    }

    let (s, k, t) = bs_data(z.bs);
    let mut c1 = vec![0.0; z.bs];
    black_scholes_hand(&s, &k, &t, 0.02, 0.3, &mut c1);
    let (mut c2, mut c3) = (vec![0.0; z.bs], vec![0.0; z.bs]);
    black_scholes(&s, &k, &t, 0.02, 0.3, &mut c2);
    black_scholes_par(&s, &k, &t, 0.02, 0.3, &mut c3);
    assert!(all_close(&c1, &c2, 1e-12) && all_close(&c1, &c3, 1e-12), "black-scholes");

    let (lx, ly, lw) = logreg_data_of(z.logreg);
    let g = logreg_grad_hand(&lx, &ly, &lw);
    assert!(all_close(&g, &logreg_grad(lx.view(), &ly, &lw).to_vec(), 1e-9), "logreg");
    assert!(all_close(&g, &logreg_grad_par(lx.view(), &ly, &lw).to_vec(), 1e-9), "logreg parallel");

    let (a, b) = (matrix(z.matmul, z.matmul, 8), matrix(z.matmul, z.matmul, 9));
    let mm = matmul_hand(&a, &b);
    assert_eq!(matmul(a.view(), b.view()), mm, "matmul");
    assert_eq!(matmul_par(a.view(), b.view()), mm, "matmul parallel");
    // SAFETY: every index of the loops is inside the arrays' shapes (square matrices).
    assert_eq!(unsafe { matmul_unchecked(a.view(), b.view()) }, mm, "matmul without index checks");

    let v = uniform(z.prefix, 10);
    let (mut q1, mut q2) = (vec![0.0; z.prefix], vec![0.0; z.prefix]);
    prefix_sum_hand(&v, &mut q1);
    prefix_sum(&v, &mut q2);
    assert_eq!(q1, q2, "prefix sum");

    let (iters, n) = z.spikes;
    let r = uniform(iters, 13);
    let h0 = matrix(iters, n, 14);
    let want = spikes_hand(&r, &mut h0.clone());
    let rv = Array1::from(r.clone());
    assert_eq!(spikes(rv.view(), h0.clone().view_mut()).to_vec(), want, "spikes");
    assert_eq!(spikes_par(rv.view(), h0.clone().view_mut()).to_vec(), want, "spikes parallel");
    assert_eq!(spikes_rayon(&r, &mut h0.clone()), want);
}

pub fn bs_data(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let s: Vec<f64> = uniform(n, 6).iter().map(|u| 50.0 + 50.0 * u).collect();
    let k: Vec<f64> = uniform(n, 7).iter().map(|u| 50.0 + 50.0 * u).collect();
    let t: Vec<f64> = uniform(n, 8).iter().map(|u| 0.25 + 2.0 * u).collect();
    (s, k, t)
}

pub fn logreg_data() -> (Array2<f64>, Vec<f64>, Vec<f64>) {
    logreg_data_of(LOGREG)
}

pub fn logreg_data_of((n, d): (usize, usize)) -> (Array2<f64>, Vec<f64>, Vec<f64>) {
    let x = matrix(n, d, 11).mapv(|v| v - 0.5);
    let y: Vec<f64> = uniform(n, 12).iter().map(|u| if *u > 0.5 { 1.0 } else { 0.0 }).collect();
    let w: Vec<f64> = (0..d).map(|k| (k as f64 - 8.0) * 0.1).collect();
    (x, y, w)
}
