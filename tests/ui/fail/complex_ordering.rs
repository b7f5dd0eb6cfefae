// Cause: Complex numbers compared with `<`, `<=`, `>` or `>=`.
// Fix: Compare magnitudes (`np.abs(a) < np.abs(b)`) or parts (`a.re < b.re`).
use rjit::prelude::*;

#[njit]
fn f(a: Complex64, b: Complex64) -> bool {
    a < b
}

fn main() {}
