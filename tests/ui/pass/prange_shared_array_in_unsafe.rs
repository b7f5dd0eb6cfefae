use rjit::prelude::*;

#[njit]
fn bump(a: &mut [f64], i: usize) {
    a[i] += 1.0;
}

/// The callee writes only element `i`: the user vouches for it with `unsafe { }`.
#[njit(parallel)]
fn f(out: &mut [f64]) {
    unsafe {
        for i in prange(out.len()) {
            bump(out, i);
        }
    }
}

fn main() {
    let mut v = vec![0.0; 1000];
    f(&mut v);
    assert!(v.iter().all(|x| *x == 1.0));
}
