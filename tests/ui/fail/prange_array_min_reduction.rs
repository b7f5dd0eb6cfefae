// Cause: An outer array is reduced with `np.minimum`/`np.maximum` inside a `prange` loop; arrays reduce only with operators.
// Fix: Reduce arrays with `+=`, `-=`, `*=`, `&=`, `|=` or `^=`, or write rows `a[i]` led by the loop variable.
use rjit::prelude::*;
use rjit::ndarray::{Array1, Array2};

#[njit(parallel)]
fn f(rows: &Array2<f64>) -> Array1<f64> {
    let mut lo = np.full(rows.shape().1, np.inf);
    for i in prange(rows.len()) {
        lo = np.minimum(lo, rows[i]);
    }
    lo
}

fn main() {}
