use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    np.frobnicate(x)
}

fn main() {}
