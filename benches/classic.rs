//! Ten classic kernels in rjit (serial, and parallel where it fits) beside the same algorithm
//! written by hand in Rust (serial, and with rayon), side by side in one run:
//! `cargo bench --bench classic`. Results are checked against each other first.

#[path = "kernels/mod.rs"]
mod kernels;

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use kernels::*;
use rjit::ndarray::Array2;

fn bench(c: &mut Criterion) {
    check();
    let mut g = c.benchmark_group("mandelbrot");
    let (w, h, it) = MANDEL;
    g.bench_function("rjit", |b| b.iter(|| mandelbrot(w, h, it)));
    g.bench_function("rjit parallel", |b| b.iter(|| mandelbrot_par(w, h, it)));
    g.bench_function("hand-written", |b| b.iter(|| mandelbrot_hand(w, h, it)));
    g.bench_function("hand-written rayon", |b| b.iter(|| mandelbrot_rayon(w, h, it)));
    g.finish();

    let mut g = c.benchmark_group("nbody");
    let pos0 = matrix(NBODY, 3, 1);
    let mass = rjit::ndarray::Array1::from(uniform(NBODY, 2));
    let (mut p, mut v) = (pos0.clone(), Array2::zeros((NBODY, 3)));
    g.bench_function("rjit", |b| b.iter(|| nbody(p.view_mut(), v.view_mut(), mass.view(), 1e-6)));
    g.bench_function("rjit parallel", |b| b.iter(|| nbody_par(p.view_mut(), v.view_mut(), mass.view(), 1e-6)));
    g.bench_function("hand-written", |b| b.iter(|| nbody_hand(&mut p, &mut v, &mass, 1e-6)));
    g.bench_function("hand-written rayon", |b| b.iter(|| nbody_rayon(&mut p, &mut v, &mass, 1e-6)));
    g.finish();

    let mut g = c.benchmark_group("pairwise_distances");
    let x = matrix(PAIRS.0, PAIRS.1, 3);
    g.bench_function("rjit", |b| b.iter(|| pairwise(x.view())));
    g.bench_function("rjit parallel", |b| b.iter(|| pairwise_par(x.view())));
    g.bench_function("hand-written", |b| b.iter(|| pairwise_hand(&x)));
    g.bench_function("hand-written rayon", |b| b.iter(|| pairwise_rayon(&x)));
    g.finish();

    let mut g = c.benchmark_group("jacobi_2d");
    let u = matrix(JACOBI, JACOBI, 4);
    let mut o = Array2::zeros((JACOBI, JACOBI));
    g.bench_function("rjit", |b| b.iter(|| jacobi(u.view(), o.view_mut())));
    g.bench_function("rjit parallel", |b| b.iter(|| jacobi_par(u.view(), o.view_mut())));
    g.bench_function("hand-written", |b| b.iter(|| jacobi_hand(&u, &mut o)));
    g.bench_function("hand-written rayon", |b| b.iter(|| jacobi_rayon(&u, &mut o)));
    g.finish();

    let mut g = c.benchmark_group("histogram");
    let xs = uniform(HIST.0, 5);
    g.bench_function("rjit", |b| b.iter(|| histogram(&xs, HIST.1)));
    g.bench_function("rjit parallel", |b| b.iter(|| histogram_par(&xs, HIST.1)));
    g.bench_function("hand-written", |b| b.iter(|| histogram_hand(&xs, HIST.1)));
    g.bench_function("hand-written rayon", |b| b.iter(|| histogram_rayon(&xs, HIST.1)));
    g.finish();

    let mut g = c.benchmark_group("monte_carlo_pi");
    g.bench_function("rjit", |b| b.iter(|| monte_carlo_pi(black_box(PI))));
    g.bench_function("rjit parallel", |b| b.iter(|| monte_carlo_pi_par(black_box(PI))));
    g.bench_function("hand-written", |b| b.iter(|| monte_carlo_pi_hand(black_box(PI))));
    g.bench_function("hand-written rayon", |b| b.iter(|| monte_carlo_pi_rayon(black_box(PI))));
    g.finish();

    let mut g = c.benchmark_group("black_scholes");
    let (s, k, t) = bs_data(BS);
    let mut call = vec![0.0; BS];
    g.bench_function("rjit", |b| b.iter(|| black_scholes(&s, &k, &t, 0.02, 0.3, &mut call)));
    g.bench_function("rjit parallel", |b| b.iter(|| black_scholes_par(&s, &k, &t, 0.02, 0.3, &mut call)));
    g.bench_function("hand-written", |b| b.iter(|| black_scholes_hand(&s, &k, &t, 0.02, 0.3, &mut call)));
    g.bench_function("hand-written rayon", |b| b.iter(|| black_scholes_rayon(&s, &k, &t, 0.02, 0.3, &mut call)));
    g.finish();

    let mut g = c.benchmark_group("logreg_gradient");
    let (lx, ly, lw) = logreg_data();
    g.bench_function("rjit", |b| b.iter(|| logreg_grad(lx.view(), &ly, &lw)));
    g.bench_function("rjit parallel", |b| b.iter(|| logreg_grad_par(lx.view(), &ly, &lw)));
    g.bench_function("hand-written", |b| b.iter(|| logreg_grad_hand(&lx, &ly, &lw)));
    g.bench_function("hand-written rayon", |b| b.iter(|| logreg_grad_rayon(&lx, &ly, &lw)));
    g.finish();

    let mut g = c.benchmark_group("matmul_naive");
    let (a, bm) = (matrix(MATMUL, MATMUL, 8), matrix(MATMUL, MATMUL, 9));
    g.bench_function("rjit", |b| b.iter(|| matmul(a.view(), bm.view())));
    g.bench_function("rjit parallel", |b| b.iter(|| matmul_par(a.view(), bm.view())));
    g.bench_function("rjit boundscheck=false", |b| b.iter(|| unsafe { matmul_unchecked(a.view(), bm.view()) }));
    g.bench_function("hand-written", |b| b.iter(|| matmul_hand(&a, &bm)));
    g.bench_function("hand-written rayon", |b| b.iter(|| matmul_rayon(&a, &bm)));
    g.finish();

    let mut g = c.benchmark_group("prefix_sum");
    let v = uniform(PREFIX, 10);
    let mut out = vec![0.0; PREFIX];
    g.bench_function("rjit", |b| b.iter(|| prefix_sum(&v, &mut out)));
    g.bench_function("hand-written", |b| b.iter(|| prefix_sum_hand(&v, &mut out)));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
