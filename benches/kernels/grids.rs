//! Kernels over grids and particles: Mandelbrot, an n-body step, pairwise distances, a Jacobi
//! stencil; each in rjit (serial and parallel) and by hand (serial and rayon).

use super::*;

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
