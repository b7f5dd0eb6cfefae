// Cause: Each loop lets two iterations reach one element of an outer array (at least one of them writing it): through a second offset, a whole-array method, a transposed or rebound view, a reassigned loop variable, a narrowing cast, or a callee that may write what every iteration reaches.
// Fix: Write only the iteration's own element `a[i]` (one offset throughout) and read no element another iteration writes; see docs/SAFETY.md for the rule, or put the loop in `unsafe { }` if you know better.
use rjit::prelude::*;

#[njit(parallel)]
fn two_offsets(out: &mut [f64], c: usize) {
    for i in prange(out.len() - c) {
        out[i] += 1.0;
        out[i + c] += 1.0;
    }
}

#[njit(parallel)]
fn fill_each_time(out: &mut [f64]) {
    for i in prange(out.len()) {
        out.fill(i as f64);
    }
}

#[njit(parallel)]
fn transposed(m: ArrayViewMut2<f64>) {
    for i in prange(m.shape().0) {
        let v = m.t();
        v[[0, i]] += 1.0;
    }
}

#[njit(parallel)]
fn rebound(out: &mut [f64], c: bool) {
    for i in prange(out.len()) {
        let v = np.zeros(1);
        if c {
            v = out;
        }
        v[0] += 1.0;
    }
}

#[njit(parallel)]
fn reassigned(out: &mut [f64]) {
    for i in prange(out.len()) {
        i = 0;
        out[i] += 1.0;
    }
}

#[njit(parallel)]
fn narrowed(out: &mut [f64]) {
    for i in prange(out.len()) {
        out[i as u8] += 1.0;
    }
}

#[njit]
fn poke<T: Float>(a: ArrayViewMut2<T>) {
    a[[0, 0]] += a[[0, 1]];
}

#[njit(parallel)]
fn generic_callee(m: ArrayViewMut2<f64>) {
    for i in prange(m.shape().0) {
        poke(m.t());
    }
}

fn main() {}
