// Cause: `fastmath = "…"` lists a flag LLVM does not have.
// Fix: The flags are `reassoc, contract, nnan, ninf, nsz, arcp, afn`; plain `fastmath` sets them all.
use rjit::prelude::*;

#[njit(fastmath = "reassoc,fast")]
fn f(x: f64) -> f64 {
    x * 2.0
}

fn main() {}
