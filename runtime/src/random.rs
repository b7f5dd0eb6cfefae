//! `np.random`: one generator per thread (xoshiro256++), so kernels on different threads never
//! contend and a seeded thread replays the same numbers. Compiled code calls the helpers below.

use std::cell::Cell;

thread_local! {
    static STATE: Cell<[u64; 4]> = Cell::new(seeded(0x853c_49e6_748f_ea9b));
}

/// Expands a seed into a full state with splitmix64, as xoshiro's authors recommend.
fn seeded(seed: u64) -> [u64; 4] {
    let mut x = seed;
    let mut next = || {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    [next(), next(), next(), next()]
}

fn next_u64() -> u64 {
    STATE.with(|c| {
        let mut s = c.get();
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        c.set(s);
        result
    })
}

/// This thread's generator state (the differential mode saves and restores it around a call).
pub(crate) fn state() -> [u64; 4] {
    STATE.with(|c| c.get())
}

/// A generator for the `prange` chunks a calling thread runs, apart from its own.
pub(crate) fn chunk_stream() -> [u64; 4] {
    seeded(0x2545_f491_4f6c_dd1d)
}

pub(crate) fn set_state(s: [u64; 4]) {
    STATE.with(|c| c.set(s));
}

/// `np.random.seed(s)`: restarts this thread's generator.
pub extern "C" fn rjit_random_seed(seed: u64) {
    STATE.with(|c| c.set(seeded(seed)));
}

/// A uniform `f64` in `[0, 1)`. Compiled code draws these inline from `rjit_random_state`'s
/// state with the same steps.
pub extern "C" fn rjit_random() -> f64 {
    (next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// The address of this thread's generator state (four `u64`s, xoshiro256++ order), for compiled
/// code to step it inline. It stays valid for the thread's life and is the same on every call
/// from one thread, which lets LLVM fetch it once per function (the helper is declared
/// `readnone`: compiled code never moves between threads inside a function).
pub extern "C" fn rjit_random_state() -> *mut u64 {
    STATE.with(|c| c.as_ptr().cast())
}

/// A standard normal `f64` (Marsaglia's polar method).
pub extern "C" fn rjit_normal() -> f64 {
    loop {
        let u = 2.0 * rjit_random() - 1.0;
        let v = 2.0 * rjit_random() - 1.0;
        let s = u * u + v * v;
        if s > 0.0 && s < 1.0 {
            return u * (-2.0 * s.ln() / s).sqrt();
        }
    }
}

/// A uniform integer in `[lo, hi)`; compiled code has checked `lo < hi`.
pub extern "C" fn rjit_randint(lo: i64, hi: i64) -> i64 {
    let span = hi.wrapping_sub(lo) as u64;
    // Rejection sampling: no modulo bias.
    let zone = u64::MAX - (u64::MAX % span);
    loop {
        let x = next_u64();
        if x < zone {
            return lo.wrapping_add((x % span) as i64);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeding_replays_and_values_are_in_range() {
        rjit_random_seed(7);
        let a: Vec<f64> = (0..5).map(|_| rjit_random()).collect();
        rjit_random_seed(7);
        let b: Vec<f64> = (0..5).map(|_| rjit_random()).collect();
        assert_eq!(a, b);
        assert!(a.iter().all(|x| (0.0..1.0).contains(x)));
        assert!((0..1000).map(|_| rjit_randint(-3, 4)).all(|x| (-3..4).contains(&x)));
        let n = 20000;
        let mean = (0..n).map(|_| rjit_normal()).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.05, "{mean}");
    }
}
