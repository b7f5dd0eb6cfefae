use rjit::prelude::*;

#[njit]
fn f(x: f64, code: i64) -> f64 {
    assert!(x > 0.0, code);
    x
}

fn main() {}
