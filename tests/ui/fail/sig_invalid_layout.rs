use rjit::prelude::*;

#[njit(sig = "f64(f64[::1, ::1])")]
fn f(a: ArrayView2<f64>) -> f64 {
    a[[0, 0]]
}

fn main() {}
