//! The compile-time contract: each file in `ui/fail` is a mistake a user plausibly makes, and its
//! `.stderr` is the error rjit gives, pointing at the offending tokens. `ui/pass` holds forms that
//! must keep compiling.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
