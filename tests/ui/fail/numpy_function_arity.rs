use rjit::prelude::*;

#[njit]
fn f(x: f64, y: f64) -> f64 {
    np.sqrt(x, y)
}

fn main() {}
