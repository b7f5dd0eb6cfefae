//! The LLVM engine: one context, one target machine for the host CPU and its features, and one ORC
//! LLJIT, created once per process and reused by every compilation under one lock.
//!
//! A module is optimized (the new pass manager's `default<O3>`, or `RJIT_OPT`), emitted as an object
//! file by the target machine, and the object is added to the LLJIT, which links it against the
//! runtime's helpers (defined as absolute symbols) and the process's own symbols (libm). Going
//! through object code keeps the door open for an on-disk cache of objects.

use inkwell::context::Context;
use inkwell::module::Module;
use inkwell::passes::PassBuilderOptions;
use inkwell::targets::{CodeModel, FileType, InitializationConfig, RelocMode, Target, TargetMachine};
use inkwell::OptimizationLevel;
use llvm_sys::error::{LLVMDisposeErrorMessage, LLVMErrorRef, LLVMGetErrorMessage};
use llvm_sys::orc2::lljit::*;
use llvm_sys::orc2::*;
use std::ffi::{CStr, CString};
use std::sync::{Mutex, OnceLock};

pub struct Engine {
    pub ctx: &'static Context,
    pub tm: TargetMachine,
    /// Triple, CPU name and features: what the code is built for (part of every cache key).
    pub target: String,
    jit: LLVMOrcLLJITRef,
    /// Makes each module's entry symbol unique.
    counter: u64,
}

// SAFETY: the engine is only ever used under `ENGINE`'s mutex, by one thread at a time; LLVM's
// context and target machine have no thread affinity.
unsafe impl Send for Engine {}

static ENGINE: OnceLock<Result<Mutex<Engine>, String>> = OnceLock::new();

/// Runs `f` with the engine, creating it on first use.
pub fn with_engine<R>(f: impl FnOnce(&mut Engine) -> R) -> Result<R, String> {
    let engine = ENGINE.get_or_init(|| Engine::new().map(Mutex::new));
    match engine {
        Ok(m) => Ok(f(&mut m.lock().unwrap_or_else(|p| p.into_inner()))),
        Err(e) => Err(e.clone()),
    }
}

fn take_error(err: LLVMErrorRef) -> Result<(), String> {
    if err.is_null() {
        return Ok(());
    }
    // SAFETY: a non-null error from LLVM, consumed here.
    unsafe {
        let msg = LLVMGetErrorMessage(err);
        let s = CStr::from_ptr(msg).to_string_lossy().into_owned();
        LLVMDisposeErrorMessage(msg);
        Err(s)
    }
}

/// The loop vectorizer's remarks of the compilation under way ("file:line:col: message").
static REMARKS: Mutex<Vec<String>> = Mutex::new(Vec::new());

extern "C" fn on_diagnostic(info: llvm_sys::prelude::LLVMDiagnosticInfoRef, _: *mut std::ffi::c_void) {
    // SAFETY: LLVM passes a live diagnostic; the description is ours to free.
    unsafe {
        if llvm_sys::core::LLVMGetDiagInfoSeverity(info) != llvm_sys::LLVMDiagnosticSeverity::LLVMDSRemark {
            return;
        }
        let text = llvm_sys::core::LLVMGetDiagInfoDescription(info);
        let s = CStr::from_ptr(text).to_string_lossy().into_owned();
        llvm_sys::core::LLVMDisposeMessage(text);
        REMARKS.lock().unwrap_or_else(|p| p.into_inner()).push(s);
    }
}

/// Sets LLVM's options: the loop vectorizer's remarks (loops vectorized, and not), collected by a
/// diagnostic handler, and its epilogues.
fn configure_llvm(ctx: &'static Context) {
    // Selects stay selects: X86's cmov converter turns a select whose input is slow to compute
    // (a float-to-int conversion, a load) into a branch around it, which in a histogram's loop
    // puts two branches in every iteration (13% slower there; no kernel measured faster with it).
    // Loops vectorized with 8 lanes (f64 on AVX-512, f32 on AVX2) get a vector epilogue too, as
    // 16-lane ones do by default: a loop of 16 f64s (interleaved by 4, so 32 a vector iteration)
    // would otherwise run entirely in its scalar remainder.
    let args: Vec<CString> = [
        "rjit",
        "-pass-remarks=loop-vectorize",
        "-pass-remarks-missed=loop-vectorize",
        "-epilogue-vectorization-minimum-VF=8",
        "-x86-cmov-converter=false",
    ]
    .iter()
    .map(|a| CString::new(*a).expect("no NUL"))
    .collect();
    let argv: Vec<*const std::ffi::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: valid C strings for the call's duration; the handler lives for the process.
    unsafe {
        llvm_sys::support::LLVMParseCommandLineOptions(argv.len() as i32, argv.as_ptr(), std::ptr::null());
        llvm_sys::core::LLVMContextSetDiagnosticHandler(ctx.raw(), Some(on_diagnostic), std::ptr::null_mut());
    }
}

/// What LLVM's loop vectorizer said about a loop at a line of the user's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remark {
    pub line: u32,
    pub vectorized: bool,
    pub message: String,
}

/// The remarks LLVM made since the last call, by line: `vectorized loop (…)`, `loop not vectorized…`.
pub fn take_remarks() -> Vec<Remark> {
    let raw = std::mem::take(&mut *REMARKS.lock().unwrap_or_else(|p| p.into_inner()));
    raw.iter()
        .filter_map(|r| {
            // "file:line:col: message"
            let (loc, message) = r.split_once(": ")?;
            let mut parts = loc.rsplitn(3, ':');
            let _col = parts.next()?;
            let line: u32 = parts.next()?.parse().ok()?;
            let message = message.trim().to_string();
            Some(Remark { line, vectorized: message.starts_with("vectorized loop"), message })
        })
        .collect()
}

/// The optimization level, from `RJIT_OPT` (0–3, default 3).
pub fn opt_level() -> u8 {
    crate::config::config().opt
}

impl Engine {
    fn new() -> Result<Engine, String> {
        Target::initialize_native(&InitializationConfig::default())?;
        let triple = TargetMachine::get_default_triple();
        let target = Target::from_triple(&triple).map_err(|e| e.to_string())?;
        // `RJIT_CPU` compiles for another CPU than the host's (`x86-64-v2`, `generic`, …): for
        // tools that cannot run every instruction the host has (valgrind), or portable caches.
        let (cpu, features) = match &crate::config::config().cpu {
            Some(name) => (name.clone(), String::new()),
            None => (
                TargetMachine::get_host_cpu_name().to_string_lossy().into_owned(),
                TargetMachine::get_host_cpu_features().to_string_lossy().into_owned(),
            ),
        };
        let level = match opt_level() {
            0 => OptimizationLevel::None,
            1 => OptimizationLevel::Less,
            2 => OptimizationLevel::Default,
            _ => OptimizationLevel::Aggressive,
        };
        let tm = target
            .create_target_machine(&triple, &cpu, &features, level, RelocMode::Default, CodeModel::JITDefault)
            .ok_or("LLVM could not create a target machine for this CPU")?;
        let ctx: &'static Context = Box::leak(Box::new(Context::create()));
        configure_llvm(ctx);
        let target = format!("{} {} {}", triple.as_str().to_string_lossy(), cpu, features);

        let mut jit: LLVMOrcLLJITRef = std::ptr::null_mut();
        // SAFETY: plain LLVM C API calls; every error is checked, ownership as documented.
        unsafe {
            let builder = LLVMOrcCreateLLJITBuilder();
            take_error(LLVMOrcCreateLLJIT(&mut jit, builder))?;
            let jd = LLVMOrcLLJITGetMainJITDylib(jit);
            let mut generator: LLVMOrcDefinitionGeneratorRef = std::ptr::null_mut();
            take_error(LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(
                &mut generator,
                LLVMOrcLLJITGetGlobalPrefix(jit),
                None,
                std::ptr::null_mut(),
            ))?;
            LLVMOrcJITDylibAddGenerator(jd, generator);
            let mut pairs: Vec<LLVMJITCSymbolMapPair> = helpers()
                .into_iter()
                .map(|(name, addr)| {
                    let cname = CString::new(name).expect("helper names have no NUL");
                    LLVMJITCSymbolMapPair {
                        Name: LLVMOrcLLJITMangleAndIntern(jit, cname.as_ptr()),
                        Sym: LLVMJITEvaluatedSymbol {
                            Address: addr as u64,
                            Flags: LLVMJITSymbolFlags {
                                GenericFlags: LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsExported as u8
                                    | LLVMJITSymbolGenericFlags::LLVMJITSymbolGenericFlagsCallable as u8,
                                TargetFlags: 0,
                            },
                        },
                    }
                })
                .collect();
            let mu = LLVMOrcAbsoluteSymbols(pairs.as_mut_ptr(), pairs.len());
            take_error(LLVMOrcJITDylibDefine(jd, mu))?;
        }
        Ok(Engine { ctx, tm, target, jit, counter: 0 })
    }

    /// A fresh module set up for the host.
    pub fn module(&self, name: &str) -> Module<'static> {
        let m = self.ctx.create_module(name);
        m.set_triple(&self.tm.get_triple());
        m.set_data_layout(&self.tm.get_target_data().get_data_layout());
        m
    }

    /// Whether the target machine has the CPU feature (`avx512f`).
    pub fn has_feature(&self, name: &str) -> bool {
        self.target.split([' ', ',']).any(|f| f.strip_prefix('+') == Some(name))
    }

    /// An entry symbol no other module of this process uses.
    pub fn fresh_symbol(&mut self, name: &str) -> String {
        self.counter += 1;
        format!("rjit_entry_{}_{}", name, self.counter)
    }

    /// Optimizes the module in place.
    pub fn optimize(&self, m: &Module<'static>) -> Result<(), String> {
        let passes = format!("default<O{}>", opt_level());
        m.run_passes(&passes, &self.tm, PassBuilderOptions::create()).map_err(|e| e.to_string())
    }

    /// Emits the module as an object file.
    pub fn emit_object(&self, m: &Module<'static>) -> Result<Vec<u8>, String> {
        let buf = self.tm.write_to_memory_buffer(m, FileType::Object).map_err(|e| e.to_string())?;
        Ok(buf.as_slice().to_vec())
    }

    /// The assembly of a module given as LLVM IR text (already optimized).
    pub fn assembly(&self, ir: &str) -> Result<String, String> {
        let buf = inkwell::memory_buffer::MemoryBuffer::create_from_memory_range_copy(ir.as_bytes(), "inspect");
        let m = self.ctx.create_module_from_ir(buf).map_err(|e| e.to_string())?;
        self.assembly_of(&m)
    }

    /// The assembly of a module.
    pub fn assembly_of(&self, m: &Module<'static>) -> Result<String, String> {
        let buf = self.tm.write_to_memory_buffer(m, FileType::Assembly).map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(buf.as_slice()).into_owned())
    }

    /// Links an object file into the process and returns the address of `symbol`.
    pub fn load(&mut self, object: &[u8], symbol: &str) -> Result<usize, String> {
        let name = CString::new(symbol).map_err(|e| e.to_string())?;
        // SAFETY: the buffer is copied by LLVM and owned by the JIT from here; errors are checked.
        unsafe {
            let buf = llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy(
                object.as_ptr().cast(),
                object.len(),
                name.as_ptr(),
            );
            let jd = LLVMOrcLLJITGetMainJITDylib(self.jit);
            take_error(LLVMOrcLLJITAddObjectFile(self.jit, jd, buf))?;
            let mut addr: LLVMOrcExecutorAddress = 0;
            take_error(LLVMOrcLLJITLookup(self.jit, &mut addr, name.as_ptr()))?;
            Ok(addr as usize)
        }
    }
}

/// The helpers by the names compiled code calls them.
fn helpers() -> Vec<(&'static str, usize)> {
    vec![
        ("rjit_fail", crate::helpers::rjit_fail as *const () as usize),
        ("rjit_alloc", crate::helpers::rjit_alloc as *const () as usize),
        ("rjit_take", crate::helpers::rjit_take as *const () as usize),
        ("rjit_free", crate::helpers::rjit_free as *const () as usize),
        ("rjit_prange", crate::pool::rjit_prange as *const () as usize),
        ("rjit_random_seed", crate::random::rjit_random_seed as *const () as usize),
        ("rjit_random", crate::random::rjit_random as *const () as usize),
        ("rjit_random_state", crate::random::rjit_random_state as *const () as usize),
        ("rjit_normal", crate::random::rjit_normal as *const () as usize),
        ("rjit_randint", crate::random::rjit_randint as *const () as usize),
        ("rjit_ipow", crate::helpers::rjit_ipow as *const () as usize),
        ("rjit_sort", crate::sort::rjit_sort as *const () as usize),
        ("rjit_argsort", crate::sort::rjit_argsort as *const () as usize),
        ("rjit_print_i64", crate::helpers::rjit_print_i64 as *const () as usize),
        ("rjit_print_u64", crate::helpers::rjit_print_u64 as *const () as usize),
        ("rjit_print_f64", crate::helpers::rjit_print_f64 as *const () as usize),
        ("rjit_print_f32", crate::helpers::rjit_print_f32 as *const () as usize),
        ("rjit_print_bool", crate::helpers::rjit_print_bool as *const () as usize),
        ("rjit_print_char", crate::helpers::rjit_print_char as *const () as usize),
    ]
}
