//! 64 threads make the first calls of 10 kernels at once: each specialization compiles once,
//! every thread gets the right answer, and the kernels keep working afterwards.

use rjit::prelude::*;
use std::sync::{Arc, Barrier};

#[njit]
fn k_sum(a: &[f64]) -> f64 {
    a.sum()
}

#[njit]
fn k_dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in range(a.len()) {
        s += a[i] * b[i];
    }
    s
}

#[njit]
fn k_max(a: &[i64]) -> i64 {
    a.max()
}

#[njit]
fn k_scale(a: &[f32], k: f32) -> Array1<f32> {
    a * k + 1.0
}

#[njit]
fn k_count(a: &[i32], t: i32) -> i64 {
    let mut n = 0;
    for x in a {
        if x > t {
            n += 1;
        }
    }
    n
}

#[njit]
fn k_fib(n: u64) -> u64 {
    let (mut a, mut b) = (0u64, 1u64);
    for _ in range(n) {
        let t = a + b;
        a = b;
        b = t;
    }
    a
}

#[njit]
fn k_norm(a: ArrayView2<f64>) -> f64 {
    np.sqrt((a * a).sum())
}

#[njit]
fn k_cumsum(a: &[i64]) -> Array1<i64> {
    np.cumsum(a)
}

#[njit(parallel)]
fn k_psum(a: &[f64]) -> f64 {
    let mut s = 0.0;
    for i in prange(a.len()) {
        s += a[i];
    }
    s
}

#[njit]
fn k_where(a: &[f64]) -> Array1<f64> {
    np.where_(a > 0.5, a, 0.0)
}

fn run_all(seed: usize) {
    let n = 100 + seed % 7;
    let a: Vec<f64> = (0..n).map(|i| ((i * 31 + seed) % 97) as f64 / 97.0).collect();
    let b: Vec<f64> = (0..n).map(|i| ((i * 17 + seed) % 13) as f64).collect();
    let ints: Vec<i64> = (0..n).map(|i| ((i * 7919 + seed) % 1000) as i64 - 500).collect();
    let i32s: Vec<i32> = ints.iter().map(|x| *x as i32).collect();
    let f32s: Vec<f32> = a.iter().map(|x| *x as f32).collect();
    let order = seed % 10;
    for step in 0..10 {
        match (step + order) % 10 {
            0 => assert_eq!(k_sum(&a), a.iter().fold(0.0, |s, x| s + x)),
            1 => assert_eq!(k_dot(&a, &b), a.iter().zip(&b).fold(0.0, |s, (x, y)| s + x * y)),
            2 => assert_eq!(k_max(&ints), *ints.iter().max().unwrap()),
            3 => assert_eq!(k_scale(&f32s, 2.0).to_vec(), f32s.iter().map(|x| x * 2.0 + 1.0).collect::<Vec<_>>()),
            4 => assert_eq!(k_count(&i32s, 100), i32s.iter().filter(|x| **x > 100).count() as i64),
            5 => assert_eq!(k_fib(50 + (seed % 3) as u64), [12586269025, 20365011074, 32951280099][seed % 3]),
            6 => {
                let m = rjit::ndarray::Array2::from_shape_vec((n, 1), a.clone()).unwrap();
                assert!((k_norm(m.view()) - a.iter().map(|x| x * x).sum::<f64>().sqrt()).abs() < 1e-12);
            }
            7 => {
                let mut s = 0;
                let want: Vec<i64> = ints
                    .iter()
                    .map(|x| {
                        s += x;
                        s
                    })
                    .collect();
                assert_eq!(k_cumsum(&ints).to_vec(), want);
            }
            8 => assert!((k_psum(&a) - a.iter().sum::<f64>()).abs() < 1e-9),
            _ => {
                assert_eq!(k_where(&a).to_vec(), a.iter().map(|x| if *x > 0.5 { *x } else { 0.0 }).collect::<Vec<_>>())
            }
        }
    }
}

#[test]
fn sixty_four_threads_make_the_first_calls_of_ten_kernels_at_once() {
    let threads = 64;
    let barrier = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                run_all(t);
            })
        })
        .collect();
    for h in handles {
        h.join().expect("every thread gets the right results");
    }
    let stats = [
        k_sum::stats(),
        k_dot::stats(),
        k_max::stats(),
        k_scale::stats(),
        k_count::stats(),
        k_fib::stats(),
        k_norm::stats(),
        k_cumsum::stats(),
        k_psum::stats(),
        k_where::stats(),
    ];
    for (i, s) in stats.iter().enumerate() {
        assert_eq!(s.specializations, 1, "kernel {i} compiled once: {s:?}");
        assert_eq!(s.calls, 64, "kernel {i} called once per thread: {s:?}");
    }
    run_all(3);
}
