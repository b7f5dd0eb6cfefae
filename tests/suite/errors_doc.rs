//! `docs/ERRORS.md`, the page of errors a user may see, is generated from the compile-fail suite
//! (`tests/ui/fail/*.rs`, whose first lines give the cause and the fix, and their `.stderr`), so it
//! cannot drift from what rjit prints. Regenerate it with `RJIT_BLESS=1 cargo test --test suite errors_doc`.

use std::fmt::Write;
use std::path::Path;

const RUNTIME: &str = "\
## Errors at run time

These panic with the message shown (naming the function, the file, line and column), or come back
from `name::try_call(…)` as the `rjit::Error` variant named.

| variant | message | cause | fix |
|---|---|---|---|
| `IndexOutOfBounds` | `` rjit: index 3 is out of bounds for axis 0 with size 3 in `at` at src/lib.rs:9:5 `` | an index outside `-size..size` (signed) or `0..size` (unsigned); `usize` arithmetic that wrapped below zero lands here too | check the bounds; loop over `range(a.len())` |
| `DivisionByZero` | `rjit: attempt to divide by zero in …` | integer `/` or `%` by zero | test the divisor first |
| `Overflow` | `rjit: attempt to divide with overflow in …` | `MIN / -1` or `MIN % -1` on a signed integer | use a wider type |
| `AssertionFailed` | `rjit: assertion failed: <message> in …` | an `assert!` condition was false | — |
| `AllocationFailed` | `rjit: cannot allocate an array of N bytes in …` | an array too large for memory (or whose size overflows) | allocate less |
| `ZeroStep` | `rjit: range step must not be zero in …` | `range(a, b, 0)` | use a non-zero step |
| `ShapeMismatch` | `rjit: shapes differ on axis 0: 2 and 1 in …` | arrays of different shapes combined in place (`a += b`) | combine equally shaped arrays |
| `EmptyReduction` | `rjit: zero-size array has no minimum or maximum in …` | `min`/`max` of an empty array | check `a.len() > 0` first |
| `NegativePower` | `rjit: integers cannot be raised to negative integer powers in …` | `np.power(i, -1)` on integers | use floats |
| `EmptyRange` | `rjit: randint needs low < high, found 5 and 5 in …` | `np.random.randint(low, high)` with `low >= high` | give a non-empty range |
| `NanLength` | `rjit: arange cannot compute its length: a bound or the step is NaN in …` | `np.arange(a, b, step)` with a NaN among its arguments | check the bounds with `np.isnan` first |
| `OverlappingArguments` | `` rjit: the arguments `out` and `a` overlap in memory, and the `prange` loops of a `parallel` function need a writable array apart from the others (pass a copy) in `f` at … `` | another njit function passed one array (or overlapping views) as a writable argument and another argument of a `parallel` function, whose `prange` loops were proved race-free on their being apart | pass a copy (`a.copy()`) |
| `NoMatchingSignature` | `` rjit: no signature of `f` accepts (f64[:]); its signatures are f64(f64[::1]) `` | `sig = …` lists no signature these arguments fit | add a signature (`[:]` takes any layout) or pass a fitting array |
| `ReturnTypeMismatch` | `` rjit: `f` returns `f32`, but the caller expects `f64` (nothing is converted) `` | under `-> _`, the caller asked for another type than the body returns | ask for the type the body returns, or declare it |
| `InvalidSignature` | `` rjit: invalid signature for `f`: … `` | `name::compile(\"…\")` got a signature that does not parse or fit | see the signature grammar in README.md |
| `Compile` | `` rjit: cannot compile `f`: … `` | a mistake only the argument types reveal (e.g. a `_` parameter used as an array but given a number) | see the message |
| `ThreadPool` | `` rjit: cannot start the threads `prange` loops run on: RJIT_NUM_THREADS=5000 asks for more than 1024 threads `` | the pool of a `parallel` function could not start: a thread limit (`ulimit -u`), or a thread count rjit refuses | ask for fewer threads (`RJIT_NUM_THREADS`, `rjit::set_num_threads`) |
";

fn title(name: &str) -> String {
    let mut t = name.replace('_', " ");
    t[..1].make_ascii_uppercase();
    t
}

fn render(root: &Path) -> String {
    let dir = root.join("tests/ui/fail");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/ui/fail")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".rs").map(String::from))
        .collect();
    names.sort();
    let mut out = String::from(
        "# Errors you may see\n\n\
         Generated from the compile-fail suite (`tests/ui/fail`) by `tests/suite/errors_doc.rs`: each entry is a test,\n\
         and its message is what rustc prints for it. Regenerate with `RJIT_BLESS=1 cargo test --test suite errors_doc`.\n\n\
         ## Errors at compile time\n\n",
    );
    for name in &names {
        let src = std::fs::read_to_string(dir.join(format!("{name}.rs"))).expect("case");
        let stderr = std::fs::read_to_string(dir.join(format!("{name}.stderr"))).expect("its .stderr");
        let mut lines = src.lines();
        let cause = lines
            .next()
            .and_then(|l| l.strip_prefix("// Cause: "))
            .unwrap_or_else(|| panic!("{name}.rs: first line must be `// Cause: …`"));
        let fix = lines
            .next()
            .and_then(|l| l.strip_prefix("// Fix: "))
            .unwrap_or_else(|| panic!("{name}.rs: second line must be `// Fix: …`"));
        let code: Vec<&str> = lines.filter(|l| !l.starts_with("use rjit::prelude") && *l != "fn main() {}").collect();
        let code = code.join("\n");
        writeln!(
            out,
            "### {}\n\n**Cause.** {cause}\n\n**Fix.** {fix}\n\n```rust\n{}\n```\n\n```text\n{}\n```\n",
            title(name),
            code.trim(),
            stderr.trim_end()
        )
        .expect("write");
    }
    out.push_str(RUNTIME);
    out
}

#[test]
fn errors_page_is_generated_from_the_compile_fail_suite() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = root.join("docs/ERRORS.md");
    let want = render(root);
    if std::env::var_os("RJIT_BLESS").is_some() {
        std::fs::write(&page, &want).expect("write docs/ERRORS.md");
        return;
    }
    let have = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(have == want, "docs/ERRORS.md is out of date with tests/ui/fail: run `RJIT_BLESS=1 cargo test --test suite errors_doc` and commit it");
}
