//! One kernel, two layouts: a C-contiguous input gets code LLVM vectorizes, a strided one (every
//! other element of a twice-as-long array) gets the general loop. Same element count, one run.
//! And an f32 sum with and without `fastmath`. `cargo bench --bench layouts`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rjit::ndarray::{s, Array1, ArrayView1, ArrayViewMut1};
use rjit::prelude::*;

#[njit]
fn scale_add(y: ArrayViewMut1<f32>, x: ArrayView1<f32>, a: f32) {
    y += x * a;
}

#[njit(fastmath)]
fn sum_fast(a: &[f32]) -> f32 {
    a.sum()
}

#[njit]
fn sum_strict(a: &[f32]) -> f32 {
    a.sum()
}

fn by_hand(y: &mut [f32], x: &[f32], a: f32) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += x * a;
    }
}

fn bench(c: &mut Criterion) {
    let n = 1 << 20;
    let x = Array1::from_shape_fn(n, |i| (i % 101) as f32 * 0.01);
    let x2 = Array1::from_shape_fn(2 * n, |i| (i / 2 % 101) as f32 * 0.01);
    let y = Array1::<f32>::zeros(n);
    let y2 = Array1::<f32>::zeros(2 * n);
    let mut g = c.benchmark_group("scale_add_1M_f32");
    g.bench_function("rjit C-contiguous", |b| {
        b.iter_batched_ref(|| y.clone(), |y| scale_add(y.view_mut(), x.view(), 1.5), BatchSize::LargeInput)
    });
    g.bench_function("rjit strided (step 2)", |b| {
        b.iter_batched_ref(
            || y2.clone(),
            |y| scale_add(y.slice_mut(s![..;2]), x2.slice(s![..;2]), 1.5),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("hand-written Rust, contiguous", |b| {
        b.iter_batched_ref(|| y.to_vec(), |y| by_hand(y, x.as_slice().expect("contiguous"), 1.5), BatchSize::LargeInput)
    });
    g.finish();

    // `fastmath` lets LLVM reassociate the sum into vector lanes; without it the order is kept.
    let v: Vec<f32> = (0..n).map(|i| (i % 97) as f32 * 0.01).collect();
    let mut g = c.benchmark_group("sum_1M_f32");
    g.bench_function("rjit fastmath", |b| b.iter(|| sum_fast(criterion::black_box(&v))));
    g.bench_function("rjit strict", |b| b.iter(|| sum_strict(criterion::black_box(&v))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
