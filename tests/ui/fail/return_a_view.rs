// Cause: The function declares a view as its return type.
// Fix: Return an owned `Array1..4<T>`: the kernel allocates it (or copies the view) and Rust owns it.
use rjit::prelude::*;

#[njit]
fn f(a: ArrayView1<f64>) -> ArrayView1<f64> {
    a
}

fn main() {}
