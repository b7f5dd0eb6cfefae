// Cause: A signature uses Numba's byte-count shorthand (`f4`, `i4`, `c16`, …).
// Fix: Write Rust's names (`f32`, `i32`, `Complex64`) or Numba's long ones (`float32`, `int32`, `complex128`); in Rust `u8` is a byte.
use rjit::prelude::*;

#[njit(sig = "u64(f4[::1], u64, f4)")]
fn f(h: ArrayView1<f32>, n: u64, r: f32) -> u64 {
    n
}

fn main() {}
