// Cause: NumPy's boolean-mask indexing, `a[mask]`, is not supported yet.
// Fix: Loop and test each element: `for i in range(len(a)) { if mask[i] { … } }`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64], mask: &[bool]) -> f64 {
    a[mask].sum()
}

fn main() {}
