// Cause: A parameter takes an owned array (`Array1<T>`).
// Fix: Borrow it: `&Array1<T>` or `ArrayView1<T>` (`&mut …` or `ArrayViewMut1<T>` to write).
use rjit::prelude::*;

#[njit]
fn f(a: Array1<f64>) -> f64 {
    a.sum()
}

fn main() {}
