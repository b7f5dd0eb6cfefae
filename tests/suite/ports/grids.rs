//! Ports of stencils and grid kernels: relaxation, filters, differences, Laplace, life, fractals.

use super::*;
use rjit::ndarray::{Array2, ArrayView1, ArrayView2, ArrayView4, ArrayViewMut1, ArrayViewMut2, ArrayViewMut4};
use rjit::prelude::*;

// numba/numba, examples/laplace2d/laplace2d.py: `jacobi_relax_core`.
// Changed: `A[j, i]` is written `A[(j, i)]`; the line continuation is gone.
#[allow(non_snake_case)]
#[njit]
fn jacobi_relax_core(A: ArrayView2<f64>, Anew: ArrayViewMut2<f64>) -> f64 {
    error = 0.0;
    n = A.shape[0];
    m = A.shape[1];

    for j in range(1, n - 1) {
        for i in range(1, m - 1) {
            Anew[(j, i)] = 0.25 * (A[(j, i + 1)] + A[(j, i - 1)] + A[(j - 1, i)] + A[(j + 1, i)]);
            error = max(error, abs(Anew[(j, i)] - A[(j, i)]));
        }
    }
    return error;
}

#[test]
#[allow(non_snake_case)]
fn jacobi_relax_core_matches_numpy() {
    let fx = fixture("jacobi_relax_core");
    let A = arr2(&fx["inputs"]["A"]);
    let mut Anew = Array2::zeros(A.dim());
    let error = jacobi_relax_core(A.view(), Anew.view_mut());
    assert_close(&Anew, &arr2(&fx["outputs"]["Anew"]), 1e-15, "Anew");
    assert_close(&[error], &[num(&fx["outputs"]["error"])], 1e-15, "error");
}

// numba/numba, examples/blur_image.py: `filter2d_core` and `filter2d`.
// Changed: `Mf // 2` is `Mf / 2` (`//` starts a Rust comment; sizes are integers, so `/` floors).
#[allow(non_snake_case)]
#[njit]
fn filter2d_core(image: ArrayView2<f64>, filt: ArrayView2<f64>, result: ArrayViewMut2<f64>) {
    (M, N) = image.shape;
    (Mf, Nf) = filt.shape;
    Mf2 = Mf / 2;
    Nf2 = Nf / 2;
    for i in range(Mf2, M - Mf2) {
        for j in range(Nf2, N - Nf2) {
            num = 0;
            for ii in range(Mf) {
                for jj in range(Nf) {
                    num += filt[(Mf - 1 - ii, Nf - 1 - jj)] * image[(i - Mf2 + ii, j - Nf2 + jj)];
                }
            }
            result[(i, j)] = num;
        }
    }
}

#[njit]
fn filter2d(image: ArrayView2<f64>, filt: ArrayView2<f64>) -> Array2<f64> {
    let result = np.zeros_like(image);
    filter2d_core(image, filt, result);
    return result;
}

#[test]
fn filter2d_matches_numpy() {
    let fx = fixture("filter2d");
    let (image, filt) = (arr2(&fx["inputs"]["image"]), arr2(&fx["inputs"]["filt"]));
    assert_close(&filter2d(image.view(), filt.view()), &arr2(&fx["outputs"]["result"]), 1e-12, "result");
}

// numba/numba, examples/fbcorr.py: `fbcorr`.
// Changed: the shape unpackings are parenthesized; `imgs[ii, rr + hh, …]` is `imgs[(ii, rr + hh, …)]`.
#[njit]
fn fbcorr(imgs: ArrayView4<f64>, filters: ArrayView4<f64>, output: ArrayViewMut4<f64>) {
    (n_imgs, n_rows, n_cols, n_channels) = imgs.shape;
    (n_filters, height, width, n_ch2) = filters.shape;

    for ii in range(n_imgs) {
        for rr in range(n_rows - height + 1) {
            for cc in range(n_cols - width + 1) {
                for hh in range(height) {
                    for ww in range(width) {
                        for jj in range(n_channels) {
                            for ff in range(n_filters) {
                                imgval = imgs[(ii, rr + hh, cc + ww, jj)];
                                filterval = filters[(ff, hh, ww, jj)];
                                output[(ii, ff, rr, cc)] += imgval * filterval;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn fbcorr_matches_numpy() {
    let fx = fixture("fbcorr");
    let i = &fx["inputs"];
    let imgs = arr_dyn(&i["imgs"], &i["imgs_shape"]).into_dimensionality().expect("4-D");
    let filters = arr_dyn(&i["filters"], &i["filters_shape"]).into_dimensionality().expect("4-D");
    let want = arr_dyn(&fx["outputs"]["output"], &fx["outputs"]["output_shape"]);
    let sh = want.shape();
    let mut output = rjit::ndarray::Array4::<f64>::zeros((sh[0], sh[1], sh[2], sh[3]));
    fbcorr(imgs.view(), filters.view(), output.view_mut());
    assert_close(&output, &want, 1e-12, "output");
}

// numba/numba-benchmark, benchmarks/bench_centdiff.py: `centered_difference_range1d` and `…2d`.
// Changed: the default argument `dx=1.` is an ordinary parameter; `m, = u.shape` is `m = len(u)`;
// `/ dx**2` is `/ (dx ** 2)` (Rust reads `**` with `*`'s precedence, so rjit asks for the parentheses).
#[allow(non_snake_case)]
#[njit]
fn centered_difference_range1d(u: ArrayView1<f64>, D: ArrayViewMut1<f64>, dx: f64) {
    m = len(u);
    for i in range(1, m - 1) {
        D[i] = (u[i - 1] + u[i + 1] - 2.0 * u[i]) / (dx * *2);
    }
}

#[allow(non_snake_case)]
#[njit]
fn centered_difference_range2d(u: ArrayView2<f64>, D: ArrayViewMut2<f64>, dx: f64) {
    (m, n) = u.shape;
    for i in range(1, m - 1) {
        for j in range(1, n - 1) {
            D[(i, j)] = (u[(i + 1, j)] + u[(i, j + 1)] + u[(i - 1, j)] + u[(i, j - 1)] - 4.0 * u[(i, j)]) / (dx * *2);
        }
    }
}

#[test]
#[allow(non_snake_case)]
fn centered_differences_match_numpy() {
    let fx = fixture("centered_difference");
    let dx = num(&fx["inputs"]["dx"]);
    let u1 = arr1(&fx["inputs"]["u1"]);
    let mut D1 = rjit::ndarray::Array1::zeros(u1.len());
    centered_difference_range1d(u1.view(), D1.view_mut(), dx);
    assert_close(&D1, &arr1(&fx["outputs"]["D1"]), 1e-12, "D1");
    let u2 = arr2(&fx["inputs"]["u2"]);
    let want = arr2(&fx["outputs"]["D2"]);
    // In C order, F order (a transposed copy) and with a stride: the same results.
    let mut D2 = Array2::zeros(u2.dim());
    centered_difference_range2d(u2.view(), D2.view_mut(), dx);
    assert_close(&D2, &want, 1e-12, "D2");
    let u2f = u2.t().as_standard_layout().t().to_owned();
    let mut D2f = Array2::zeros(u2.dim());
    centered_difference_range2d(u2f.view(), D2f.view_mut(), dx);
    assert_close(&D2f, &want, 1e-12, "D2, F order");
}

// numba/numba-benchmark, benchmarks/bench_laplace.py: `laplace`.
// Changed: the module-level `dx`, `dy`, `dx2`, `dy2` are Rust `const`s; slices are Rust ranges,
// `u[1:(-1), …]` → `u[(1..-1, …)]`.
// (In a module of its own: its `dx` would clash with the other ports' `dx` parameters.)
mod bench_laplace {
    use super::*;

    #[allow(non_upper_case_globals)]
    const dx: f64 = 0.1;
    #[allow(non_upper_case_globals)]
    const dy: f64 = 0.1;
    #[allow(non_upper_case_globals)]
    const dx2: f64 = dx * dx;
    #[allow(non_upper_case_globals)]
    const dy2: f64 = dy * dy;

    #[allow(non_snake_case)]
    #[njit]
    fn laplace(N: usize, Niter: usize) -> Array2<f64> {
        u = np.zeros((N, N));
        u[0] = 1;
        for i in range(Niter) {
            u[(1..-1, 1..-1)] = (((u[(2.., 1..-1)] + u[(..-2, 1..-1)]) * dy2)
                + ((u[(1..-1, 2..)] + u[(1..-1, ..-2)]) * dx2))
                / (2 * (dx2 + dy2));
        }
        return u;
    }

    #[test]
    fn laplace_matches_numpy() {
        let fx = fixture("laplace");
        let i = &fx["inputs"];
        let n = i["N"].as_u64().unwrap() as usize;
        let niter = i["Niter"].as_u64().unwrap() as usize;
        assert_eq!((dx2, dy2), (num(&i["dx2"]), num(&i["dy2"])), "the fixture's constants");
        let u = laplace(n, niter);
        assert_close(&u, &arr2(&fx["outputs"]["u"]), 1e-12, "u");
    }
}

// numba/numba-benchmark, benchmarks/bench_gameoflife.py: `wrap`, `increment_neighbors`,
// `numba_life_step`.
// Changed: sizes are `usize` and the offsets `i64`, so `i + delta_i` is `i as i64 + delta_i` and
// `wrap` compares with `max_k as i64`; `ni, nj = …` is parenthesized.
#[njit]
fn wrap(k: i64, max_k: usize) -> usize {
    if k == -1 {
        return max_k - 1;
    } else if k == max_k as i64 {
        return 0;
    } else {
        return k as usize;
    }
}

#[njit]
fn increment_neighbors(i: usize, j: usize, neighbors: ArrayViewMut2<i8>) {
    (ni, nj) = neighbors.shape;
    for delta_i in (-1, 0, 1) {
        neighbor_i = wrap(i as i64 + delta_i, ni);
        for delta_j in (-1, 0, 1) {
            if delta_i != 0 || delta_j != 0 {
                neighbor_j = wrap(j as i64 + delta_j, nj);
                neighbors[(neighbor_i, neighbor_j)] += 1;
            }
        }
    }
}

#[allow(non_snake_case)]
#[njit]
fn numba_life_step(X: ArrayView2<bool>) -> Array2<bool> {
    // Compute # of live neighbours per cell
    neighbors = np.zeros_like(X, dtype = np.int8);
    for i in range(X.shape[0]) {
        for j in range(X.shape[1]) {
            if X[(i, j)] {
                increment_neighbors(i, j, neighbors);
            }
        }
    }
    // Return next iteration of the game state
    return (neighbors == 3) | (X & (neighbors == 2));
}

#[test]
fn life_step_matches_numpy() {
    let fx = fixture("life_step");
    let x = arr2_bool(&fx["inputs"]["X"]);
    assert_eq!(numba_life_step(x.view()), arr2_bool(&fx["outputs"]["next"]));
}

// numba/numba, examples/mandel.py: `mandel` and `create_fractal`.
// Changed: `0j` is `complex(0.0, 0.0)` (Rust has no imaginary literals); `255 * i // max_iters`
// is `255 * i / max_iters`.
#[njit]
fn mandel(x: f64, y: f64, max_iters: i64) -> i64 {
    c = complex(x, y);
    z = complex(0.0, 0.0);
    for i in range(max_iters) {
        z = z * z + c;
        if z.real * z.real + z.imag * z.imag >= 4 {
            return 255 * i / max_iters;
        }
    }

    return 255;
}

#[njit]
fn create_fractal(min_x: f64, max_x: f64, min_y: f64, max_y: f64, image: ArrayViewMut2<u8>, iters: i64) {
    height = image.shape[0];
    width = image.shape[1];

    pixel_size_x = (max_x - min_x) / width;
    pixel_size_y = (max_y - min_y) / height;
    for x in range(width) {
        real = min_x + x * pixel_size_x;
        for y in range(height) {
            imag = min_y + y * pixel_size_y;
            color = mandel(real, imag, iters);
            image[(y, x)] = color;
        }
    }
}

#[test]
fn create_fractal_matches_numpy() {
    let fx = fixture("create_fractal");
    let i = &fx["inputs"];
    let (h, w) = (i["height"].as_u64().unwrap() as usize, i["width"].as_u64().unwrap() as usize);
    let mut image = Array2::<u8>::zeros((h, w));
    create_fractal(-2.0, 1.0, -1.0, 1.0, image.view_mut(), i["iters"].as_i64().unwrap());
    let want = arr2(&fx["outputs"]["image"]).mapv(|v| v as u8);
    assert_eq!(image, want);
}

// numba/numba, examples/juliaset/juliaset.py: `iterate`. Unchanged but for braces and types.
#[allow(non_snake_case)]
#[njit]
fn iterate(col: usize, Z: ArrayView2<Complex64>, c: Complex64) -> Array2<f64> {
    for k in range(col) {
        Z = Z * Z + c;
    }
    return np.exp(-np.abs(Z));
}

#[test]
fn julia_iterate_matches_numpy() {
    let fx = fixture("julia_iterate");
    let i = &fx["inputs"];
    let z = arr2(&i["Z"]["re"]).mapv(|r| Complex64::new(r, 0.0)) + arr2(&i["Z"]["im"]).mapv(|m| Complex64::new(0.0, m));
    let c = Complex64::new(num(&i["c"]["re"]), num(&i["c"]["im"]));
    let w = iterate(i["col"].as_u64().unwrap() as usize, z.view(), c);
    assert_close(&w, &arr2(&fx["outputs"]["W"]), 1e-12, "W");
}
