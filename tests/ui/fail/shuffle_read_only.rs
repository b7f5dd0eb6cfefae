// Cause: `np.random.shuffle` writes its argument, which here is a read-only view.
// Fix: Take the array as writable (`ArrayViewMut1<T>`, `&mut [T]`), or shuffle a copy with `np.random.permutation(a)`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) {
    np.random.shuffle(a);
}

fn main() {}
