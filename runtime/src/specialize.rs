//! The specialize stage, between the frontend and code generation: parse a kernel's embedded
//! source, lower it for the argument types of a call (binding type parameters), and check it with
//! those types and its callees' signatures, the `prange` race proof included. Codegen and the
//! reference interpreter both start from what this stage gives them; neither depends on the other.

use crate::desc::FnDesc;
use crate::error::Error;
use rjit_front::boundary::Subst;
use rjit_front::hir::Function;
use rjit_front::infer::{CalleeSig, Callees};
use rjit_front::{ArrayTy, Ty};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Parses kernels on demand for one compilation, and lowers each for the argument types it is
/// called with (which bind a generic function's type parameters).
#[derive(Default)]
pub(crate) struct ParseCache {
    items: RefCell<HashMap<usize, Rc<syn::ItemFn>>>,
    lowered: RefCell<HashMap<(usize, Subst), Rc<Function>>>,
    /// `-> _` callees whose return type is being inferred (to refuse inferring through recursion).
    inferring: RefCell<Vec<usize>>,
}

impl ParseCache {
    pub fn get(&self, k: &'static FnDesc, args: &[Ty]) -> Result<Rc<Function>, Error> {
        let key = k as *const FnDesc as usize;
        let item = self.items.borrow().get(&key).cloned();
        let item = match item {
            Some(i) => i,
            None => {
                let i = Rc::new(rjit_front::parse_item(k.source).map_err(|d| compile_error(k, &d))?);
                self.items.borrow_mut().insert(key, i.clone());
                i
            }
        };
        let subst = rjit_front::boundary::bind(&item, args);
        if let Some(f) = self.lowered.borrow().get(&(key, subst.clone())) {
            return Ok(f.clone());
        }
        let f =
            rjit_front::lower_fn(&item, k.base_line, &subst, k.frozen_globals()).map_err(|d| compile_error(k, &d))?;
        let f = Rc::new(f);
        self.lowered.borrow_mut().insert((key, subst), f.clone());
        Ok(f)
    }
}

/// Checker diagnostics found at first call, as an `Error::Compile` with their positions.
pub(crate) fn compile_error(k: &FnDesc, diags: &[rjit_front::Diag]) -> Error {
    let lines: Vec<String> = diags
        .iter()
        .map(|d| {
            let p = d.span.start();
            let line = p.line as u32 + k.base_line.saturating_sub(1);
            format!("{} at {}:{}:{}", d.text(), k.file, line, p.column + 1)
        })
        .collect();
    Error::Compile { function: k.name.to_string(), message: lines.join("; ") }
}

/// Checks `f` with the types of a call (and its callees' signatures), and proves its `prange`
/// loops race-free again now that every type is known (`_` parameters, callees' parameters).
pub(crate) fn check_with_types(
    kernel: &'static FnDesc,
    f: &Function,
    params: &[Ty],
    cache: &ParseCache,
) -> Result<rjit_front::Typed, Error> {
    let typed =
        rjit_front::check(f, Some(params), &RuntimeCallees { kernel, cache }).map_err(|d| compile_error(kernel, &d))?;
    let races = rjit_front::prange::check(f, &typed);
    if !races.is_empty() {
        return Err(compile_error(kernel, &races));
    }
    Ok(typed)
}

/// The parameter types a body sees: the declared ones, with the layout of the actual arguments.
pub(crate) fn param_types(declared: &[Ty], args: &[Ty]) -> Vec<Ty> {
    declared
        .iter()
        .zip(args)
        .map(|(d, a)| match (d, a) {
            (Ty::Array(d), Ty::Array(a)) => Ty::Array(ArrayTy { layout: a.layout, ..*d }),
            // A `_` parameter: the argument's type, whole (a literal's by default).
            (Ty::Unknown, a) => a.defaulted(),
            _ => d.clone(),
        })
        .collect()
}

/// The checker's view of a kernel's callees at run time.
pub(crate) struct RuntimeCallees<'a> {
    pub kernel: &'static FnDesc,
    pub cache: &'a ParseCache,
}

pub(crate) fn find_callee(k: &'static FnDesc, path: &str) -> &'static FnDesc {
    k.callees.iter().find(|(p, _)| *p == path).map(|(_, c)| **c).unwrap_or_else(|| {
        unreachable!("callee `{path}` of `{}` is not in its descriptor; the macro lists every call", k.name)
    })
}

impl Callees for RuntimeCallees<'_> {
    fn signature(&self, path: &str, args: &[Ty]) -> Option<Result<CalleeSig, String>> {
        let callee = find_callee(self.kernel, path);
        let f = match self.cache.get(callee, args) {
            Ok(f) => f,
            Err(e) => return Some(Err(e.to_string())),
        };
        let declared: Vec<Ty> = f.params.iter().map(|p| p.ty.clone()).collect();
        if declared.len() != args.len() {
            return Some(Err(format!(
                "`{path}` takes {} argument(s), but {} were supplied",
                declared.len(),
                args.len()
            )));
        }
        let params = param_types(&declared, args);
        fn has_array(t: &Ty) -> bool {
            matches!(t, Ty::Array(_)) || matches!(t, Ty::Tuple(items) if items.iter().any(has_array))
        }
        if f.ret != Ty::Unknown && !has_array(&f.ret) {
            return Some(Ok(CalleeSig { params, ret: f.ret.clone() }));
        }
        // `-> _`: the callee's return type is what its body returns for these arguments. A
        // declared array type too takes its layout and mutability from the body (a fresh array
        // is writable, a view of a read-only argument is not).
        let key = callee as *const FnDesc as usize;
        if self.cache.inferring.borrow().contains(&key) {
            if f.ret != Ty::Unknown {
                // Recursion: the declared type, read-only, is what the caller may assume.
                return Some(Ok(CalleeSig { params, ret: f.ret.clone() }));
            }
            return Some(Err(format!(
                "`{path}` calls itself, so its return type cannot be inferred: declare it instead of `-> _`"
            )));
        }
        self.cache.inferring.borrow_mut().push(key);
        let typed = rjit_front::check(&f, Some(&params), &RuntimeCallees { kernel: callee, cache: self.cache });
        self.cache.inferring.borrow_mut().retain(|k| *k != key);
        match typed {
            Ok(t) => Some(Ok(CalleeSig { params, ret: t.ret })),
            Err(d) => Some(Err(compile_error(callee, &d).to_string())),
        }
    }
}
