// Cause: An unknown option in `#[njit(...)]` (often a typo).
// Fix: The options are `parallel`, `fastmath`, `cache`, `boundscheck = false`, `sig = "…"` and `inline`.
use rjit::prelude::*;

#[njit(paralel)]
fn f(x: f64) -> f64 {
    x
}

fn main() {}
