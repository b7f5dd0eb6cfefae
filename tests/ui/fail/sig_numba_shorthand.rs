use rjit::prelude::*;

#[njit(sig = "u64(f4[::1], u64, f4)")]
fn f(h: ArrayView1<f32>, n: u64, r: f32) -> u64 {
    n
}

fn main() {}
