//! Classic Numba demos, written only with DSL.md §2–4, each against plain Rust on the same data.

use rjit::ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2};
use rjit::prelude::*;

#[njit]
fn mandelbrot(xmin: f64, xmax: f64, ymin: f64, ymax: f64, w: usize, h: usize, max_iter: i64) -> Array2<i64> {
    let out = np.zeros((h, w), dtype = np.int64);
    let dx = (xmax - xmin) / w as f64;
    let dy = (ymax - ymin) / h as f64;
    for j in range(h) {
        for i in range(w) {
            let c = np.complex128(xmin + i as f64 * dx, ymin + j as f64 * dy);
            let mut z = np.complex128(0.0, 0.0);
            let mut n = 0;
            while n < max_iter && z.re * z.re + z.im * z.im <= 4.0 {
                z = z * z + c;
                n += 1;
            }
            out[[j, i]] = n;
        }
    }
    out
}

#[njit]
fn pairwise_distances(x: ArrayView2<f64>) -> Array2<f64> {
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

#[njit]
fn jacobi_step(u: ArrayView2<f64>, out: ArrayViewMut2<f64>) -> f64 {
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

#[njit]
fn nbody_step(pos: ArrayViewMut2<f64>, vel: ArrayViewMut2<f64>, mass: ArrayView1<f64>, dt: f64) {
    let n = pos.len();
    let acc = np.zeros((n, 3));
    for i in range(n) {
        for j in range(n) {
            if i != j {
                let dr = pos[j] - pos[i];
                let r2 = (dr * dr).sum() + 1e-3;
                let f = mass[j] / (r2 * np.sqrt(r2));
                acc[i] += dr * f;
            }
        }
    }
    vel += acc * dt;
    pos += vel * dt;
}

#[njit]
fn cnd(d: f64) -> f64 {
    let (a1, a2, a3, a4, a5) = (0.31938153, -0.356563782, 1.781477937, -1.821255978, 1.330274429);
    let k = 1.0 / (1.0 + 0.2316419 * np.abs(d));
    let poly = ((((a5 * k + a4) * k + a3) * k + a2) * k + a1) * k;
    let r = 0.3989422804014327 * np.exp(-0.5 * d * d) * poly;
    if d > 0.0 {
        1.0 - r
    } else {
        r
    }
}

#[njit]
fn black_scholes(
    s: ArrayView1<f64>,
    k: ArrayView1<f64>,
    t: ArrayView1<f64>,
    r: f64,
    v: f64,
) -> (Array1<f64>, Array1<f64>) {
    let n = s.len();
    let call = np.empty(n);
    let put = np.empty(n);
    for i in range(n) {
        let sqrt_t = np.sqrt(t[i]);
        let d1 = (np.log(s[i] / k[i]) + (r + 0.5 * v * v) * t[i]) / (v * sqrt_t);
        let d2 = d1 - v * sqrt_t;
        let disc = np.exp(-r * t[i]);
        call[i] = s[i] * cnd(d1) - k[i] * disc * cnd(d2);
        put[i] = k[i] * disc * (1.0 - cnd(d2)) - s[i] * (1.0 - cnd(d1));
    }
    (call, put)
}

fn mandelbrot_rust(xmin: f64, xmax: f64, ymin: f64, ymax: f64, w: usize, h: usize, max_iter: i64) -> Array2<i64> {
    let (dx, dy) = ((xmax - xmin) / w as f64, (ymax - ymin) / h as f64);
    Array2::from_shape_fn((h, w), |(j, i)| {
        let (cr, ci) = (xmin + i as f64 * dx, ymin + j as f64 * dy);
        let (mut zr, mut zi, mut n) = (0.0f64, 0.0f64, 0);
        while n < max_iter && zr * zr + zi * zi <= 4.0 {
            let t = zr * zr - zi * zi + cr;
            zi = zr * zi + zi * zr + ci;
            zr = t;
            n += 1;
        }
        n
    })
}

fn points(n: usize, d: usize) -> Array2<f64> {
    Array2::from_shape_fn((n, d), |(i, k)| ((i * 37 + k * 11) % 17) as f64 * 0.25 - 2.0)
}

#[test]
fn mandelbrot_matches_rust() {
    let args = (-2.0, 1.0, -1.25, 1.25, 60, 40, 100);
    assert_eq!(
        mandelbrot(args.0, args.1, args.2, args.3, args.4, args.5, args.6),
        mandelbrot_rust(args.0, args.1, args.2, args.3, args.4, args.5, args.6)
    );
}

#[test]
fn pairwise_distances_match_rust() {
    let x = points(30, 4);
    let want = Array2::from_shape_fn((30, 30), |(i, j)| {
        (0..4).map(|k| (x[[i, k]] - x[[j, k]]).powi(2)).fold(0.0, |a, b| a + b).sqrt()
    });
    assert_eq!(pairwise_distances(x.view()), want);
    assert_eq!(pairwise_distances(x.t().to_owned().t()), want, "F-layout input");
}

#[test]
fn jacobi_stencil_matches_rust() {
    let u = Array2::from_shape_fn((12, 9), |(i, j)| ((i * j) % 5) as f64);
    let mut out = u.clone();
    let mut want = u.clone();
    let mut change = 0.0f64;
    for i in 1..11 {
        for j in 1..8 {
            let v = 0.25 * (u[[i - 1, j]] + u[[i + 1, j]] + u[[i, j - 1]] + u[[i, j + 1]]);
            change = change.max((v - u[[i, j]]).abs());
            want[[i, j]] = v;
        }
    }
    assert_eq!(jacobi_step(u.view(), out.view_mut()), change);
    assert_eq!(out, want);
}

#[test]
fn nbody_step_matches_rust() {
    let n = 6;
    let mut pos = Array2::from_shape_fn((n, 3), |(i, k)| ((i * 3 + k) % 7) as f64 - 3.0);
    let mut vel = Array2::from_shape_fn((n, 3), |(i, k)| ((i + k) % 3) as f64 * 0.1);
    let mass = Array1::from_shape_fn(n, |i| 1.0 + i as f64 * 0.5);
    let (mut p2, mut v2) = (pos.clone(), vel.clone());
    let dt = 0.01;
    let mut acc = Array2::<f64>::zeros((n, 3));
    for i in 0..n {
        for j in 0..n {
            if i != j {
                let dr = &pos.row(j) - &pos.row(i);
                let r2 = dr.iter().fold(0.0, |a, x| a + x * x) + 1e-3;
                let f = mass[j] / (r2 * r2.sqrt());
                let mut a = acc.row_mut(i);
                a += &(&dr * f);
            }
        }
    }
    v2 = v2 + &acc * dt;
    p2 = p2 + &v2 * dt;
    nbody_step(pos.view_mut(), vel.view_mut(), mass.view(), dt);
    assert_eq!(vel, v2);
    assert_eq!(pos, p2);
}

#[test]
fn black_scholes_matches_rust() {
    let n = 50;
    let s = Array1::from_shape_fn(n, |i| 20.0 + i as f64);
    let k = Array1::from_shape_fn(n, |i| 25.0 + (i % 7) as f64);
    let t = Array1::from_shape_fn(n, |i| 0.25 + (i % 5) as f64 * 0.5);
    let (r, v) = (0.02, 0.3);
    let cnd = |d: f64| {
        let kk = 1.0 / (1.0 + 0.2316419 * d.abs());
        let poly = ((((1.330274429 * kk - 1.821255978) * kk + 1.781477937) * kk - 0.356563782) * kk + 0.31938153) * kk;
        let x = 0.3989422804014327 * (-0.5 * d * d).exp() * poly;
        if d > 0.0 {
            1.0 - x
        } else {
            x
        }
    };
    let (call, put) = black_scholes(s.view(), k.view(), t.view(), r, v);
    for i in 0..n {
        let st = t[i].sqrt();
        let d1 = ((s[i] / k[i]).ln() + (r + 0.5 * v * v) * t[i]) / (v * st);
        let d2 = d1 - v * st;
        let disc = (-r * t[i]).exp();
        assert_eq!(call[i], s[i] * cnd(d1) - k[i] * disc * cnd(d2));
        assert_eq!(put[i], k[i] * disc * (1.0 - cnd(d2)) - s[i] * (1.0 - cnd(d1)));
    }
}
