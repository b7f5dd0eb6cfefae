// Cause: A local first bound to the row the iteration owns is bound again to row 0, which every iteration reaches, and then written.
// Fix: Keep a view of the iteration's own row in its own variable, and write other rows outside the loop.
use rjit::prelude::*;

#[njit(parallel)]
fn normalize(hs: ArrayViewMut2<f64>) {
    for i in prange(hs.shape().0) {
        let h = hs[i];
        if i > 3 {
            h = hs[0];
        }
        h /= 2.0;
    }
}

fn main() {}
