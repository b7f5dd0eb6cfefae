//! Differential testing on random programs: a generator of well-typed njit functions (scalars,
//! arrays, loops, branches, calls, element-wise array expressions, reductions, views, serial and
//! `prange` loops) run on random inputs in random layouts (C, F, strided, reversed, empty), compiled
//! and in the reference interpreter; every result, array written and error must agree. A failing
//! program is shrunk (statements dropped, expressions replaced by simpler ones) before it is shown.
//!
//! CI runs `RJIT_FUZZ_PROGRAMS` programs (default 150) from `RJIT_FUZZ_SEED` (default 1); a long
//! run: `RJIT_FUZZ_PROGRAMS=20000 RJIT_FUZZ_SEED=7 cargo test --release --test suite random_programs`.

use crate::common::{call5, dispatcher};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rjit::__private::Dispatcher;
use rjit::ndarray::{s, Array1, Array2, ArrayView1, ArrayViewMut1, ArrayViewMut2};
use rjit::Error;

mod run;
use run::*;

// ---------------------------------------------------------------- programs

#[derive(Clone, Copy, PartialEq, Debug)]
enum T {
    F,
    I,
    B,
}

/// An expression of type `ty`, printed fully parenthesized.
#[derive(Clone, Debug)]
struct E {
    ty: T,
    k: K,
}

#[derive(Clone, Debug)]
enum K {
    Leaf(String),
    /// Text pieces with sub-expressions between them: `pieces[0] e0 pieces[1] e1 …`.
    Op(Vec<&'static str>, Vec<E>),
}

impl E {
    fn leaf(ty: T, s: impl Into<String>) -> E {
        E { ty, k: K::Leaf(s.into()) }
    }
    fn op(ty: T, pieces: Vec<&'static str>, kids: Vec<E>) -> E {
        E { ty, k: K::Op(pieces, kids) }
    }
    fn print(&self, out: &mut String) {
        match &self.k {
            K::Leaf(s) => out.push_str(s),
            K::Op(pieces, kids) => {
                for (i, p) in pieces.iter().enumerate() {
                    out.push_str(p);
                    if let Some(k) = kids.get(i) {
                        k.print(out);
                    }
                }
            }
        }
    }
    fn simplest(ty: T) -> E {
        E::leaf(
            ty,
            match ty {
                T::F => "1.5",
                T::I => "2i64",
                T::B => "true",
            },
        )
    }
}

/// A statement: text and expressions, and a body for loops and branches (`els` for `else`).
#[derive(Clone, Debug)]
struct S {
    head: Vec<P>,
    body: Option<Vec<S>>,
    els: Option<Vec<S>>,
}

#[derive(Clone, Debug)]
enum P {
    T(String),
    X(E),
}

impl S {
    fn line(head: Vec<P>) -> S {
        S { head, body: None, els: None }
    }
    fn print(&self, indent: usize, out: &mut String) {
        out.push_str(&"    ".repeat(indent));
        for p in &self.head {
            match p {
                P::T(t) => out.push_str(t),
                P::X(e) => e.print(out),
            }
        }
        if let Some(body) = &self.body {
            out.push_str(" {\n");
            print_block(body, indent + 1, out);
            out.push_str(&"    ".repeat(indent));
            out.push('}');
            if let Some(els) = &self.els {
                out.push_str(" else {\n");
                print_block(els, indent + 1, out);
                out.push_str(&"    ".repeat(indent));
                out.push('}');
            }
        }
        out.push('\n');
    }
}

fn print_block(b: &[S], indent: usize, out: &mut String) {
    for s in b {
        s.print(indent, out);
    }
}

fn t(s: impl Into<String>) -> P {
    P::T(s.into())
}

/// One random program: a helper `h` and the kernel `k` that may call it.
#[derive(Clone, Debug)]
struct Program {
    parallel: bool,
    helper: E,
    body: Vec<S>,
}

impl Program {
    fn helper_text(&self) -> String {
        let mut e = String::new();
        self.helper.print(&mut e);
        format!("fn h(p: f64, q: i64) -> f64 {{\n    {e}\n}}\n")
    }
    fn kernel_text(&self) -> String {
        let mut out = String::from("fn k(a: ArrayView1<f64>, b: ArrayViewMut2<f64>, v: ArrayViewMut1<i64>, n: i64, x: f64) -> f64 {\n    let mut s = 0.0;\n    let mut c = 0i64;\n");
        print_block(&self.body, 1, &mut out);
        out.push_str("    s + (c as f64)\n}\n");
        out
    }
    fn text(&self) -> String {
        format!(
            "#[njit{}]\n{}\n#[njit]\n{}",
            if self.parallel { "(parallel)" } else { "" },
            self.kernel_text(),
            self.helper_text()
        )
    }
}

/// What expressions may name where they are generated.
#[derive(Clone)]
struct Scope {
    floats: Vec<String>,
    ints: Vec<String>,
    /// Inside a `prange` body: no assignment to outer variables but the reductions `s` and `c`,
    /// and no reading them.
    in_prange: bool,
    /// Loop variables usable as row and column indices of `b`.
    row: Option<String>,
    col: Option<String>,
    depth: usize,
}

struct Gen {
    rng: StdRng,
    next: usize,
    parallel: bool,
}

// `G_…` are module-level constants (`common::test_globals`), frozen into the code.
const FLOATS: [&str; 11] =
    ["0.0", "1.5", "-2.25", "0.1", "3.0", "-0.0", "1e300", "np.inf", "np.nan", "G_NEG", "(G_F32 as f64)"];
// Suffixed, so that a literal keeps its type under any cast (`-3 as u8` is an error, as in Rust).
const INTS: [&str; 10] = [
    "0i64",
    "1i64",
    "2i64",
    "-3i64",
    "7i64",
    "100i64",
    "9223372036854775807i64",
    "-9223372036854775807i64",
    "G_MIN",
    "(G_U8 as i64)",
];

impl Gen {
    fn name(&mut self, p: &str) -> String {
        self.next += 1;
        format!("{p}{}", self.next)
    }

    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.rng.gen_range(0..xs.len())]
    }

    fn float(&mut self, sc: &Scope, depth: usize) -> E {
        let leaf = depth == 0 || self.rng.gen_bool(0.3);
        if leaf {
            return match self.rng.gen_range(0..6) {
                0 => E::leaf(T::F, self.pick(&FLOATS)),
                1 if !sc.floats.is_empty() => {
                    let v = sc.floats[self.rng.gen_range(0..sc.floats.len())].clone();
                    E::leaf(T::F, v)
                }
                2 => E::leaf(T::F, "x"),
                3 if sc.row.is_some() && sc.col.is_some() => {
                    E::leaf(T::F, format!("b[[{}, {}]]", sc.row.as_ref().unwrap(), sc.col.as_ref().unwrap()))
                }
                4 => {
                    let i = self.int(sc, 0);
                    E::op(T::F, vec!["a[(", " % (a.len() as i64 + 1)) % a.len() as i64]"], vec![i])
                }
                _ => E::leaf(T::F, "x"),
            };
        }
        let d = depth - 1;
        match self.rng.gen_range(0..13) {
            0..=3 => {
                let op = self.pick(&[" + ", " - ", " * ", " / ", " % "]);
                E::op(T::F, vec!["(", op, ")"], vec![self.float(sc, d), self.float(sc, d)])
            }
            4 => {
                let f = self.pick(&[
                    "np.sqrt(",
                    "np.sin(",
                    "np.exp(",
                    "np.log(",
                    "np.floor(",
                    "np.round(",
                    "np.abs(",
                    "np.tanh(",
                    "np.arctan(",
                    // Python's spellings (DSL.md §9).
                    "math.sqrt(",
                    "math.expm1(",
                    "math.erf(",
                    "math.asinh(",
                    "math.lgamma(",
                    "np.log1p(",
                    "abs(",
                    "float(",
                ]);
                E::op(T::F, vec![f, ")"], vec![self.float(sc, d)])
            }
            5 => {
                let m =
                    self.pick(&["(", "(", "(", "np.arctan2(", "min(", "max(", "math.hypot(", "math.copysign(", "(("]);
                let (rest, close) = match m {
                    "(" => (self.pick(&[").min(", ").max(", ").powf("]), ")"),
                    "((" => (") ** (", "))"),
                    _ => (", ", ")"),
                };
                E::op(T::F, vec![m, rest, close], vec![self.float(sc, d), self.float(sc, d)])
            }
            6 => E::op(T::F, vec!["(", " as f64)"], vec![self.int(sc, d)]),
            7 => E::op(
                T::F,
                vec!["(if ", " { ", " } else { ", " })"],
                vec![self.cond(sc, d), self.float(sc, d), self.float(sc, d)],
            ),
            8 => E::op(T::F, vec!["h(", ", ", ")"], vec![self.float(sc, d), self.int(sc, d)]),
            9 => E::op(
                T::F,
                vec!["np.r#where(", ", ", ", ", ")"],
                vec![self.cond(sc, d), self.float(sc, d), self.float(sc, d)],
            ),
            10 => E::leaf(
                T::F,
                self.pick(&[
                    "a.sum()",
                    "a.mean()",
                    "np.dot(a, a)",
                    "a[1..].sum()",
                    "a[..2].prod()",
                    "(a * x).sum()",
                    "np.sum(np.abs(a - x))",
                ]),
            ),
            11 => E::op(T::F, vec!["((", " as f32) as f64)"], vec![self.float(sc, d)]),
            _ => E::op(T::F, vec!["(-", ")"], vec![self.float(sc, d)]),
        }
    }

    fn int(&mut self, sc: &Scope, depth: usize) -> E {
        let leaf = depth == 0 || self.rng.gen_bool(0.3);
        if leaf {
            return match self.rng.gen_range(0..5) {
                0 => E::leaf(T::I, self.pick(&INTS)),
                1 if !sc.ints.is_empty() => {
                    let v = sc.ints[self.rng.gen_range(0..sc.ints.len())].clone();
                    E::leaf(T::I, v)
                }
                2 => E::leaf(T::I, self.pick(&["(a.len() as i64)", "(b.shape().1 as i64)", "(v.len() as i64)"])),
                _ => E::leaf(T::I, "n"),
            };
        }
        let d = depth - 1;
        match self.rng.gen_range(0..11) {
            0..=3 => {
                let op = self.pick(&[" + ", " - ", " * ", " / ", " % ", " & ", " ^ ", " << ", " >> "]);
                E::op(T::I, vec!["(", op, ")"], vec![self.int(sc, d), self.int(sc, d)])
            }
            4 => E::op(T::I, vec!["(", " as i64)"], vec![self.float(sc, d)]),
            5 => E::op(T::I, vec!["((", " as u8) as i64)"], vec![self.int(sc, d)]),
            6 => E::op(
                T::I,
                vec!["(if ", " { ", " } else { ", " })"],
                vec![self.cond(sc, d), self.int(sc, d), self.int(sc, d)],
            ),
            7 => {
                let i = self.int(sc, 0);
                E::op(T::I, vec!["v[(", " % (v.len() as i64 + 1)) % v.len() as i64]"], vec![i])
            }
            8 => {
                let f = self.pick(&["min(", "max("]);
                E::op(T::I, vec![f, ", ", ")"], vec![self.int(sc, d), self.int(sc, d)])
            }
            9 => {
                let tail = self.pick(&[") ** 0)", ") ** 1)", ") ** 2)", ") ** 3)"]);
                let f = self.pick(&["((", "(round(", "(int("]);
                if f == "((" {
                    E::op(T::I, vec![f, tail], vec![self.int(sc, d)])
                } else {
                    E::op(T::I, vec![f, "))"], vec![self.float(sc, d)])
                }
            }
            _ => E::op(T::I, vec!["(", ").abs()"], vec![self.int(sc, d)]),
        }
    }

    fn cond(&mut self, sc: &Scope, depth: usize) -> E {
        let d = depth.saturating_sub(1);
        match self.rng.gen_range(0..6) {
            0 | 1 => {
                let op = self.pick(&[" < ", " <= ", " == ", " != ", " > "]);
                E::op(T::B, vec!["(", op, ")"], vec![self.float(sc, d), self.float(sc, d)])
            }
            2 => {
                let op = self.pick(&[" < ", " == ", " >= "]);
                E::op(T::B, vec!["(", op, ")"], vec![self.int(sc, d), self.int(sc, d)])
            }
            3 => E::op(T::B, vec!["(", " && ", ")"], vec![self.cond(sc, d), self.cond(sc, d)]),
            4 => E::op(T::B, vec!["np.isnan(", ")"], vec![self.float(sc, d)]),
            _ => E::op(T::B, vec!["!", ""], vec![self.cond(sc, d)]),
        }
    }

    fn block(&mut self, sc: &mut Scope, n: usize) -> Vec<S> {
        (0..n).map(|_| self.stmt(sc)).collect()
    }

    fn stmt(&mut self, sc: &mut Scope) -> S {
        let d = 3;
        let nested = sc.depth < 3;
        let mut inner = sc.clone();
        inner.depth += 1;
        match self.rng.gen_range(0..25) {
            // Python's shape of an if/else that returns from both arms (its type is the
            // checker's bottom); rarely, so that most programs go on past it.
            24 if !sc.in_prange && self.rng.gen_bool(0.3) => {
                let c = self.cond(sc, 1);
                let (a, b) = (self.float(sc, 1), self.float(sc, 1));
                S {
                    head: vec![t("if "), P::X(c)],
                    body: Some(vec![S::line(vec![t("return "), P::X(a), t(";")])]),
                    els: Some(vec![S::line(vec![t("return "), P::X(b), t(";")])]),
                }
            }
            0 | 1 => {
                let name = self.name("t");
                let e = self.float(sc, d);
                sc.floats.push(name.clone());
                S::line(vec![t(format!("let {name} = ")), P::X(e), t(";")])
            }
            2 => {
                let name = self.name("i");
                let e = self.int(sc, d);
                sc.ints.push(name.clone());
                S::line(vec![t(format!("let {name} = ")), P::X(e), t(";")])
            }
            3..=5 => S::line(vec![t("s += "), P::X(self.float(sc, d)), t(";")]),
            6 => S::line(vec![t(self.pick(&["c += ", "c ^= ", "c -= "])), P::X(self.int(sc, d)), t(";")]),
            7 if nested => {
                let c = self.cond(sc, 2);
                let body = self.block(&mut inner.clone(), 2);
                let els = self.rng.gen_bool(0.5).then(|| self.block(&mut inner.clone(), 1));
                S { head: vec![t("if "), P::X(c)], body: Some(body), els }
            }
            8 | 9 if nested => {
                let var = self.name("j");
                let stop = self.pick(&["n", "(a.len() as i64)", "(v.len() as i64)", "3"]);
                let par = self.parallel && !sc.in_prange && self.rng.gen_bool(0.5);
                let mut body_sc = inner.clone();
                body_sc.ints.push(var.clone());
                body_sc.in_prange |= par;
                let body = if par { self.prange_body(&mut body_sc, 2) } else { self.block(&mut body_sc, 2) };
                let kw = if par { "prange" } else { "range" };
                S { head: vec![t(format!("for {var} in {kw}({stop})"))], body: Some(body), els: None }
            }
            10 if nested => {
                // Every element of `b`, by row and column: in parallel, rows split across chunks.
                let (r, c) = (self.name("r"), self.name("q"));
                let par = self.parallel && !sc.in_prange && self.rng.gen_bool(0.6);
                let mut body_sc = inner.clone();
                body_sc.in_prange |= par;
                body_sc.row = Some(r.clone());
                body_sc.col = Some(c.clone());
                let e = self.float(&body_sc, 2);
                let kw = if par { "prange" } else { "range" };
                let assign =
                    S::line(vec![t(format!("b[[{r}, {c}]] {}", self.pick(&["=", "+=", "*="]))), P::X(e), t(";")]);
                let mut row_body = vec![assign];
                if !par {
                    row_body.extend(self.block(&mut body_sc.clone(), 1));
                }
                let cols =
                    S { head: vec![t(format!("for {c} in range(b.shape().1)"))], body: Some(row_body), els: None };
                S { head: vec![t(format!("for {r} in {kw}(b.shape().0)"))], body: Some(vec![cols]), els: None }
            }
            11 if !sc.in_prange => {
                let e = self.float(sc, 2);
                S::line(vec![t(self.pick(&["b += ", "b *= ", "b -= ", "b /= "])), P::X(e), t(";")])
            }
            12 if !sc.in_prange => {
                let name = self.name("m");
                let e = self.float(sc, 1);
                let expr =
                    self.pick(&["np.sqrt(np.abs(b)) * ", "b * b - ", "np.minimum(b, ", "np.r#where(b > 0.0, b, "]);
                let close = if expr.ends_with(", ") { ")" } else { "" };
                let red = self.pick(&["sum()", "mean()", "max()", "min()", "prod()"]);
                S {
                    head: vec![t(format!("if b.size() > 0 || {}", self.rng.gen_bool(0.2)))],
                    body: Some(vec![
                        S::line(vec![t(format!("let {name} = {expr}")), P::X(e), t(format!("{close};"))]),
                        S::line(vec![t(format!("s += {name}.{red};"))]),
                    ]),
                    els: None,
                }
            }
            13 if !sc.in_prange => {
                S::line(vec![t(self.pick(&["v += ", "v *= ", "v ^= ", "v >>= "])), P::X(self.int(sc, 2)), t(";")])
            }
            14 if !sc.in_prange => S::line(vec![t(self.pick(&[
                "s += b.sum();",
                "s += np.max(np.abs(b - a[..1].sum()));",
                "if b.size() > 0 { c += b.argmax() as i64; }",
                "for row in b { s += row.sum() * 0.5; }",
                "s += (b.t() * 2.0).sum();",
                "c += np.cumsum(v).sum();",
                "if b.shape().0 > 1 { let top = b[0].copy(); b[1] += top; }",
                "if v.len() > 1 { v[1..] = v[..v.len() - 1]; }",
                "s += b[(.., 1..)].sum();",
                "c += v.sum() + (v.min() & 7);",
            ]))]),
            15 if sc.in_prange => S::line(vec![t("c += "), P::X(self.int(sc, 2)), t(";")]),
            16 if !sc.in_prange && !sc.floats.is_empty() => {
                let v = sc.floats[self.rng.gen_range(0..sc.floats.len())].clone();
                S::line(vec![t(format!("{v} = ")), P::X(self.float(sc, d)), t(";")])
            }
            17 => {
                // Mostly holding, so that most runs go on past it.
                let tail = if self.rng.gen_bool(0.75) { " || n < 100" } else { "" };
                S::line(vec![t("assert!("), P::X(self.cond(sc, 1)), t(format!("{tail}, \"checked\");"))])
            }
            18 if nested => {
                // A stepped range, either direction, with bounds kept small.
                let var = self.name("j");
                let (lo, hi) = (self.int(sc, 1), self.int(sc, 1));
                let step = self.pick(&["1", "2", "3", "-1", "-2", "-3"]);
                let par = self.parallel && !sc.in_prange && self.rng.gen_bool(0.4);
                let mut body_sc = inner.clone();
                body_sc.ints.push(var.clone());
                body_sc.in_prange |= par;
                let body = if par { self.prange_body(&mut body_sc, 2) } else { self.block(&mut body_sc, 1) };
                let kw = if par { "prange" } else { "range" };
                S {
                    head: vec![
                        t(format!("for {var} in {kw}(")),
                        P::X(lo),
                        t(" % 5, "),
                        P::X(hi),
                        t(format!(" % 9, {step})")),
                    ],
                    body: Some(body),
                    els: None,
                }
            }
            19 if nested && !sc.in_prange => {
                // An innermost loop whose indices move with it (checked once before it, when they can be).
                let var = self.name("j");
                let (lo, hi, k) = (
                    self.pick(&["0", "1", "-1"]),
                    self.pick(&["0", "1", "-1", "-2"]),
                    self.pick(&["0", "1", "-1", "2"]),
                );
                let body = match self.rng.gen_range(0..3) {
                    0 => format!("s += a[{var} + {k}] * 0.5;"),
                    1 => format!("s += a[{var}] - a[{var} - 1];"),
                    _ => format!("v[{var}] = v[{var} + {k}] ^ c;"),
                };
                let arr = if body.starts_with("v[") { "v" } else { "a" };
                S {
                    head: vec![t(format!("for {var} in range({lo}, ({arr}.len() as i64) + {hi})"))],
                    body: Some(vec![S::line(vec![t(body)])]),
                    els: None,
                }
            }
            20 if nested && !sc.in_prange => {
                // Rows of `b`, each updated from its left neighbour (usize indices: `q - 1` wraps at 0).
                let (r, q) = (self.name("r"), self.name("q"));
                let start = self.pick(&["1", "1", "0"]);
                let e = self.float(sc, 1);
                let line = S::line(vec![t(format!("b[[{r}, {q}]] = b[[{r}, {q} - 1]] * 0.5 + ")), P::X(e), t(";")]);
                let cols = S {
                    head: vec![t(format!("for {q} in range({start}, b.shape().1)"))],
                    body: Some(vec![line]),
                    els: None,
                };
                S { head: vec![t(format!("for {r} in range(b.shape().0)"))], body: Some(vec![cols]), els: None }
            }
            21 if !sc.in_prange => {
                // A running maximum or minimum (Rust's: NaN loses) from a literal start.
                let (m, j) = (self.name("m"), self.name("j"));
                let e = self.float(sc, 2);
                let (f, start) = if self.rng.gen_bool(0.5) { ("max", "0.0") } else { ("min", "1.0") };
                let update = if self.rng.gen_bool(0.5) { format!("{m} = {m}.{f}(") } else { format!("{m} = (") };
                let close = if update.ends_with('(') && update.contains('.') {
                    ");".to_string()
                } else {
                    format!(").{f}({m});")
                };
                let update = S::line(vec![t(format!("{update}a[{j}] * ")), P::X(e), t(close)]);
                let scan =
                    S { head: vec![t(format!("for {j} in range(a.len())"))], body: Some(vec![update]), els: None };
                let block = vec![
                    S::line(vec![t(format!("let mut {m} = {start};"))]),
                    scan,
                    S::line(vec![t(format!("s += {m};"))]),
                ];
                S { head: vec![t("if a.len() < 1000")], body: Some(block), els: None }
            }
            22 if !sc.in_prange => {
                let step = self.pick(&["1", "2", "-1", "3"]);
                S::line(vec![
                    t("c += np.arange("),
                    P::X(self.int(sc, 1)),
                    t(" % 7, "),
                    P::X(self.int(sc, 1)),
                    t(format!(" % 11, {step}).sum();")),
                ])
            }
            _ => S::line(vec![t("s += "), P::X(self.float(sc, 2)), t(";")]),
        }
    }

    /// A `prange` body: private lets and the reductions `s += …`, `c += …`.
    fn prange_body(&mut self, sc: &mut Scope, n: usize) -> Vec<S> {
        (0..n)
            .map(|_| match self.rng.gen_range(0..4) {
                0 => {
                    let name = self.name("t");
                    let e = self.float(sc, 2);
                    sc.floats.push(name.clone());
                    S::line(vec![t(format!("let {name} = ")), P::X(e), t(";")])
                }
                1 => S::line(vec![t("c += "), P::X(self.int(sc, 2)), t(";")]),
                _ => S::line(vec![t("s += "), P::X(self.float(sc, 3)), t(";")]),
            })
            .collect()
    }

    fn program(&mut self) -> Program {
        self.parallel = self.rng.gen_bool(0.4);
        let helper_sc = Scope {
            floats: vec!["p".into()],
            ints: vec!["q".into()],
            in_prange: false,
            row: None,
            col: None,
            depth: 0,
        };
        // The helper reads only its parameters and literals (it has no `a`, `b`, `v`, `n`, `x`).
        let helper = self.helper_expr(&helper_sc, 3);
        let mut sc = Scope { floats: vec![], ints: vec![], in_prange: false, row: None, col: None, depth: 0 };
        let n = self.rng.gen_range(2..8);
        Program { parallel: self.parallel, helper, body: self.block(&mut sc, n) }
    }

    fn helper_expr(&mut self, sc: &Scope, depth: usize) -> E {
        if depth == 0 || self.rng.gen_bool(0.3) {
            return match self.rng.gen_range(0..3) {
                0 => E::leaf(T::F, self.pick(&FLOATS)),
                1 => E::leaf(T::F, "(q as f64)"),
                _ => E::leaf(T::F, sc.floats[0].clone()),
            };
        }
        let op = self.pick(&[" + ", " - ", " * ", " / "]);
        match self.rng.gen_range(0..3) {
            0 => E::op(T::F, vec!["np.sqrt(np.abs(", "))"], vec![self.helper_expr(sc, depth - 1)]),
            1 => E::op(
                T::F,
                vec!["(if q > 2 { ", " } else { ", " })"],
                vec![self.helper_expr(sc, depth - 1), self.helper_expr(sc, depth - 1)],
            ),
            _ => {
                E::op(T::F, vec!["(", op, ")"], vec![self.helper_expr(sc, depth - 1), self.helper_expr(sc, depth - 1)])
            }
        }
    }
}

#[test]
fn random_programs_agree_compiled_and_interpreted() {
    let programs = env_num("RJIT_FUZZ_PROGRAMS", 150);
    let seed = env_num("RJIT_FUZZ_SEED", 1);
    let mut g = Gen { rng: StdRng::seed_from_u64(seed), next: 0, parallel: false };
    let (mut rejected, mut errors, mut ran) = (0, 0, 0);
    for round in 0..programs {
        let p = g.program();
        let inputs: Vec<Inputs> = (0..4).map(|_| inputs(&mut g.rng)).collect();
        match run(&p, &inputs) {
            Err(why) => {
                rejected += 1;
                if std::env::var_os("RJIT_FUZZ_VERBOSE").is_some() {
                    eprintln!("rejected: {why}\n{}", p.text());
                }
                assert!(
                    rejected <= programs / 4 + 5,
                    "too many generated programs are rejected; the last: {why}\n{}",
                    p.text()
                );
            }
            Ok(None) => {
                ran += 1;
                let k = kernels(&p);
                let mut inp = inputs[0].clone();
                errors += usize::from(call(k, &mut inp, true).is_err());
            }
            Ok(Some(_)) => {
                let (small, why) = shrink(p, &inputs);
                panic!("program {round} (seed {seed}) runs differently compiled and interpreted:\n{why}\n\nshrunk program:\n{}", small.text());
            }
        }
    }
    println!("{ran} programs agreed ({errors} of them failing on their first input, with the same error), {rejected} rejected by the checker");
    assert!(ran >= programs * 3 / 4, "only {ran} of {programs} programs ran");
}
