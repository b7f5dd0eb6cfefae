//! Every environment variable rjit reads, read once, in one place (the README's table lists them).

use std::path::PathBuf;
use std::sync::OnceLock;

/// The process's rjit settings.
#[derive(Debug)]
pub struct Config {
    /// `RJIT_OPT`: LLVM's optimization level, 0–3 (default 3).
    pub opt: u8,
    /// `RJIT_CPU`: compile for this CPU (`x86-64-v2`, `generic`, …) instead of the host's.
    pub cpu: Option<String>,
    /// `RJIT_NUM_THREADS`: the size of the thread pool `prange` runs on (default: one per core);
    /// the text as given, checked when the pool starts.
    pub num_threads: Option<String>,
    /// `RJIT_CACHE_DIR`: where `cache` stores machine code (default: the user's cache directory).
    pub cache_dir: Option<PathBuf>,
    /// `RJIT_DEBUG_CACHE=1`: report each cache lookup on stderr.
    pub debug_cache: bool,
    /// `RJIT_DUMP_IR=1`: print each specialization's typed IR (as `inspect_types`) on stderr.
    pub dump_ir: bool,
    /// `RJIT_DUMP_LLVM=1`: print each specialization's optimized LLVM IR on stderr.
    pub dump_llvm: bool,
    /// `RJIT_DUMP_ASM=1`: print each specialization's assembly on stderr.
    pub dump_asm: bool,
    /// `RJIT_DISABLE_JIT=1` and `RJIT_DIFFERENTIAL=1`: who runs calls (see `interp`).
    pub interpreter: Interpreter,
}

/// Who runs calls of njit functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interpreter {
    /// Compiled code only (the default).
    Off,
    /// `RJIT_DISABLE_JIT=1`: the reference interpreter only; nothing is compiled.
    Only,
    /// `RJIT_DIFFERENTIAL=1`: both, on the same inputs, and a panic when they disagree.
    Differential,
}

fn flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.trim().is_empty() && v.trim() != "0")
}

fn text(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Config {
    fn from_env() -> Config {
        Config {
            opt: text("RJIT_OPT").and_then(|v| v.parse().ok()).map_or(3, |l: u8| l.min(3)),
            cpu: text("RJIT_CPU"),
            num_threads: text("RJIT_NUM_THREADS").map(|v| v.trim().to_string()),
            cache_dir: std::env::var_os("RJIT_CACHE_DIR").filter(|d| !d.is_empty()).map(PathBuf::from),
            debug_cache: flag("RJIT_DEBUG_CACHE"),
            dump_ir: flag("RJIT_DUMP_IR"),
            dump_llvm: flag("RJIT_DUMP_LLVM"),
            dump_asm: flag("RJIT_DUMP_ASM"),
            interpreter: if flag("RJIT_DISABLE_JIT") {
                Interpreter::Only
            } else if flag("RJIT_DIFFERENTIAL") {
                Interpreter::Differential
            } else {
                Interpreter::Off
            },
        }
    }
}

/// The settings, read from the environment at first use.
pub fn config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(Config::from_env)
}
