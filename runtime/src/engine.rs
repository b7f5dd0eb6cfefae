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

/// Asks LLVM for the loop vectorizer's remarks (loops vectorized, and not) and collects them.
fn enable_remarks(ctx: &'static Context) {
    let args: Vec<CString> = ["rjit", "-pass-remarks=loop-vectorize", "-pass-remarks-missed=loop-vectorize"].iter().map(|a| CString::new(*a).expect("no NUL")).collect();
    let argv: Vec<*const std::ffi::c_char> = args.iter().map(|a| a.as_ptr()).collect();
    // SAFETY: valid C strings for the call's duration; the handler lives for the process.
    unsafe {
        llvm_sys::support::LLVMParseCommandLineOptions(argv.len() as i32, argv.as_ptr(), std::ptr::null());
        llvm_sys::core::LLVMContextSetDiagnosticHandler(ctx.raw(), Some(on_diagnostic), std::ptr::null_mut());
    }
}

/// The remarks LLVM made since the last call, by line: `vectorized loop (…)`, `loop not vectorized…`.
pub fn take_remarks() -> Vec<crate::compile::Remark> {
    let raw = std::mem::take(&mut *REMARKS.lock().unwrap_or_else(|p| p.into_inner()));
    raw.iter()
        .filter_map(|r| {
            // "file:line:col: message"
            let (loc, message) = r.split_once(": ")?;
            let mut parts = loc.rsplitn(3, ':');
            let _col = parts.next()?;
            let line: u32 = parts.next()?.parse().ok()?;
            let message = message.trim().to_string();
            Some(crate::compile::Remark { line, vectorized: message.starts_with("vectorized loop"), message })
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
            .create_target_machine(
                &triple,
                &cpu,
                &features,
                level,
                RelocMode::Default,
                CodeModel::JITDefault,
            )
            .ok_or("LLVM could not create a target machine for this CPU")?;
        let ctx: &'static Context = Box::leak(Box::new(Context::create()));
        enable_remarks(ctx);
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
            let mut pairs: Vec<LLVMJITCSymbolMapPair> = crate::env::helpers()
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

    /// An entry symbol no other module of this process uses.
    pub fn fresh_symbol(&mut self, name: &str) -> String {
        self.counter += 1;
        format!("rjit_entry_{}_{}", name, self.counter)
    }

    /// Optimizes the module in place: `O3_WITH_IRCE` at the default level, else `default<On>`.
    pub fn optimize(&self, m: &Module<'static>) -> Result<(), String> {
        let passes = match opt_level() {
            3 => O3_WITH_IRCE.to_string(),
            n => format!("default<O{n}>"),
        };
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
            let buf = llvm_sys::core::LLVMCreateMemoryBufferWithMemoryRangeCopy(object.as_ptr().cast(), object.len(), name.as_ptr());
            let jd = LLVMOrcLLJITGetMainJITDylib(self.jit);
            take_error(LLVMOrcLLJITAddObjectFile(self.jit, jd, buf))?;
            let mut addr: LLVMOrcExecutorAddress = 0;
            take_error(LLVMOrcLLJITLookup(self.jit, &mut addr, name.as_ptr()))?;
            Ok(addr as usize)
        }
    }
}

/// LLVM 14's `default<O3>` pipeline (as `opt -passes='default<O3>' -print-pipeline-passes` prints
/// it) with one pass added: inductive range check elimination (`irce`), just before `indvars` in
/// the function simplification pipeline (after inlining, rotation and LICM; `indvars` would turn
/// the checks into equality exits IRCE cannot read). For a loop whose body checks indices that
/// move with the induction variable (`a[j]`, `a[[i, j + 1]]`), IRCE computes the iterations where
/// every check holds and runs them in a copy of the loop without the checks, keeping the checked
/// loop for the iterations before and after. A loop whose only exits are its own then vectorizes
/// in full, with no scalar epilogue kept for the checks.
const O3_WITH_IRCE: &str = "verify,annotation2metadata,forceattrs,inferattrs,function<eager-inv>(lower-expect,simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;no-switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts>,sroa,early-cse<>,coro-early,callsite-splitting),openmp-opt,ipsccp,called-value-propagation,globalopt,function(mem2reg),deadargelim,function<eager-inv>(instcombine,simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts>),require<globals-aa>,function(invalidate<aa>),require<profile-summary>,cgscc(devirt<4>(inline<only-mandatory>,inline,function-attrs,argpromotion,openmp-opt-cgscc,function<eager-inv>(sroa,early-cse<memssa>,speculative-execution,jump-threading,correlated-propagation,simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts>,instcombine,aggressive-instcombine,libcalls-shrinkwrap,tailcallelim,simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts>,reassociate,require<opt-remark-emit>,loop-mssa(loop-instsimplify,loop-simplifycfg,licm,loop-rotate,licm,simple-loop-unswitch<nontrivial;trivial>),simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts>,instcombine,irce,loop(loop-idiom,indvars,loop-deletion,loop-unroll-full),sroa,mldst-motion<no-split-footer-bb>,gvn<>,sccp,bdce,instcombine,jump-threading,correlated-propagation,adce,memcpyopt,dse,loop-mssa(licm),coro-elide,simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;hoist-common-insts;sink-common-insts>,instcombine),coro-split)),globalopt,globaldce,elim-avail-extern,rpo-function-attrs,require<globals-aa>,function<eager-inv>(float2int,lower-constant-intrinsics,loop(loop-rotate,loop-deletion),loop-distribute,inject-tli-mappings,loop-vectorize<no-interleave-forced-only;no-vectorize-forced-only;>,loop-load-elim,instcombine,simplifycfg<bonus-inst-threshold=1;forward-switch-cond;switch-range-to-icmp;switch-to-lookup;no-keep-loops;hoist-common-insts;sink-common-insts>,slp-vectorizer,vector-combine,instcombine,loop-unroll<O3>,transform-warning,instcombine,require<opt-remark-emit>,loop-mssa(licm),alignment-from-assumptions,loop-sink,instsimplify,div-rem-pairs,simplifycfg<bonus-inst-threshold=1;no-forward-switch-cond;switch-range-to-icmp;no-switch-to-lookup;keep-loops;no-hoist-common-insts;no-sink-common-insts>,coro-cleanup),cg-profile,globaldce,constmerge,rel-lookup-table-converter,function(annotation-remarks),verify";
