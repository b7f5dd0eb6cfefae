// Cause: An outer variable is updated with an operator that is not a reduction (`/=`, `%=`, shifts) inside a `prange` loop.
// Fix: Use `+=`, `-=`, `*=`, `&=`, `|=`, `^=`, `s = s.min(x)` or `s = s.max(x)`.
use rjit::prelude::*;

#[njit(parallel)]
fn f(a: &[f64]) -> f64 {
    let mut s = 1.0;
    for i in prange(a.len()) {
        s /= a[i];
    }
    s
}

fn main() {}
