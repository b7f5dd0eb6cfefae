//! Hostile input for the frontend: random token sequences, and valid kernels with tokens deleted,
//! duplicated and swapped, go through every stage (`rjit_front::check_text`). Nothing may panic;
//! a panic prints the input that caused it. The unbounded version is the `cargo fuzz` target in
//! `fuzz/`.

const VALID: &[&str] = &[
    "fn f(a: &[f64], n: usize) -> f64 { let mut s = 0.0; for i in range(n) { s += a[i] * 2.0; } s }",
    "fn g(h: ArrayViewMut2<f32>, r: &[f32]) -> Array1<u64> { let (m, n) = h.shape(); let out = np.zeros(m, dtype = np.uint64); for i in prange(m) { let row = h[i]; row /= row.sum(); out[i] = (n - 1) as u64; } out }",
    "fn k(x: ArrayView1<f64>, y: ArrayView1<f64>) -> Array1<f64> { let z = np.sqrt(np.abs(x)) * 3.0 + y; if z.len() > 2 { z[1..] } else { z } }",
    "fn w(a: &mut [i64], t: i64) -> i64 { let mut c = 0; while c < a.len() as i64 { if a[c] > t { break; } a[c] = -a[c] << 2; c += 1; } assert!(c >= 0, \"neg\"); c }",
    "fn m(a: ArrayView2<f64>) -> (f64, usize) { let mut best = -np.inf; let mut at = 0; for (i, r) in range(a.len()) { } (best, at) }",
    "fn p(a: &[f64]) -> f64 { let mut s = 0.0; let mut h = np.zeros(4); for i in prange(a.len()) { s = s.max(a[i]); let l = np.zeros(4); l[i % 4] = 1.0; h += l; } s + h.sum() }",
];

const VOCAB: &[&str] = &[
    "let",
    "mut",
    "for",
    "in",
    "range",
    "prange",
    "if",
    "else",
    "while",
    "loop",
    "return",
    "break",
    "continue",
    "unsafe",
    "as",
    "a",
    "b",
    "s",
    "i",
    "x",
    "h",
    "np",
    "sum",
    "sqrt",
    "zeros",
    "where_",
    "len",
    "shape",
    "min",
    "max",
    "dtype",
    "float32",
    "uint8",
    "0",
    "1",
    "2.5",
    "1e300",
    "255u8",
    "-1",
    "0.0",
    "usize::MAX",
    "true",
    "f32",
    "u64",
    "i8",
    "f64",
    "+",
    "-",
    "*",
    "/",
    "%",
    "=",
    "+=",
    "-=",
    "*=",
    "/=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "!",
    "&",
    "|",
    "^",
    "<<",
    ">>",
    "..",
    ",",
    ";",
    ":",
    ".",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "[[",
    "]]",
    "((",
    "))",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn run(text: &str) {
    let r = std::panic::catch_unwind(|| rjit_front::check_text(text));
    assert!(r.is_ok(), "the frontend panicked on:\n{text}");
}

#[test]
fn random_token_sequences_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..rounds(3000) {
        let n = 1 + rng.below(40);
        let body: Vec<&str> = (0..n).map(|_| VOCAB[rng.below(VOCAB.len())]).collect();
        run(&format!("fn f(a: &[f64], b: ArrayViewMut2<f32>, i: usize) -> f64 {{ {} }}", body.join(" ")));
    }
}

#[test]
fn mutated_kernels_never_panic() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for v in VALID {
        run(v);
    }
    for _ in 0..rounds(6000) {
        let base = VALID[rng.below(VALID.len())];
        let mut toks: Vec<String> = base.split(' ').map(str::to_string).collect();
        for _ in 0..1 + rng.below(3) {
            let k = rng.below(toks.len());
            match rng.below(4) {
                0 => {
                    toks.remove(k);
                }
                1 => {
                    let t = toks[k].clone();
                    toks.insert(k, t);
                }
                2 => {
                    let j = rng.below(toks.len());
                    toks.swap(k, j);
                }
                _ => toks[k] = VOCAB[rng.below(VOCAB.len())].to_string(),
            }
            if toks.is_empty() {
                break;
            }
        }
        run(&toks.join(" "));
    }
}

/// `n`, or `RJIT_FUZZ_ROUNDS` for a longer run.
fn rounds(n: usize) -> usize {
    std::env::var("RJIT_FUZZ_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(n)
}
