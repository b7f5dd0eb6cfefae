// Cause: `np.random.choice` draws with replacement only; `replace` and `p` are not supported.
// Fix: Take the first `k` of a permutation: `np.random.permutation(a)[..k]`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) -> Array1<f64> {
    np.random.choice(a, 3, replace = false)
}

fn main() {}
