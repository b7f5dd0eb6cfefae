use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    fn helper(y: f64) -> f64 { y }
    x
}

fn main() {}
