// Cause: Python's `True`, `False` and `None` are not Rust values.
// Fix: Write `true` and `false`; for `None`, a value of the right type (`np.nan`, `-1`).
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> bool {
    let found = False;
    if x > 0.0 {
        return True;
    }
    found
}

fn main() {}
