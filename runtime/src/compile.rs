//! The compilation pipeline for one specialization, stage by stage:
//! parse → check (with the arguments' types) → codegen (root and reachable callees) → entry wrapper
//! → verify → optimize → emit object code → load. The engine's lock is held throughout.

use crate::codegen::{param_types, Codegen, ParseCache};
use crate::engine::with_engine;
use crate::error::Error;
use crate::kernel::{Entry, Kernel};
use rjit_front::Ty;

fn internal(kernel: &Kernel, what: &str, msg: String) -> Error {
    Error::Compile { function: kernel.desc.name.to_string(), message: format!("{what}: {msg}") }
}

/// Compiles `kernel` for arguments of types `args` and returns its entry.
pub fn compile(kernel: &'static Kernel, args: &[Ty]) -> Result<Entry, Error> {
    let engine_result = with_engine(|engine| -> Result<Entry, Error> {
        let cache = ParseCache::default();
        let f = cache.get(kernel)?;
        let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
        let params = param_types(&declared, args);
        let (module, entry_name) = engine.module(kernel.desc.name);
        {
            let mut cg = Codegen::new(engine.ctx, &module, &cache);
            let (root, ret) = cg.function(kernel, &params)?;
            cg.drain()?;
            cg.entry(&entry_name, root, &params, &ret);
        }
        if let Err(e) = module.verify() {
            return Err(internal(kernel, "rjit generated invalid LLVM IR (a bug in rjit)", e.to_string()));
        }
        if std::env::var_os("RJIT_DUMP_LLVM").is_some() {
            engine.optimize(&module).map_err(|e| internal(kernel, "optimization failed", e))?;
            eprintln!("{}", module.print_to_string().to_string());
        } else {
            engine.optimize(&module).map_err(|e| internal(kernel, "optimization failed", e))?;
        }
        let object = engine.emit_object(&module).map_err(|e| internal(kernel, "code generation failed", e))?;
        let addr = engine.load(&object, &entry_name).map_err(|e| internal(kernel, "loading failed", e))?;
        // SAFETY: the symbol is the entry generated above, with the `Entry` signature.
        Ok(unsafe { std::mem::transmute::<usize, Entry>(addr) })
    });
    engine_result.map_err(|e| internal(kernel, "LLVM is unavailable", e))?
}
