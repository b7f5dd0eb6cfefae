// Cause: A Rust macro other than `assert!` (`println!`, `vec!`, …).
// Fix: Print with `print(a, b)`; build arrays with `np.zeros` and friends.
use rjit::prelude::*;

#[njit]
fn f(x: f64) -> f64 {
    println!("{}", x);
    x
}

fn main() {}
