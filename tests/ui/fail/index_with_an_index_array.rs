// Cause: NumPy's fancy indexing with an array of indices, `a[idx]`, is not supported yet.
// Fix: Loop over the indices: `for k in range(len(idx)) { … a[idx[k]] … }`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64], idx: &[i64]) -> f64 {
    a[idx].sum()
}

fn main() {}
