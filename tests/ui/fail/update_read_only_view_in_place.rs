// Cause: A read-only array is updated in place (`h /= 2.0`).
// Fix: Take it as writable: `ArrayViewMut1<T>` or `&mut [T]`.
use rjit::prelude::*;

#[njit]
fn f(h: ArrayView1<f32>) {
    h /= 2.0;
}

fn main() {}
