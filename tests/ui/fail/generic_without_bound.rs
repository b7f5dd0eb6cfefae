use rjit::prelude::*;

#[njit]
fn f<T>(a: &[T]) -> usize {
    a.len()
}

fn main() {}
