use rjit::prelude::*;

#[njit]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

#[njit]
fn get_spike(h: ArrayView1<f32>, n: u64, r: f32) -> u64 {
    let mut s = 0.0;
    for i in range(0, n - 1) {
        s += h[i];
        if r <= s {
            return i;
        }
    }
    n - 1
}

#[test]
fn smoke() {
    assert_eq!(add(1.0, 2.5), 3.5);
    let h = rjit::ndarray::arr1(&[0.25f32, 0.25, 0.5]);
    assert_eq!(get_spike(h.view(), 3, 0.3), 1);
}
