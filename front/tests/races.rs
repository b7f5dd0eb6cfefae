//! The `prange` race proof (`parallel::check` with `race::prove`): the loop forms it refuses and
//! those it accepts. Every refused form here compiled before the proof and lost updates on two
//! threads; every accepted one is disjoint (and the interpreter's race detector agrees on random
//! programs, tests/suite/race_oracle.rs).

fn races(src: &str) -> Vec<String> {
    let f = rjit_front::parse(src, 1)
        .unwrap_or_else(|d| panic!("{src}: {:?}", d.iter().map(|d| d.text()).collect::<Vec<_>>()));
    let typed = rjit_front::check(&f, None, &rjit_front::NoCallees)
        .unwrap_or_else(|d| panic!("{src}: {:?}", d.iter().map(|d| d.text()).collect::<Vec<_>>()));
    rjit_front::prange::check(&f, &typed).iter().map(|d| d.text()).collect()
}

/// `fn f(out: &mut [f64], a: &[f64], hs: ArrayViewMut2<f64>, n: usize, c: usize, k: i64) { BODY }`
fn with(body: &str) -> String {
    format!("fn f(out: &mut [f64], a: &[f64], hs: ArrayViewMut2<f64>, n: usize, c: usize, k: i64) {{ {body} }}")
}

pub const REFUSED: &[(&str, &str)] = &[
    ("two offsets", "for i in prange(n) { out[i] += 1.0; out[i + c] += 1.0; }"),
    ("fill as a statement", "for i in prange(n) { out.fill(1.0); }"),
    ("write through a transposed view", "for i in prange(n) { let v = hs.t(); v[[0, i]] += 1.0; }"),
    ("write through t() of a row index", "for i in prange(n) { let v = hs.t(); v[i] += 1.0; }"),
    ("rebinding through an if", "for i in prange(n) { let v = if c > 0 { out } else { out }; v[0] += 1.0; }"),
    ("rebinding a fresh local to the outer array", "for i in prange(n) { let v = np.zeros(1); v = out; v[0] += 1.0; }"),
    ("a row view rebound to another row", "for i in prange(n) { let h = hs[i]; h = hs[0]; h += 1.0; }"),
    ("the loop variable reassigned", "for i in prange(n) { i = 0; out[i] += 1.0; }"),
    ("a narrowing cast of the index", "for i in prange(n) { out[i as u8] += 1.0; }"),
    ("a read of another iteration's element", "for i in prange(n) { out[i] = out[i + 1]; }"),
    ("negative indices wrap from the end", "for i in prange(-k, k) { out[i] = 1.0; }"),
    ("a signed variable from an unknown start", "for i in prange(k, 10) { out[i] = 1.0; }"),
    ("a signed difference that may go negative", "for i in prange(0, 10) { out[i - 1] = 1.0; }"),
    ("a same-width unsigned-to-signed cast", "for i in prange(n) { out[(i - 1) as i64] = 1.0; }"),
    ("a whole read while slots are written", "for i in prange(n) { out[i] = out.sum(); }"),
    ("a write at a computed index", "for i in prange(n) { out[(i * 7) % n] = 1.0; }"),
    ("a write at an index from data", "for i in prange(n) { out[a[i] as usize] = 1.0; }"),
    ("rows through a for loop over the whole array", "for i in prange(n) { for row in hs { row[0] = 1.0; } }"),
    ("a view sliced before indexing", "for i in prange(n) { let v = out[1..]; v[i] = 1.0; }"),
    ("an outer alias written and read", "let v = out; for i in prange(n) { out[i] = v[i + 1]; }"),
    (
        "an outer view with other elements at the same index",
        "let v = hs.t(); for i in prange(n) { hs[[i, 0]] = 1.0; v[[i, 0]] = 2.0; }",
    ),
    ("a nested loop writing a column", "for i in prange(n) { for j in range(n) { hs[[j, i]] = 1.0; } }"),
    (
        "a write inside an expression block",
        "for i in prange(n) { let t = if c > 0 { out[0] = 1.0; 1.0 } else { 0.0 }; out[i] = t; }",
    ),
    ("a tuple destructuring that may hold the array", "for i in prange(n) { let (u, w) = (out, 1.0); u[0] = w; }"),
    ("a fresh array from a call that may be a view", "for i in prange(n) { let v = g(out); v[0] = 1.0; }"),
];

pub const ACCEPTED: &[(&str, &str)] = &[
    ("its own element", "for i in prange(n) { out[i] = a[i] * 2.0; }"),
    ("its own element at one offset", "for i in prange(n) { out[i + 1] = a[i] + a[i + 1]; out[i + 1] *= 2.0; }"),
    ("an offset by an invariant", "for i in prange(n) { out[i + c] += 1.0; }"),
    ("a row view normalized in place", "for i in prange(n) { let h = hs[i]; h /= h.sum(); }"),
    ("a row's elements", "for i in prange(n) { for j in range(n) { hs[[i, j]] = a[j] * 2.0; } }"),
    ("a sub-view of its row", "for i in prange(n) { let h = hs[i]; let t = h[1..]; t += 1.0; }"),
    ("a read-only array read anywhere", "for i in prange(n) { out[i] = a[(i * 7) % n] + a.sum(); }"),
    (
        "a fresh array per iteration",
        "for i in prange(n) { let t = np.zeros(4); t[0] = 1.0; t.fill(2.0); out[i] = t.sum(); }",
    ),
    ("a scalar reduction", "let s = 0.0; for i in prange(n) { s += a[i]; } out[0] = s;"),
    ("min and max reductions", "let lo = 1e300; for i in prange(n) { lo = lo.min(a[i]); } out[0] = lo;"),
    (
        "an array reduction",
        "let h = np.zeros(4); for i in prange(n) { let l = np.zeros(4); l[i % 4] = 1.0; h += l; } out[0] = h[0];",
    ),
    ("a signed variable from zero", "for i in prange(0, 10) { out[i + 2] = out[i + 2] * 2.0; }"),
    ("a signed variable with a literal start", "for i in prange(3, 10) { out[i - 3] = 1.0; }"),
    ("a widening cast", "for i in prange(n) { out[i as u64] = 1.0; }"),
    ("a stepped range", "for i in prange(0, n, 2) { out[i] = 1.0; }"),
    ("a racy loop the user vouches for", "unsafe { for i in prange(n) { out[0] = a[i]; } }"),
    ("a row view written only by its iteration", "for i in prange(n) { let r = hs[i]; r[0] = r[1] + 1.0; }"),
    ("rows of its own row", "for i in prange(n) { let h = hs[i]; for x in h { out[i] += x; } }"),
];

#[test]
fn refused_forms() {
    let mut wrong = Vec::new();
    for (what, body) in REFUSED {
        // `g` is an njit callee the macro cannot see: the proof assumes it may return a view.
        let src = with(body);
        let r = races(&src);
        if !r.iter().any(|m| m.contains("race") || m.contains("`break`")) {
            wrong.push(format!("{what}: accepted ({r:?}), but iterations can race:\n  {src}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn accepted_forms() {
    let mut wrong = Vec::new();
    for (what, body) in ACCEPTED {
        let r = races(&with(body));
        if !r.is_empty() {
            wrong.push(format!("{what}: refused: {r:?}\n  {body}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Prints each refused form with its first message (`--nocapture`): the list the docs show.
#[test]
fn list() {
    for (what, body) in REFUSED {
        let r = races(&with(body));
        let first = r.first().map(|m| m.lines().next().unwrap_or("").to_string()).unwrap_or_default();
        println!("{what}: {first}");
    }
}
