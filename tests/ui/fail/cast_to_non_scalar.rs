use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    let y = x as Vec<f64>;
    x
}

fn main() {}
