//! Kernels over flat arrays and rows: histogram, Monte-Carlo π, Black-Scholes, a logistic-regression
//! gradient, naive matmul, prefix sum and the spike sampler; each in rjit (serial and parallel) and
//! by hand (serial and rayon).

use super::*;

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
