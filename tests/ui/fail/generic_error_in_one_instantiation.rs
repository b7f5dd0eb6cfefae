use rjit::prelude::*;

#[njit]
fn f<T: Num>(x: T) -> T {
    x.sqrt()
}

fn main() {}
