//! Ports of numbagg's NaN-skipping aggregations, from the copies in numba-benchmark.

use super::*;
use rjit::ndarray::{ArrayView1, ArrayView2};
use rjit::prelude::*;

// numba/numba-benchmark, benchmarks/bench_numbagg.py: `nanmean`. Unchanged but for braces.
#[njit]
fn nanmean(a: ArrayView2<f64>) -> f64 {
    asum = 0.0;
    count = 0;
    for ai in a.flat {
        if !np.isnan(ai) {
            asum += ai;
            count += 1;
        }
    }
    if count > 0 {
        return asum / count;
    } else {
        return np.nan;
    }
}

#[test]
fn nanmean_matches_numpy() {
    let fx = fixture("nanmean");
    let a = arr2(&fx["inputs"]["a"]);
    assert_close(&[nanmean(a.view())], &[num(&fx["outputs"]["mean"])], 1e-14, "nanmean");
    // A reversed view is read in its own order, as `a.flat` reads it.
    let r = a.slice(rjit::ndarray::s![..;-1, ..]);
    assert_close(&[nanmean(r)], &[num(&fx["outputs"]["mean"])], 1e-14, "reversed");
}

// numba/numba-benchmark, benchmarks/bench_numbagg.py: `move_nanmean`, a `guvectorize` core.
// Changed: it is a plain function; the window is a number rather than `window_arr[0]`.
#[njit]
fn move_nanmean(a: ArrayView1<f64>, window: usize, out: &mut [f64]) {
    asum = 0.0;
    count = 0;
    for i in range(window - 1) {
        ai = a[i];
        if ai == ai {
            asum += ai;
            count += 1;
        }
        out[i] = np.nan;
    }
    i = window - 1;
    ai = a[i];
    if ai == ai {
        asum += ai;
        count += 1;
    }
    if count > 0 {
        out[i] = asum / count;
    } else {
        out[i] = np.nan;
    }
    for i in range(window, len(a)) {
        ai = a[i];
        if ai == ai {
            asum += ai;
            count += 1;
        }
        aold = a[i - window];
        if aold == aold {
            asum -= aold;
            count -= 1;
        }
        if count > 0 {
            out[i] = asum / count;
        } else {
            out[i] = np.nan;
        }
    }
}

#[test]
fn move_nanmean_matches_numpy() {
    let fx = fixture("move_nanmean");
    let a = arr1(&fx["inputs"]["a"]);
    let window = fx["inputs"]["window"].as_u64().expect("a window") as usize;
    let mut out = vec![0.0; a.len()];
    move_nanmean(a.view(), window, &mut out);
    assert_close(&out, &vec_f64(&fx["outputs"]["out"]), 1e-12, "out");
}
