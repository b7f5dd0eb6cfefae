//! `np.random`: a generator per thread, reproducible after `np.random.seed`, with NumPy's names,
//! defaults and array forms (`size` last, positional or keyword).

use rjit::ndarray::{Array1, Array2};
use rjit::prelude::*;

#[njit]
fn draws(seed: u64) -> (f64, f64, f64, i64, Array1<f64>, Array2<f64>, Array1<i64>) {
    np.random.seed(seed);
    let a = np.random.random();
    let b = np.random.uniform(-2.0, 3.0);
    let c = np.random.normal(10.0, 0.5);
    let d = np.random.randint(5, 9);
    let e = np.random.random(4);
    let f = np.random.normal(0.0, 1.0, (2, 3));
    let g = np.random.randint(3, size = 6);
    (a, b, c, d, e, f, g)
}

#[njit]
fn moments(seed: u64, n: usize) -> (f64, f64, f64, f64, i64, i64) {
    np.random.seed(seed);
    let u = np.random.uniform(2.0, 4.0, n);
    let z = np.random.normal(size = n);
    let k = np.random.randint(-3, 4, n);
    (u.min(), u.max(), z.mean(), (z * z).mean(), k.min(), k.max())
}

#[njit]
fn monte_carlo_pi(n: i64) -> f64 {
    let mut inside = 0;
    for _ in range(n) {
        let x = np.random.random();
        let y = np.random.random();
        if x * x + y * y < 1.0 {
            inside += 1;
        }
    }
    4.0 * inside as f64 / n as f64
}

#[njit]
fn bad_range(lo: i64, hi: i64) -> i64 {
    np.random.randint(lo, hi)
}

#[njit]
fn positions(a: &[f64]) -> (usize, usize) {
    (np.argmin(a), np.argmax(a))
}

#[test]
fn a_seed_replays_the_same_numbers() {
    let x = draws(42);
    assert_eq!(x, draws(42));
    assert_ne!(x.0, draws(43).0);
    let (a, b, c, d, e, f, g) = x;
    assert!((0.0..1.0).contains(&a));
    assert!((-2.0..3.0).contains(&b));
    assert!((7.0..13.0).contains(&c));
    assert!((5..9).contains(&d));
    assert!(e.iter().all(|v| (0.0..1.0).contains(v)) && e.len() == 4);
    assert_eq!(f.shape(), &[2, 3]);
    assert!(g.iter().all(|v| (0..3).contains(v)) && g.len() == 6);
}

#[test]
fn distributions_have_their_moments() {
    let (umin, umax, zmean, zvar, kmin, kmax) = moments(7, 200_000);
    assert!(umin >= 2.0 && umax < 4.0 && umax > 3.99 && umin < 2.01);
    assert!(zmean.abs() < 0.01, "{zmean}");
    assert!((zvar - 1.0).abs() < 0.02, "{zvar}");
    assert_eq!((kmin, kmax), (-3, 3));
    let pi = monte_carlo_pi(1_000_000);
    assert!((pi - std::f64::consts::PI).abs() < 0.01, "{pi}");
}

#[test]
fn each_thread_has_its_own_generator() {
    let runs: Vec<_> = (0..4).map(|_| std::thread::spawn(|| draws(99))).collect();
    let results: Vec<_> = runs.into_iter().map(|t| t.join().expect("thread")).collect();
    assert!(results.iter().all(|r| *r == results[0]));
}

#[test]
fn randint_needs_a_non_empty_range() {
    assert_eq!(bad_range(4, 5), 4);
    let e = bad_range::try_call(5, 5).unwrap_err();
    assert!(matches!(e, rjit::Error::EmptyRange { low: 5, high: 5, .. }), "{e}");
    assert_eq!(positions(&[3.0, -1.0, 8.0, -1.0]), (1, 2));
}

/// Draws in a `prange` loop (on whichever threads run its chunks, the caller's among them), then
/// once more after it.
#[njit(parallel)]
fn draws_around_prange(seed: u64, n: usize) -> (f64, f64, f64) {
    np.random.seed(seed);
    let before = np.random.random();
    let x = np.zeros(n);
    for i in prange(n) {
        x[i] = np.random.random();
    }
    let after = np.random.random();
    (before, after, x.sum())
}

#[njit]
fn two_draws(seed: u64) -> (f64, f64) {
    np.random.seed(seed);
    (np.random.random(), np.random.random())
}

#[test]
fn a_prange_loop_leaves_the_callers_stream_alone() {
    // The calling thread runs chunks too, from a generator of their own: what it draws after the
    // loop is what it would draw with no loop, whatever chunks it ran.
    for (seed, n) in [(1, 1), (7, 10), (7, 1000), (99, 100_000)] {
        let (before, after, sum) = draws_around_prange(seed, n);
        assert_eq!((before, after), two_draws(seed), "seed {seed}, n {n}");
        // The interpreter too: its chunks draw from the chunk generator, as compiled code's do.
        let (before, after, _) = draws_around_prange::interpret(seed, n).unwrap();
        assert_eq!((before, after), two_draws(seed), "interpreted: seed {seed}, n {n}");
        assert!(sum > 0.0 && sum < n as f64);
    }
}

/// NumPy's shorthands: `rand(d0, d1, …)` is `random((d0, d1, …))`, `randn(d0, …)` is
/// `normal(0.0, 1.0, (d0, …))`, and with no argument each is one number (they used to be aliases
/// of `random` and `normal` that read the first dimension as a parameter: `randn(n)` was one draw
/// from N(n, 1)).
#[njit]
fn shorthands(seed: u64, n: usize) -> (Array2<f64>, Array1<f64>, f64, f64, Array2<f64>, Array1<f64>) {
    np.random.seed(seed);
    let u = np.random.rand(3, 4);
    let z = np.random.randn(n);
    let one_u = np.random.rand();
    let one_z = np.random.randn();
    np.random.seed(seed);
    let same_u = np.random.random((3, 4));
    let same_z = np.random.normal(0.0, 1.0, n);
    (u, z, one_u, one_z, same_u, same_z)
}

#[test]
fn rand_and_randn_take_dimensions() {
    let n = 20_000;
    let (u, z, one_u, one_z, same_u, same_z) = shorthands(7, n);
    assert_eq!(u.shape(), &[3, 4]);
    assert!(u.iter().all(|x| (0.0..1.0).contains(x)));
    assert_eq!(z.len(), n);
    let mean = z.sum() / n as f64;
    let var = z.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
    assert!(mean.abs() < 0.05 && (var - 1.0).abs() < 0.05, "mean {mean}, variance {var}");
    assert!((0.0..1.0).contains(&one_u) && one_z.is_finite());
    assert_eq!(u, same_u, "rand draws what random draws");
    assert_eq!(z.slice(rjit::ndarray::s![..]), same_z.slice(rjit::ndarray::s![..]), "randn draws what normal draws");
}

#[njit]
fn shuffled(seed: u64, a: ArrayViewMut1<i64>, m: ArrayViewMut2<f64>) {
    np.random.seed(seed);
    np.random.shuffle(a);
    np.random.shuffle(m);
}

#[njit]
fn permutations(seed: u64, n: i64, a: ArrayView2<f64>) -> (Array1<i64>, Array2<f64>) {
    np.random.seed(seed);
    (np.random.permutation(n), np.random.permutation(a))
}

#[njit]
fn choices(seed: u64, a: &[f64], n: i64, k: usize) -> (f64, i64, Array1<f64>, Array2<i64>) {
    np.random.seed(seed);
    (np.random.choice(a), np.random.choice(n), np.random.choice(a, k), np.random.choice(n, (k, 2)))
}

#[njit]
fn choice_of(a: &[f64]) -> f64 {
    np.random.choice(a)
}

fn sorted<T: PartialOrd + Copy>(v: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut v: Vec<T> = v.into_iter().collect();
    v.sort_by(|x, y| x.partial_cmp(y).unwrap());
    v
}

#[test]
fn shuffle_permutation_and_choice_mean_what_numpy_means() {
    let n = 50usize;
    let mut a = Array1::from_iter(0..n as i64);
    // A strided 2-D view: rows move whole, whatever the layout.
    let mut big = Array2::from_shape_fn((6, 8), |(i, j)| (i * 10 + j) as f64);
    let mut m = big.slice_mut(rjit::ndarray::s![.., ..;2]);
    shuffled(3, a.view_mut(), m.view_mut());
    assert_eq!(sorted(a.iter().copied()), (0..n as i64).collect::<Vec<_>>());
    assert_ne!(a.to_vec(), (0..n as i64).collect::<Vec<_>>(), "50 elements shuffled stay in order with chance 1/50!");
    let firsts = sorted(m.column(0).iter().copied());
    assert_eq!(firsts, (0..6).map(|i| (i * 10) as f64).collect::<Vec<_>>());
    for row in m.rows() {
        let i = row[0];
        assert!(row.iter().enumerate().all(|(j, x)| *x == i + (2 * j) as f64), "a row stays whole: {row}");
    }
    // The odd columns, outside the view, are untouched.
    assert!(big.indexed_iter().all(|((i, j), x)| j % 2 == 0 || *x == (i * 10 + j) as f64));
    // The same seed, the same order.
    let mut again = Array1::from_iter(0..n as i64);
    shuffled(3, again.view_mut(), Array2::zeros((2, 2)).view_mut());
    assert_eq!(again, a);

    let grid = Array2::from_shape_fn((5, 3), |(i, j)| (i * 3 + j) as f64);
    let (p, q) = permutations(9, 20, grid.view());
    assert_eq!(sorted(p.iter().copied()), (0..20).collect::<Vec<i64>>());
    assert_eq!(q.shape(), &[5, 3]);
    assert_eq!(sorted(q.column(0).iter().copied()), vec![0.0, 3.0, 6.0, 9.0, 12.0]);
    assert!(q.rows().into_iter().all(|r| r[1] == r[0] + 1.0 && r[2] == r[0] + 2.0));
    let (p0, _) = permutations(9, 0, grid.view());
    assert_eq!(p0.len(), 0);

    let pool = [1.5, -2.0, 7.25];
    let (x, i, xs, is) = choices(5, &pool, 4, 1000);
    assert!(pool.contains(&x));
    assert!((0..4).contains(&i));
    assert_eq!(xs.len(), 1000);
    assert!(xs.iter().all(|x| pool.contains(x)));
    // Uniform: each of the three appears about a third of the time.
    for v in pool {
        let c = xs.iter().filter(|x| **x == v).count();
        assert!((250..420).contains(&c), "{v}: {c} of 1000");
    }
    assert_eq!(is.shape(), &[1000, 2]);
    assert!(is.iter().all(|i| (0..4).contains(i)));
    assert!((0..4).all(|k| is.iter().any(|i| *i == k)));

    let e = choice_of::try_call(&[]).unwrap_err().to_string();
    assert!(e.contains("choice needs a non-empty array") && e.contains("choice_of"), "{e}");
}

#[njit(parallel)]
fn shuffle_each_row(mut m: ArrayViewMut2<f64>) {
    for i in prange(m.shape[0]) {
        np.random.shuffle(m[(i, ..)]);
    }
}

#[test]
fn prange_iterations_may_shuffle_their_own_rows() {
    let mut m = Array2::from_shape_fn((64, 40), |(i, j)| (i * 100 + j) as f64);
    shuffle_each_row(m.view_mut());
    for (i, row) in m.rows().into_iter().enumerate() {
        assert_eq!(sorted(row.iter().copied()), (0..40).map(|j| (i * 100 + j) as f64).collect::<Vec<_>>());
    }
    let moved =
        |(i, r): (usize, rjit::ndarray::ArrayView1<f64>)| r.iter().enumerate().any(|(j, x)| *x != (i * 100 + j) as f64);
    assert!(m.rows().into_iter().enumerate().all(moved), "every row of 40 is shuffled");
}
