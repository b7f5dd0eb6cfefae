// Cause: An argument's type does not fit the called njit function's parameter.
// Fix: Pass a value of the parameter's type (numbers widen implicitly; write `x as T` otherwise), or change the callee's parameter.
use rjit::prelude::*;

#[njit]
fn g(a: &[f32]) -> f32 {
    a.sum()
}

#[njit]
fn f(a: &[f64]) -> f32 {
    g(a)
}

fn main() {}
