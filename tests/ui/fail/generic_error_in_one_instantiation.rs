// Cause: A generic body is wrong for one of the types its bound admits (here `sqrt` on integers, which `Num` includes).
// Fix: Narrow the bound (`T: rjit::Float`), or convert inside the body (`np.sqrt(x)` gives a float for any number).
use rjit::prelude::*;

#[njit]
fn f<T: Num>(x: T) -> T {
    x.sqrt()
}

fn main() {}
