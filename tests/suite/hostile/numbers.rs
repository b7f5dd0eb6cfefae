//! Hostile numbers: sizes that overflow, NaN and infinities, extreme integers.

use super::*;

// ---------------------------------------------------------------- sizes that overflow

#[test]
pub(super) fn shapes_whose_size_overflows() {
    assert_eq!(zeros2(3, 4).dim(), (3, 4));
    // 2^32 × 2^32 elements: the element count overflows 64 bits.
    assert!(is_alloc_error(zeros2::try_call(1 << 32, 1 << 32)));
    // 2^31 × 2^31 × 8 bytes: the byte count overflows.
    assert!(is_alloc_error(zeros2::try_call(1 << 31, 1 << 31)));
    assert!(is_alloc_error(zeros2::try_call(usize::MAX, 2)));
    // A dimension larger than any array can have, beside a zero one.
    assert!(is_alloc_error(zeros2::try_call(0, usize::MAX)));
    assert!(is_alloc_error(zeros2::try_call(0, 1 << 63)));
    // Negative dimensions, as NumPy refuses them.
    assert!(is_alloc_error(zeros_signed::try_call(0, -1)));
    assert!(is_alloc_error(zeros_signed::try_call(-2, 3)));
    assert_eq!(zeros_signed(0, 3).dim(), (0, 3));
    // Creators whose length comes from values.
    assert_eq!(aranged(0.0, 1.0, 0.25), 4);
    assert_eq!(aranged(1.0, 0.0, 0.25), 0);
    assert!(is_alloc_error(aranged::try_call(0.0, f64::INFINITY, 1.0)));
    assert!(is_alloc_error(aranged::try_call(0.0, 1e300, 1e-300)));
    assert!(matches!(aranged::try_call(0.0, f64::NAN, 1.0), Err(Error::NanLength { .. })), "a NaN bound has no length");
    assert!(matches!(aranged::try_call(0.0, 1.0, f64::NAN), Err(Error::NanLength { .. })), "a NaN step has no length");
    assert!(matches!(aranged::try_call(0.0, 1.0, 0.0), Err(Error::ZeroStep { .. })));
    assert_eq!(int_aranged(i64::MIN, i64::MIN + 3, 1), 3);
    assert!(is_alloc_error(int_aranged::try_call(i64::MIN, i64::MAX, 1)));
    assert_eq!(int_aranged(i64::MIN, i64::MAX, i64::MAX), 3);
    assert_eq!(int_aranged(i64::MAX, i64::MIN, i64::MIN), 2);
    assert!(is_alloc_error(spaced::try_call(usize::MAX)));
    assert!(is_alloc_error(spaced_signed::try_call(-1)), "a negative count, as NumPy refuses it");
    assert_eq!((spaced(0), spaced(1), spaced_signed(3)), (0, 1, 3));
    assert!(is_alloc_error(randoms::try_call(usize::MAX / 4)));
}

// ---------------------------------------------------------------- NaN and infinities

#[test]
pub(super) fn nan_and_infinities() {
    let nan = f64::NAN;
    // Saturating casts, as in Rust: NaN is 0, infinities clamp.
    assert_eq!(casts(nan), (0, 0, 0, 0, 0));
    assert_eq!(casts(f64::INFINITY), (i64::MAX, u8::MAX, usize::MAX, i32::MAX, u64::MAX));
    assert_eq!(casts(f64::NEG_INFINITY), (i64::MIN, 0, 0, i32::MIN, 0));
    assert_eq!(casts(-1.5), (-1, 0, 0, -1, 0));
    assert_eq!(casts(1e300), (i64::MAX, u8::MAX, usize::MAX, i32::MAX, u64::MAX));
    // Around every edge of the unsigned conversion (its own code on AVX-512), f64 and f32.
    let two63 = 9_223_372_036_854_775_808.0f64;
    let edges = [
        -1.0,
        -0.999,
        -0.5,
        -0.0,
        0.0,
        1e-300,
        0.5,
        0.999,
        1.0,
        1.5,
        4.0e15,
        two63 - 1024.0,
        two63,
        two63 * 1.5,
        two63 * 2.0 - 2048.0,
        two63 * 2.0,
        1e20,
        -1e20,
        f64::MIN_POSITIVE,
    ];
    for x in edges {
        assert_eq!(to_u64(x), (x as u64, x as usize, (x as f32) as u64), "{x}");
    }
    for x in [nan, f64::INFINITY, f64::NEG_INFINITY, -0.0, 2.5, -2.5] {
        let (r, f, m, q, mn, npmin, pos) = float_math(x);
        assert!(same(r, x.round_ties_even()), "round({x}) = {r}");
        assert!(same(f, x.floor()) && same(m, x % 2.0) && same(q, x.sqrt()) && same(mn, x.min(1.0)), "{x}");
        // NumPy's minimum propagates NaN; Rust's f64::min ignores it.
        assert!(same(npmin, if x.is_nan() { nan } else { x.min(1.0) }), "np.minimum({x}, 1) = {npmin}");
        assert_eq!(pos, x > 0.0);
    }
    // NaN in reductions: NumPy's min, max, argmin and argmax take the first NaN.
    let a = Array1::from(vec![1.0, nan, -3.0, nan, f64::INFINITY]);
    let (mn, mx, amin, amax) = extremes(a.view());
    assert!(mn.is_nan() && mx.is_nan(), "{mn} {mx}");
    assert_eq!((amin, amax), (1, 1));
    let b = Array1::from(vec![f64::NEG_INFINITY, 0.0, f64::INFINITY]);
    assert_eq!(extremes(b.view()), (f64::NEG_INFINITY, f64::INFINITY, 0, 2));
    let (s, p, m, _) = reductions(b.view());
    assert!(s.is_nan() && p.is_nan() && m.is_nan());
    // Reductions in `prange`: Rust's `min`/`max` skip NaN, NumPy's `minimum`/`maximum` keep it, on
    // any number of chunks, as the serial loop does.
    let mut v: Vec<f64> = (0..100_000).map(|i| ((i * 7919) % 1000) as f64 - 500.0).collect();
    assert_eq!(par_extremes(&v), (-500.0, 499.0, -500.0, 499.0));
    v[77_777] = nan;
    let (lo, hi, np_lo, np_hi) = par_extremes(&v);
    assert_eq!((lo, hi), (-500.0, 499.0));
    assert!(np_lo.is_nan() && np_hi.is_nan(), "{np_lo} {np_hi}");
    // Running `max`/`min` with and without a known non-NaN side, against Rust's folds.
    for start in [nan, 0.5, -0.0] {
        for a in [
            vec![],
            vec![nan],
            vec![-1.0, nan, 3.0],
            vec![nan, -0.0, 0.0, -2.0],
            vec![f64::INFINITY, nan, f64::NEG_INFINITY],
        ] {
            let want = (
                a.iter().fold(0.0f64, |m, x| m.max(*x)),
                a.iter().fold(1.0f64, |n, x| x.min(n)),
                a.iter().fold(start, |p, x| p.max(*x)),
                a.iter().fold(start, |q, x| x.min(q)),
            );
            let got = running_extremes(&a, start);
            for (g, w) in [(got.0, want.0), (got.1, want.1), (got.2, want.2), (got.3, want.3)] {
                assert!(g == w || (g.is_nan() && w.is_nan()), "{a:?} from {start}: {got:?}, want {want:?}");
            }
        }
    }
    // A histogram of NaN and infinite samples lands them where the saturating cast says.
    let h = masked_histogram(&[nan, f64::INFINITY, f64::NEG_INFINITY, 0.5, -0.0], 4);
    // Its loop is unrolled 8 times (`loop_facts::scatters`): as many increments of `hist` in a row.
    let ir = masked_histogram::inspect_llvm();
    assert!(ir.matches("add i64 %").count() >= 8 && ir.contains("llvm.loop.unroll.disable"), "{ir}");
    assert_eq!(h.to_vec(), vec![3, 0, 1, 1]);
}

// ---------------------------------------------------------------- extreme integers

#[test]
pub(super) fn extreme_integers() {
    let (min, max) = (i64::MIN, i64::MAX);
    // Wrapping arithmetic, as Rust in release builds; shifts masked to the width.
    assert_eq!(int_ops(min, -1), (min, min, max, min, min << 63));
    assert_eq!(int_ops(max, 1), (max, -max, min, max, max << 1));
    assert_eq!(int_ops(1, 64), (1, -1, 65, 64, 1));
    assert_eq!(int_ops(1, -1), (1, -1, 0, -1, 1 << 63));
    assert!(matches!(int_div::try_call(min, -1), Err(Error::Overflow { .. })));
    assert!(matches!(int_div::try_call(min, 0), Err(Error::DivisionByZero { .. })));
    assert_eq!(int_div(min, 1), (min, 0));
    assert_eq!(int_div(-7, 2), (-3, -1));
    assert!(matches!(narrow_div::try_call(i8::MIN, -1), Err(Error::Overflow { .. })));
    assert_eq!(int_extremes(&[max, min, 0]), (min, max, -1, 1, 0));
    assert_eq!(int_extremes(&[max, max]).2, -2, "integer sums wrap, as in NumPy");

    // Indices: the extremes are out of bounds, never read as anything else.
    let a = [1.0, 2.0, 3.0];
    for i in [min, max, min + 1, -4, 3] {
        assert!(matches!(at_signed::try_call(&a, i), Err(Error::IndexOutOfBounds { .. })), "{i}");
    }
    for i in [u64::MAX, 1 << 63, 3] {
        assert!(matches!(at_unsigned::try_call(&a, i), Err(Error::IndexOutOfBounds { .. })), "{i}");
    }
    assert_eq!(slice_sum(&a, min, max), (6.0, 3));
    assert_eq!(slice_sum(&a, max, min), (0.0, 0));
    assert_eq!(slice_sum(&a, -2, max), (5.0, 2));

    // Ranges near the ends of the type: counts as Python's range gives them, no wrap-around.
    assert_eq!(count_range(max - 2, max, 1), 2 * 1000 + (max - 1) % 1000);
    assert_eq!(count_range(min, max, max), 3 * 1000 + (max - 1) % 1000);
    assert_eq!(count_range(max, min, min), 2 * 1000 + (max + min) % 1000);
    assert_eq!(count_range(min, max, 1), 5 * 1000 + (min + 4) % 1000);
    assert_eq!(count_range(max, min, -1), 5 * 1000 + (max - 4) % 1000);
    assert_eq!(count_range(0, max, max / 2), 3 * 1000 + (max / 2 * 2) % 1000);
    assert_eq!(count_urange(usize::MAX), 3);
    assert_eq!(count_urange(2), 2);
    // prange over the same: sums of `i % 7 + 1` as a plain loop gives them.
    let plain = |start: i64, stop: i64, step: i64| -> i64 {
        let mut c = 0i64;
        let mut i = start;
        while (step > 0 && i < stop) || (step < 0 && i > stop) {
            c = c.wrapping_add(i % 7 + 1);
            match i.checked_add(step) {
                Some(n) => i = n,
                None => break,
            }
        }
        c
    };
    for (a0, b0, st) in [
        (min, max, max),
        (max, min, min),
        (0, max, max / 2),
        (min, min + 1000, 7),
        (max - 1000, max, 13),
        (max, max - 1000, -13),
        (5, 0, 1),
    ] {
        assert_eq!(count_prange(a0, b0, st), plain(a0, b0, st), "prange({a0}, {b0}, {st})");
    }

    // Integer powers: a negative exponent is an error, as in NumPy; overflow wraps.
    assert_eq!(int_power(3, 4), 81);
    assert_eq!(int_power(2, 64), 0);
    assert_eq!(int_power(-1, max), -1);
    assert!(matches!(int_power::try_call(2, -1), Err(Error::NegativePower { .. })));
    assert!(matches!(int_power::try_call(2, min), Err(Error::NegativePower { .. })));

    // randint over the widest ranges, and an empty one.
    for _ in 0..100 {
        let x = randint(min, max);
        assert!(x < max);
        assert_eq!(randint(max - 1, max), max - 1);
    }
    assert!(matches!(randint::try_call(5, 5), Err(Error::EmptyRange { .. })));
    assert!(matches!(randint::try_call(max, min), Err(Error::EmptyRange { .. })));
}
