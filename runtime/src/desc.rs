//! What the macro embeds for one njit function: its source text, options and callees. A function's
//! identity in every stage after this one (the frontend's parse cache, codegen's worklist, the
//! cache key, the interpreter) is the address of its `FnDesc`; the dispatcher that holds it comes
//! last.

/// The options of `#[njit(...)]` as the runtime needs them.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub parallel: bool,
    /// Fast-math flags, comma-separated; empty when off.
    pub fastmath: &'static str,
    pub cache: bool,
    pub boundscheck: bool,
    pub inline: bool,
}

/// What the macro embeds for one njit function.
pub struct FnDesc {
    pub name: &'static str,
    /// The function's tokens, printed keeping lines and columns (see `rjit_front::source`).
    pub source: &'static str,
    /// The user-file line of `source`'s first line.
    pub base_line: u32,
    pub file: &'static str,
    pub options: Options,
    /// The njit functions the body calls, by the path written in the body.
    pub callees: &'static [(&'static str, &'static &'static FnDesc)],
    /// `sig = …`: when present, the only signatures accepted, compiled together at first use.
    pub sigs: &'static [&'static str],
    /// `-> _`: the caller chooses the return type; the argument codes and types end with it, and
    /// it is checked against the type the body returns.
    pub ret_inferred: bool,
}

impl std::fmt::Debug for FnDesc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FnDesc").field("name", &self.name).finish_non_exhaustive()
    }
}
