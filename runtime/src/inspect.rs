//! The texts of `inspect_types`, `inspect_asm` and `parallel_diagnostics`, made on demand from the
//! embedded source (re-checked with a specialization's argument types) and the kept LLVM IR, so
//! compiling pays nothing for them.

use crate::codegen::{compile_error, param_types, ParseCache, RuntimeCallees};
use crate::error::Error;
use crate::kernel::Kernel;
use rjit_front::report::{self, Source};
use rjit_front::{signature, Ty};

/// `kernel`'s body checked with these argument types (`None`: the declared ones), and its text.
fn checked<R>(kernel: &'static Kernel, tys: Option<&[Ty]>, then: impl FnOnce(&rjit_front::Function, &rjit_front::Typed, &Source<'_>) -> R) -> Result<R, Error> {
    let cache = ParseCache::default();
    let f = cache.get(kernel, tys.unwrap_or(&[]))?;
    let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
    let params = tys.map(|t| param_types(&declared, t));
    let typed = rjit_front::check(&f, params.as_deref(), &RuntimeCallees { kernel, cache: &cache }).map_err(|d| compile_error(kernel, &d))?;
    let src = Source::new(kernel.desc.source, kernel.desc.base_line);
    Ok(then(&f, &typed, &src))
}

/// One specialization's source, each line followed by its typed IR.
pub(crate) fn typed_listing(kernel: &'static Kernel, tys: &[Ty]) -> String {
    let title = format!("{}{}", kernel.desc.name, signature::print_args(tys));
    checked(kernel, Some(tys), |f, typed, src| report::typed_listing(&title, kernel.desc.file, f, typed, src)).unwrap_or_else(|e| format!("{title}\n{e}\n"))
}

/// The parallel plan, for the types of the first specialization (`tys`) or the declared ones.
pub(crate) fn parallel_report(kernel: &'static Kernel, tys: Option<&[Ty]>, level: u8) -> String {
    let d = &kernel.desc;
    checked(kernel, tys, |f, typed, src| report::parallel_report(d.name, d.file, f, typed, src, d.options.parallel, level)).unwrap_or_else(|e| {
        format!("no parallel diagnostics for `{}`: {e}\n(call it once first when its parameter types are inferred or generic)\n", d.name)
    })
}
