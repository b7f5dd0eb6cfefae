//! The compilation pipeline for one specialization, stage by stage:
//! parse → check (with the arguments' types) → codegen (root and reachable callees) → entry wrapper
//! → verify → optimize → emit object code → load. The engine's lock is held throughout.

use crate::abi::Entry;
use crate::cache;
use crate::codegen::Codegen;
use crate::desc::FnDesc;
use crate::engine::{with_engine, Engine};
use crate::error::Error;
use crate::specialize::{param_types, ParseCache};
use rjit_front::Ty;
use std::time::Instant;

fn internal(kernel: &FnDesc, what: &str, msg: String) -> Error {
    Error::Compile { function: kernel.name.to_string(), message: format!("{what}: {msg}") }
}

/// Where a compilation's time went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stages {
    /// Parsing, checking and generating LLVM IR (for the function and the callees it reaches).
    pub generate: std::time::Duration,
    /// LLVM's optimization passes.
    pub optimize: std::time::Duration,
    /// Machine code generation into an object file.
    pub emit: std::time::Duration,
    /// Linking the object into the process (or, from the cache, reading and linking it).
    pub load: std::time::Duration,
}

impl std::ops::AddAssign for Stages {
    fn add_assign(&mut self, o: Stages) {
        self.generate += o.generate;
        self.optimize += o.optimize;
        self.emit += o.emit;
        self.load += o.load;
    }
}

/// How a specialization came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Compiled,
    /// Loaded from the on-disk cache: no parsing, checking, optimization or code generation.
    Cached,
}

/// One specialization as compiled: its entry, where it came from, the type it returns, its
/// optimized LLVM IR (empty from the cache), where the time went, and LLVM's loop remarks.
pub struct Compiled {
    pub entry: Entry,
    pub origin: Origin,
    pub ret: Ty,
    pub llvm_ir: String,
    pub stages: Stages,
    pub remarks: Vec<Remark>,
}

pub use crate::engine::Remark;

impl Compiled {
    /// Code that was not generated here: loaded from the cache, or already linked under its key.
    fn loaded(addr: usize, ret: Ty, stages: Stages) -> Compiled {
        Compiled {
            entry: entry(addr),
            origin: Origin::Cached,
            ret,
            llvm_ir: String::new(),
            stages,
            remarks: Vec::new(),
        }
    }
}

/// Compiles `kernel` for arguments of types `args` (or loads it from the cache) and returns its entry.
pub fn compile(kernel: &'static FnDesc, args: &[Ty]) -> Result<Compiled, Error> {
    let engine_result = with_engine(|engine| -> Result<Compiled, Error> {
        let mut stages = Stages::default();
        let t = Instant::now();
        let mut key = kernel.options.cache.then(|| cache::Key::new(kernel, args, &engine.target));
        if let Some(k) = &key {
            // The same key already linked in this process (two identical kernels, from one
            // macro in two modules): the same code, under the same symbol; linking it again would
            // be a duplicate definition.
            if let Some((addr, ret)) = linked(&k.symbol()) {
                return Ok(Compiled::loaded(addr, ret, stages));
            }
            if let Some((object, ret)) = cache::load(k, args) {
                match engine.load(&object, &k.symbol()) {
                    Ok(addr) => {
                        stages.load = t.elapsed();
                        remember(k.symbol(), addr, &ret);
                        return Ok(Compiled::loaded(addr, ret, stages));
                    }
                    Err(e) => {
                        // The failed load may have claimed the key's symbol: compile under a fresh
                        // one and leave the cache as it is.
                        cache::log(k, args, &format!("rejected (cannot link: {e}); recompiling"));
                        key = None;
                    }
                }
            }
        }
        let symbol = match &key {
            Some(k) => k.symbol(),
            None => engine.fresh_symbol(kernel.name),
        };
        let (object, ret, ir, remarks) = build(engine, kernel, args, &symbol, &mut stages)?;
        if let Some(k) = &key {
            cache::store(k, args, &object, &ret);
        }
        let t = Instant::now();
        let addr = engine.load(&object, &symbol).map_err(|e| internal(kernel, "loading failed", e))?;
        if key.is_some() {
            remember(symbol, addr, &ret);
        }
        stages.load = t.elapsed();
        Ok(Compiled { entry: entry(addr), origin: Origin::Compiled, ret, llvm_ir: ir, stages, remarks })
    });
    engine_result.map_err(|e| internal(kernel, "LLVM is unavailable", e))?
}

/// Entries linked under a cache key's symbol in this process: symbol, address, return type.
static LINKED: std::sync::Mutex<Vec<(String, usize, Ty)>> = std::sync::Mutex::new(Vec::new());

fn linked(symbol: &str) -> Option<(usize, Ty)> {
    let l = LINKED.lock().unwrap_or_else(|p| p.into_inner());
    l.iter().find(|(s, ..)| s == symbol).map(|(_, a, r)| (*a, r.clone()))
}

fn remember(symbol: String, addr: usize, ret: &Ty) {
    LINKED.lock().unwrap_or_else(|p| p.into_inner()).push((symbol, addr, ret.clone()));
}

fn entry(addr: usize) -> Entry {
    // SAFETY: the symbol is an entry generated by `Codegen::entry`, with the `Entry` signature.
    unsafe { std::mem::transmute::<usize, Entry>(addr) }
}

/// Parse, check, generate, verify, optimize and emit: the object code of one specialization, the
/// type it returns, and its optimized LLVM IR.
fn build(
    engine: &mut Engine,
    kernel: &'static FnDesc,
    args: &[Ty],
    symbol: &str,
    stages: &mut Stages,
) -> Result<(Vec<u8>, Ty, String, Vec<Remark>), Error> {
    let t = Instant::now();
    let cache = ParseCache::default();
    let f = cache.get(kernel, args)?;
    let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
    let params = param_types(&declared, args);
    let module = engine.module(kernel.name);
    let ret = {
        let mut cg = Codegen::new(engine.ctx, &module, &cache, engine.has_feature("avx512f"));
        let (root, ret) = cg.function(kernel, &params)?;
        cg.drain()?;
        cg.entry(symbol, root, &params, &ret);
        cg.dib.finalize();
        ret
    };
    if let Err(e) = module.verify() {
        return Err(internal(kernel, "rjit generated invalid LLVM IR (a bug in rjit)", e.to_string()));
    }
    stages.generate = t.elapsed();
    let t = Instant::now();
    engine.optimize(&module).map_err(|e| internal(kernel, "optimization failed", e))?;
    let remarks = crate::engine::take_remarks();
    // The line tables served the remarks; object code and the IR users read do without them.
    // SAFETY: a valid module this function owns.
    unsafe { llvm_sys::debuginfo::LLVMStripModuleDebugInfo(module.as_mut_ptr()) };
    stages.optimize = t.elapsed();
    let ir = module.print_to_string().to_string();
    let config = crate::config::config();
    if config.dump_ir {
        eprintln!("{}", crate::inspect::typed_listing(kernel, args));
    }
    if config.dump_llvm {
        eprintln!("; {}{}\n{ir}", kernel.name, rjit_front::signature::print_args(args));
    }
    if config.dump_asm {
        let asm = engine.assembly_of(&module).unwrap_or_else(|e| format!("; no assembly: {e}"));
        eprintln!("; {}{}\n{asm}", kernel.name, rjit_front::signature::print_args(args));
    }
    let t = Instant::now();
    let object = engine.emit_object(&module).map_err(|e| internal(kernel, "code generation failed", e))?;
    stages.emit = t.elapsed();
    Ok((object, ret, ir, remarks))
}
