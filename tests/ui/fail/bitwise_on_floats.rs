// Cause: `&`, `|` or `^` is applied to floats.
// Fix: Bitwise operators take integers or two `bool`s; convert with `as` first.
use rjit::prelude::*;

#[njit]
fn f(x: f64, y: f64) -> f64 {
    x & y
}

fn main() {}
