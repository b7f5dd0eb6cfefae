// Cause: A type parameter without a bound saying which scalars it stands for.
// Fix: Bound it: `T: rjit::Float`, `T: rjit::Int` or `T: rjit::Num`.
use rjit::prelude::*;

#[njit]
fn f<T>(a: &[T]) -> usize {
    a.len()
}

fn main() {}
