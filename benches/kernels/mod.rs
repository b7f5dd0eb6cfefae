//! The classic-kernel suite: each kernel in rjit (serial, and parallel where it fits) beside the
//! same algorithm written by hand in Rust (serial, and with rayon), on the same data. Shared by
//! `benches/classic.rs` (criterion) and `examples/compare.rs` (the table against Numba, whose
//! versions are in `benches/numba/kernels.py`). `check` compares every rjit result with the
//! hand-written one before anything is timed.
#![allow(dead_code)]

use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use rjit::prelude::*;

mod arrays;
mod grids;
pub use arrays::*;
pub use grids::*;

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
    rjit_runtime::helpers::advise_huge_pages(v.as_mut_ptr().cast(), n * std::mem::size_of::<T>());
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
