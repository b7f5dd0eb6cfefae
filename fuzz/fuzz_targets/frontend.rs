//! Arbitrary text through every stage of rjit's frontend (parse, lower, check, race check,
//! reports): none may panic. `cargo +nightly fuzz run frontend` (from the repository root).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = rjit_front::check_text(text);
        // The same text as a function body, so the fuzzer reaches past the signature.
        let _ = rjit_front::check_text(&format!("fn f(a: &[f64], b: ArrayViewMut2<f32>, i: usize) -> f64 {{ {text} }}"));
    }
});
