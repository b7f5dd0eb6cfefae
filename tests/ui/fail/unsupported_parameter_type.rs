// Cause: A parameter type the DSL has no meaning for (`Vec<T>`, `String`, a struct…).
// Fix: Use a scalar, `&[T]`, `&mut [T]`, `ArrayView1..4<T>`, `ArrayViewMut1..4<T>`, `&Array1..4<T>` or `&mut Array1..4<T>`.
use rjit::prelude::*;

#[njit]
fn f(v: Vec<f64>) -> f64 {
    v[0]
}

fn main() {}
