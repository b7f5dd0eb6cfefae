//! rjit-front: the DSL's frontend, shared by the `#[njit]` macro (at compile time) and the runtime
//! (at first call), so that both parse and check a body the same way.
//!
//! Stages: `source` (tokens ↔ position-preserving text) → `lower` (syn → `hir`) → `infer` (types in a
//! side table). This crate knows nothing of LLVM, threads or the filesystem.

// In pipeline order: each module imports only from those above it (checked by `front/tests/tidy.rs`).
pub mod diag;
pub mod ty;
pub mod builtins;
pub mod source;
pub mod hir;
pub mod boundary;
pub mod signature;
pub mod lower;
pub mod infer;
pub mod alias;
pub mod race;
pub mod effects;
pub mod nan;
pub mod loop_facts;
pub mod prange;
pub mod fusion;
pub mod report;

pub use diag::Diag;
pub use hir::Function;
pub use infer::{check, CalleeSig, Callees, NoCallees, Typed};
pub use lower::lower_fn;
pub use ty::{ArrayTy, Constant, Globals, Layout, Scalar, Ty};

/// Parses the text the macro embedded (see `source::print`).
pub fn parse_item(text: &str) -> Result<syn::ItemFn, Vec<Diag>> {
    syn::parse_str(text).map_err(|e| vec![Diag::new(e.span(), e.to_string())])
}

/// Parses and lowers a non-generic function (or a generic one with its parameters unbound).
pub fn parse(text: &str, base_line: u32) -> Result<Function, Vec<Diag>> {
    lower_fn(&parse_item(text)?, base_line, &boundary::Subst::new(), Globals::None)
}

/// Every frontend stage on the text of an njit function, as the macro runs them (parse, lower,
/// check with the declared types, the `prange` race check, the parallel plan and the typed
/// listing): the diagnostics, or none. What `fuzz/` drives with arbitrary input; it never panics.
pub fn check_text(text: &str) -> Vec<Diag> {
    // As the macro does, a name that is no local is a module-level constant rustc will check.
    let f = match parse_item(text).and_then(|item| lower_fn(&item, 1, &boundary::Subst::new(), Globals::Open)) {
        Ok(f) => f,
        Err(d) => return d,
    };
    match check(&f, None, &NoCallees) {
        Ok(typed) => {
            let diags = prange::check(&f, &typed);
            let src = report::Source::new(text, 1);
            let _ = report::typed_listing("fuzz", "fuzz.rs", &f, &typed, &src);
            let _ = report::parallel_report("fuzz", "fuzz.rs", &f, &typed, &src, true, 4);
            diags
        }
        Err(d) => d,
    }
}
