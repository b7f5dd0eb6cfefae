// Cause: `a.sort()` sorts in place, and `a` is a read-only view.
// Fix: Take the array as writable (`ArrayViewMut1<T>`, `&mut [T]`), or sort a copy: `np.sort(a)`.
use rjit::prelude::*;

#[njit]
fn f(a: &[f64]) {
    a.sort();
}

fn main() {}
