//! The race proof against its oracle: random `prange` loops (views, rebinding, callees that read,
//! write or take `_`, casts, offsets, negative and stepped ranges, nested loops, branches) are
//! checked as the macro and the first call check them; each accepted one runs in the reference
//! interpreter with its race detector on (`rjit::__private::race_detector`), which records which
//! iteration read and wrote each element of outer memory. An accepted loop whose iterations meet is
//! a hole in the proof and fails the test with the program.
//!
//! CI runs `RJIT_RACE_PROGRAMS` programs (default 3000) from `RJIT_RACE_SEED` (default 1); a long
//! run: `RJIT_RACE_PROGRAMS=100000 cargo test --release --test suite race_oracle -- --nocapture`.

use crate::common::{call5, dispatcher};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rjit::__private::{race_detector, Dispatcher};
use rjit::ndarray::{Array1, Array2};
use rjit::Error;

const CALLEES: &[(&str, &str)] = &[
    ("g", "fn g(p: ArrayViewMut1<f64>, j: usize) {\n    p[j] += 1.0;\n}\n"),
    ("r", "fn r(p: ArrayView1<f64>, j: usize) -> f64 {\n    p[j]\n}\n"),
    ("w", "fn w(p: _, j: usize) {\n    p[j] = 2.0;\n}\n"),
    ("rows", "fn rows(p: ArrayViewMut2<f64>, j: usize) {\n    let q = p[j];\n    q += 1.0;\n}\n"),
];

struct Gen {
    rng: StdRng,
    /// Locals declared so far in the loop body: arrays (1-D) and scalars.
    views: Vec<String>,
    next: usize,
}

impl Gen {
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.rng.gen_range(0..xs.len())]
    }

    /// An integer index built from the loop variable `i`, an inner `j` when there is one, and
    /// the parameters.
    fn index(&mut self, inner: bool) -> String {
        let mut forms = vec![
            "i",
            "i",
            "i",
            "i + 1",
            "i - 1",
            "i + 2",
            "(i + 1)",
            "i as usize",
            "i as u8",
            "i as i64",
            "i as u64",
            "i * 2",
            "0",
            "1",
            "n - 1 - i",
            "i % 3",
            "(i + c as i64)",
            "(i - 1) as u64",
            "c",
        ];
        if inner {
            forms.extend(["j", "i + j", "j * 2"]);
        }
        self.pick(&forms).to_string()
    }

    fn value(&mut self, inner: bool) -> String {
        match self.rng.gen_range(0..6) {
            0 => format!("out[{}]", self.index(inner)),
            1 => format!("a[{}]", self.index(inner)),
            2 => format!("m[[{}, 1]]", self.index(inner)),
            3 if !self.views.is_empty() => {
                let v = self.views[self.rng.gen_range(0..self.views.len())].clone();
                format!("{v}[0]")
            }
            4 => "(i as f64)".to_string(),
            _ => "1.5".to_string(),
        }
    }

    fn view(&mut self, inner: bool) -> String {
        let ix = self.index(inner);
        match self.rng.gen_range(0..10) {
            0 => "out".into(),
            1 => "out[1..]".into(),
            2 => format!("m[{ix}]"),
            3 => format!("m[(.., {})]", self.pick(&["0", "1", "3"])),
            4 => "np.zeros(6)".into(),
            5 => "out.copy()".into(),
            6 => format!("if i % 2 == 0 {{ out }} else {{ m[{ix}] }}"),
            7 => "m.t()[1]".into(),
            8 if !self.views.is_empty() => self.views[self.rng.gen_range(0..self.views.len())].clone(),
            _ => format!("m[{ix}]"),
        }
    }

    fn stmt(&mut self, depth: usize, inner: bool, out: &mut String, indent: &str) {
        let ix = self.index(inner);
        let val = self.value(inner);
        let line = match self.rng.gen_range(0..17) {
            0 | 1 => format!("out[{ix}] = {val};"),
            2 => format!("out[{ix}] += {val};"),
            3 => format!(
                "m[[{ix}, {}]] = {val};",
                self.pick(&["0", "1", "j % 4"]).replace("j % 4", if inner { "j % 4" } else { "2" })
            ),
            4 | 5 => {
                let v = format!("v{}", self.next);
                self.next += 1;
                let init = self.view(inner);
                self.views.push(v.clone());
                format!("let {v} = {init};")
            }
            6 if !self.views.is_empty() => {
                let v = self.views[self.rng.gen_range(0..self.views.len())].clone();
                match self.rng.gen_range(0..4) {
                    0 => format!("{v}[{}] = {val};", self.pick(&["0", "1"])),
                    1 => format!("{v} *= 2.0;"),
                    2 => format!("{v} = {};", self.view(inner)),
                    _ => format!("{v}.fill({val});"),
                }
            }
            7 => format!("out.fill({val});"),
            8 => format!("g(out, {ix} as usize);"),
            9 => format!("g(m[{ix}], 0);"),
            10 => format!("s += r(out, {ix} as usize);"),
            11 => format!("w(out, {ix} as usize);"),
            12 => format!("rows(m, {ix} as usize);"),
            13 => format!("i = {};", self.pick(&["0", "i", "i + 1"])),
            14 if depth > 0 && !inner => {
                out.push_str(&format!("{indent}for j in range(3) {{\n"));
                let saved = self.views.len();
                for _ in 0..self.rng.gen_range(1..3) {
                    self.stmt(depth - 1, true, out, &format!("{indent}    "));
                }
                self.views.truncate(saved);
                out.push_str(&format!("{indent}}}\n"));
                return;
            }
            15 if depth > 0 => {
                out.push_str(&format!("{indent}if {} > 1.0 {{\n", self.value(inner)));
                let saved = self.views.len();
                self.stmt(depth - 1, inner, out, &format!("{indent}    "));
                self.views.truncate(saved);
                out.push_str(&format!("{indent}}}\n"));
                return;
            }
            _ => format!("s += {val};"),
        };
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }

    fn program(&mut self) -> String {
        self.views.clear();
        self.next = 0;
        let range =
            self.pick(&["n", "n", "0, n", "2, n", "-n, n", "0, n, 2", "n - 1, -1, -1", "c", "c, 0, -1", "1, c + 1"]);
        let mut body = String::new();
        for _ in 0..self.rng.gen_range(1..4) {
            self.stmt(2, false, &mut body, "        ");
        }
        let before = if self.rng.gen_bool(0.2) { "    let out = out[1..];\n" } else { "" };
        format!(
            "fn k(out: ArrayViewMut1<f64>, m: ArrayViewMut2<f64>, a: ArrayView1<f64>, n: i64, c: usize) -> f64 {{\n    let s = 0.0;\n{before}    for i in prange({range}) {{\n{body}    }}\n    s\n}}\n"
        )
    }
}

fn kernel(text: &str) -> &'static Dispatcher {
    let callees: Vec<(&'static str, String)> = CALLEES.iter().map(|(n, src)| (*n, src.to_string())).collect();
    dispatcher("k", text.to_string(), "race_oracle.rs", true, &callees)
}

/// Interprets `k` on fresh inputs with the detector on: the call's result and the conflicts.
fn run(k: &'static Dispatcher, n: i64, c: usize) -> (Result<f64, Error>, Vec<String>) {
    let mut out_data = Array1::from_shape_fn(12, |i| i as f64 * 0.5);
    let mut m_data = Array2::from_shape_fn((10, 4), |(i, j)| (i * 4 + j) as f64);
    let a_data = Array1::from_shape_fn(12, |i| 1.0 + i as f64);
    let args = (out_data.view_mut(), m_data.view_mut(), a_data.view(), n, c);
    race_detector::detect(true);
    let r = call5(k, args, true);
    race_detector::detect(false);
    (r, race_detector::take())
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn accepted_prange_loops_never_race() {
    let programs = env_num("RJIT_RACE_PROGRAMS", 3000);
    let seed = env_num("RJIT_RACE_SEED", 1);
    let mut g = Gen { rng: StdRng::seed_from_u64(seed), views: Vec::new(), next: 0 };
    let (mut accepted, mut refused, mut refused_racy, mut other_errors, mut ran_clean) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for round in 0..programs {
        let text = g.program();
        let diags = rjit_front::check_text(&text);
        // Refused programs run too, with the check's verdict set aside, to count those that do race
        // (the detector then sees the loop as written; `unsafe { }` changes nothing here).
        let unchecked = text.replacen("for i in prange", "unsafe { for i in prange", 1).replacen(
            "\n    s\n}",
            "\n    }\n    s\n}",
            1,
        );
        let (n, c) = (g.rng.gen_range(0..9), g.rng.gen_range(0..5));
        if !diags.is_empty() {
            if diags.iter().all(|d| d.text().contains("race") || d.text().contains("prange")) {
                refused += 1;
                let (_, conflicts) = run(kernel(&unchecked), n, c);
                refused_racy += u64::from(!conflicts.is_empty());
            } else {
                other_errors += 1;
            }
            continue;
        }
        let (result, conflicts) = run(kernel(&text), n, c);
        match &result {
            Err(Error::Compile { message, .. }) if message.contains("race") => {
                refused += 1;
                continue;
            }
            Err(Error::Compile { message, .. }) => {
                other_errors += 1;
                if std::env::var_os("RJIT_RACE_VERBOSE").is_some() {
                    eprintln!("not compiled: {message}\n{text}");
                }
                continue;
            }
            _ => {}
        }
        accepted += 1;
        ran_clean += u64::from(result.is_ok());
        assert!(conflicts.is_empty(), "program {round} (seed {seed}, n = {n}, c = {c}) passed the race check but its iterations meet:\n{}\n\n{text}", conflicts.join("\n"));
    }
    println!(
        "{programs} programs: {accepted} accepted and race-free under the detector ({ran_clean} ran without a run-time error), {refused} refused ({refused_racy} of them seen racing when run anyway), {other_errors} not well-typed; racy but accepted: 0"
    );
    assert!(accepted >= programs / 10, "only {accepted} of {programs} generated loops were accepted");
    assert!(
        refused_racy >= refused / 10,
        "the detector saw only {refused_racy} of {refused} refused loops race: is it watching?"
    );
}
