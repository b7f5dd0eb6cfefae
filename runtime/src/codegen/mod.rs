//! Code generation: typed HIR → LLVM IR, one module per compiled entry.
//!
//! `Codegen` owns the module-wide state: the LLVM types of DSL types, the runtime helpers, site
//! strings for error messages, and a worklist of specialized functions (the root and every njit
//! callee it reaches, each specialized on its argument types and compiled into the same module, with
//! internal linkage so LLVM can inline it). `func` lowers a function body, `expr` scalar expressions,
//! `array` everything about array descriptors; `entry` writes the `extern "C"` wrapper the dispatcher
//! calls. Codegen trusts the checker: a state it rejects is `unreachable!`.

mod alias;
mod array;
mod expr;
mod func;
mod fuse;
mod par;

pub(crate) use array::accumulator;

use crate::env::SITE_SEP;
use crate::error::Error;
use crate::kernel::Kernel;
use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::debug_info::{
    AsDIScope, DICompileUnit, DIFlags, DIFlagsConstants, DISubprogram, DWARFEmissionKind, DWARFSourceLanguage,
    DebugInfoBuilder,
};
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicType, BasicTypeEnum, StructType};
use inkwell::values::{BasicValueEnum, FunctionValue, PointerValue};
use inkwell::AddressSpace;
use rjit_front::hir::Function;
use rjit_front::infer::{CalleeSig, Callees};
use rjit_front::sig::Subst;
use rjit_front::{ArrayTy, Scalar, Ty, Typed};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// A parsed function with its kernel (parsing is cheap and `hir` is not `Send`, so each compilation
/// parses what it needs once and drops it at the end).
pub(crate) struct Parsed {
    kernel: &'static Kernel,
    f: Rc<Function>,
}

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
    pub fn get(&self, k: &'static Kernel, args: &[Ty]) -> Result<Rc<Function>, Error> {
        let key = k as *const Kernel as usize;
        let item = self.items.borrow().get(&key).cloned();
        let item = match item {
            Some(i) => i,
            None => {
                let i = Rc::new(rjit_front::parse_item(k.desc.source).map_err(|d| compile_error(k, &d))?);
                self.items.borrow_mut().insert(key, i.clone());
                i
            }
        };
        let subst = rjit_front::sig::bind(&item, args);
        if let Some(f) = self.lowered.borrow().get(&(key, subst.clone())) {
            return Ok(f.clone());
        }
        let f = rjit_front::lower_fn(&item, k.desc.base_line, &subst).map_err(|d| compile_error(k, &d))?;
        let f = Rc::new(f);
        self.lowered.borrow_mut().insert((key, subst), f.clone());
        Ok(f)
    }
}

/// Checker diagnostics found at first call, as an `Error::Compile` with their positions.
pub(crate) fn compile_error(k: &Kernel, diags: &[rjit_front::Diag]) -> Error {
    let lines: Vec<String> = diags
        .iter()
        .map(|d| {
            let p = d.span.start();
            let line = p.line as u32 + k.desc.base_line.saturating_sub(1);
            format!("{} at {}:{}:{}", d.text(), k.desc.file, line, p.column + 1)
        })
        .collect();
    Error::Compile { function: k.desc.name.to_string(), message: lines.join("; ") }
}

/// Checks `f` with the types of a call (and its callees' signatures), and proves its `prange`
/// loops race-free again now that every type is known (`_` parameters, callees' parameters).
pub(crate) fn check_with_types(
    kernel: &'static Kernel,
    f: &Function,
    params: &[Ty],
    cache: &ParseCache,
) -> Result<rjit_front::Typed, Error> {
    let typed =
        rjit_front::check(f, Some(params), &RuntimeCallees { kernel, cache }).map_err(|d| compile_error(kernel, &d))?;
    let races = rjit_front::parallel::check(f, &typed);
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
    pub kernel: &'static Kernel,
    pub cache: &'a ParseCache,
}

pub(crate) fn find_callee(k: &'static Kernel, path: &str) -> &'static Kernel {
    k.desc.callees.iter().find(|(p, _)| *p == path).map(|(_, c)| **c).unwrap_or_else(|| {
        unreachable!("callee `{path}` of `{}` is not in its descriptor; the macro lists every call", k.desc.name)
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
        let key = callee as *const Kernel as usize;
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

struct Pending {
    parsed: Parsed,
    typed: Typed,
    llfn: FunctionValue<'static>,
}

pub(crate) struct Codegen<'m> {
    pub ctx: &'static Context,
    pub module: &'m Module<'static>,
    pub builder: Builder<'static>,
    pub cache: &'m ParseCache,
    /// Each function generated or declared: kernel, parameter types, function, return type, and
    /// whether a call of it can fail (`rjit_front::effects::may_fail`).
    fns: Vec<(usize, Vec<Ty>, FunctionValue<'static>, Ty, bool)>,
    worklist: Vec<Pending>,
    sites: HashMap<String, PointerValue<'static>>,
    /// Line-table debug info: each statement's instructions carry its line, so LLVM's optimization
    /// remarks (which loops vectorized) name source lines. Stripped before code is emitted.
    pub dib: DebugInfoBuilder<'static>,
    cu: DICompileUnit<'static>,
    /// Whether the target has AVX-512F (for its unsigned conversions).
    pub avx512: bool,
    /// Copies into fresh arrays tagged so far (each gets its own alias scopes).
    copies: std::cell::Cell<u32>,
}

impl<'m> Codegen<'m> {
    pub fn new(ctx: &'static Context, module: &'m Module<'static>, cache: &'m ParseCache, avx512: bool) -> Self {
        let version = ctx.i32_type().const_int(3, false);
        module.add_basic_value_flag("Debug Info Version", inkwell::module::FlagBehavior::Warning, version);
        let (dib, cu) = module.create_debug_info_builder(
            true,
            DWARFSourceLanguage::C,
            "rjit",
            ".",
            "rjit",
            true,
            "",
            0,
            "",
            DWARFEmissionKind::LineTablesOnly,
            0,
            false,
            false,
            "",
            "",
        );
        Codegen {
            ctx,
            module,
            builder: ctx.create_builder(),
            cache,
            fns: Vec::new(),
            worklist: Vec::new(),
            sites: HashMap::new(),
            dib,
            cu,
            avx512,
            copies: Default::default(),
        }
    }

    /// Debug info for a generated function: `kernel`'s, starting at `line` of its file.
    pub fn subprogram(&self, llfn: FunctionValue<'static>, kernel: &Kernel, line: u32) -> DISubprogram<'static> {
        let file = self.dib.create_file(kernel.desc.file, ".");
        let ty = self.dib.create_subroutine_type(file, None, &[], DIFlags::PUBLIC);
        let name = llfn.get_name().to_string_lossy().into_owned();
        let sp = self.dib.create_function(
            self.cu.as_debug_info_scope(),
            &name,
            None,
            file,
            line,
            ty,
            true,
            true,
            line,
            DIFlags::PUBLIC,
            true,
        );
        llfn.set_subprogram(sp);
        sp
    }

    /// The LLVM function for `kernel` specialized on `params`, declared now and generated by `drain`.
    /// Returns it with the function's return type.
    pub fn function(&mut self, kernel: &'static Kernel, params: &[Ty]) -> Result<(FunctionValue<'static>, Ty), Error> {
        self.function_fallible(kernel, params).map(|(f, ret, _)| (f, ret))
    }

    /// [`function`](Self::function), and whether a call of it can fail.
    pub fn function_fallible(
        &mut self,
        kernel: &'static Kernel,
        params: &[Ty],
    ) -> Result<(FunctionValue<'static>, Ty, bool), Error> {
        let key = kernel as *const Kernel as usize;
        if let Some((_, _, f, ret, fails)) = self.fns.iter().find(|(k, p, ..)| *k == key && p == params) {
            return Ok((*f, ret.clone(), *fails));
        }
        let f = self.cache.get(kernel, params)?;
        let typed = check_with_types(kernel, &f, params, self.cache)?;
        let env_ty = self.i8_ptr().into();
        let mut args: Vec<BasicMetadataTypeEnum> = vec![env_ty];
        args.extend(params.iter().map(|t| BasicMetadataTypeEnum::from(self.llty(t))));
        let fn_ty = match &typed.ret {
            Ty::Unit => self.ctx.void_type().fn_type(&args, false),
            t => self.llty(t).fn_type(&args, false),
        };
        let name = format!("{}.{}", kernel.desc.name, self.fns.len());
        let llfn = self.module.add_function(&name, fn_ty, Some(Linkage::Internal));
        if kernel.desc.options.inline {
            self.add_fn_attr(llfn, "alwaysinline");
        }
        let ret = typed.ret.clone();
        let fails = rjit_front::effects::may_fail(&f, &typed);
        self.fns.push((key, params.to_vec(), llfn, ret.clone(), fails));
        self.worklist.push(Pending { parsed: Parsed { kernel, f }, typed, llfn });
        Ok((llfn, ret, fails))
    }

    /// Generates every function declared so far, and those they declare in turn.
    pub fn drain(&mut self) -> Result<(), Error> {
        while let Some(p) = self.worklist.pop() {
            func::generate(self, &p.parsed, &p.typed, p.llfn)?;
        }
        Ok(())
    }

    pub fn add_fn_attr(&self, f: FunctionValue<'static>, name: &str) {
        let attr: Attribute = self.ctx.create_enum_attribute(Attribute::get_named_enum_kind_id(name), 0);
        f.add_attribute(AttributeLoc::Function, attr);
    }

    /// Asks LLVM to unroll the loop whose back edge is `latch` `count` times (`llvm.loop` metadata,
    /// which must refer to itself: made through a temporary node, as LLVM's own parser does).
    pub fn unroll(&self, latch: inkwell::values::InstructionValue<'static>, count: u32) {
        use inkwell::values::AsValueRef;
        use llvm_sys::core::*;
        use llvm_sys::debuginfo::{LLVMMetadataReplaceAllUsesWith, LLVMTemporaryMDNode};
        let ctx = self.ctx.raw();
        let name = "llvm.loop.unroll.count";
        // SAFETY: plain LLVM C API calls on this context's values; the temporary node is
        // replaced (and freed) before anything else sees it.
        unsafe {
            let key = LLVMMDStringInContext2(ctx, name.as_ptr().cast(), name.len());
            let n = LLVMValueAsMetadata(LLVMConstInt(LLVMInt32TypeInContext(ctx), count as u64, 0));
            let mut pair = [key, n];
            let hint = LLVMMDNodeInContext2(ctx, pair.as_mut_ptr(), 2);
            let temp = LLVMTemporaryMDNode(ctx, std::ptr::null_mut(), 0);
            let mut ops = [temp, hint];
            let id = LLVMMDNodeInContext2(ctx, ops.as_mut_ptr(), 2);
            LLVMMetadataReplaceAllUsesWith(temp, id);
            let kind = "llvm.loop";
            let kind = LLVMGetMDKindIDInContext(ctx, kind.as_ptr().cast(), kind.len() as u32);
            LLVMSetMetadata(latch.as_value_ref(), kind, LLVMMetadataAsValue(ctx, id));
        }
    }

    /// Marks a conditional branch as almost always taking its first successor.
    pub fn likely(&self, br: inkwell::values::InstructionValue<'static>) {
        let i32t = self.ctx.i32_type();
        let weights = self.ctx.metadata_node(&[
            self.ctx.metadata_string("branch_weights").into(),
            i32t.const_int(2000, false).into(),
            i32t.const_int(1, false).into(),
        ]);
        br.set_metadata(weights, self.ctx.get_kind_id("prof")).expect("a branch takes `prof` metadata");
    }

    pub fn i8_ptr(&self) -> inkwell::types::PointerType<'static> {
        self.ctx.i8_type().ptr_type(AddressSpace::default())
    }

    pub fn i64(&self) -> inkwell::types::IntType<'static> {
        self.ctx.i64_type()
    }

    /// The LLVM type of a scalar in registers (`bool` is `i1`).
    pub fn scalar_ty(&self, s: Scalar) -> BasicTypeEnum<'static> {
        let c = self.ctx;
        match s {
            Scalar::Bool => c.bool_type().into(),
            Scalar::I8 | Scalar::U8 => c.i8_type().into(),
            Scalar::I16 | Scalar::U16 => c.i16_type().into(),
            Scalar::I32 | Scalar::U32 => c.i32_type().into(),
            Scalar::I64 | Scalar::U64 | Scalar::Isize | Scalar::Usize => c.i64_type().into(),
            Scalar::F32 => c.f32_type().into(),
            Scalar::F64 => c.f64_type().into(),
            Scalar::C64 => c.struct_type(&[c.f32_type().into(), c.f32_type().into()], false).into(),
            Scalar::C128 => c.struct_type(&[c.f64_type().into(), c.f64_type().into()], false).into(),
        }
    }

    /// The LLVM type of a scalar in memory and at the boundary (`bool` is a byte).
    pub fn mem_ty(&self, s: Scalar) -> BasicTypeEnum<'static> {
        match s {
            Scalar::Bool => self.ctx.i8_type().into(),
            s => self.scalar_ty(s),
        }
    }

    /// An array in registers: `{ elem*, [n x i64] shape, [n x i64] strides, i8* meminfo }`; the
    /// `MemInfo` is null for arrays the caller owns.
    pub fn array_ty(&self, a: &ArrayTy) -> StructType<'static> {
        let dims = self.i64().array_type(u32::from(a.ndim));
        let data = self.mem_ty(a.elem).ptr_type(AddressSpace::default());
        self.ctx.struct_type(&[data.into(), dims.into(), dims.into(), self.i8_ptr().into()], false)
    }

    /// An array at the boundary: `{ elem*, [n x i64] shape, [n x i64] strides }`, as `abi::ArrayDesc`.
    pub fn abi_array_ty(&self, a: &ArrayTy) -> StructType<'static> {
        let dims = self.i64().array_type(u32::from(a.ndim));
        let data = self.mem_ty(a.elem).ptr_type(AddressSpace::default());
        self.ctx.struct_type(&[data.into(), dims.into(), dims.into()], false)
    }

    /// The LLVM type of a value in registers.
    pub fn llty(&self, t: &Ty) -> BasicTypeEnum<'static> {
        match t {
            Ty::Scalar(s) => self.scalar_ty(*s),
            Ty::Array(a) => self.array_ty(a).into(),
            Ty::Tuple(items) => {
                let fields: Vec<BasicTypeEnum> = items.iter().map(|i| self.llty(i)).collect();
                self.ctx.struct_type(&fields, false).into()
            }
            Ty::Unit => self.ctx.struct_type(&[], false).into(),
            t => unreachable!("a value of type `{t}` reached codegen; are we missing a diagnostic?"),
        }
    }

    /// The LLVM type of a value at the boundary (`abi::Arg::Abi`, `abi::Ret::Abi`).
    pub fn abi_ty(&self, t: &Ty) -> BasicTypeEnum<'static> {
        match t {
            Ty::Scalar(s) => self.mem_ty(*s),
            Ty::Array(a) => self.abi_array_ty(a).into(),
            Ty::Tuple(items) => {
                let fields: Vec<BasicTypeEnum> = items.iter().map(|i| self.abi_ty(i)).collect();
                self.ctx.struct_type(&fields, false).into()
            }
            t => self.llty(t),
        }
    }

    /// A constant string naming where an error happens: `function␟file␟line␟column␟message`.
    pub fn site(&mut self, kernel: &Kernel, line: u32, col: u32, msg: &str) -> PointerValue<'static> {
        let text =
            format!("{n}{s}{f}{s}{line}{s}{col}{s}{msg}", n = kernel.desc.name, f = kernel.desc.file, s = SITE_SEP);
        if let Some(p) = self.sites.get(&text) {
            return *p;
        }
        let bytes = self.ctx.const_string(text.as_bytes(), true);
        let g = self.module.add_global(bytes.get_type(), None, &format!("site.{}", self.sites.len()));
        g.set_initializer(&bytes);
        g.set_constant(true);
        g.set_linkage(Linkage::Private);
        let p = g.as_pointer_value().const_cast(self.i8_ptr());
        self.sites.insert(text, p);
        p
    }

    /// A runtime helper, declared on first use.
    pub fn helper(&self, name: &str) -> FunctionValue<'static> {
        if let Some(f) = self.module.get_function(name) {
            return f;
        }
        let c = self.ctx;
        let (i8p, i64t, i32t) = (self.i8_ptr().into(), c.i64_type().into(), c.i32_type().into());
        let void = c.void_type();
        let ty = match name {
            "rjit_fail" => void.fn_type(&[i8p, i8p, i32t, i64t, i64t, i64t], false),
            "rjit_alloc" => self.i8_ptr().fn_type(&[i8p, i8p, i64t, i64t, i64t, i32t], false),
            "rjit_take" => self.i8_ptr().fn_type(&[i8p, i8p, i8p, i64t], false),
            "rjit_free" => void.fn_type(&[i8p, i8p], false),
            "rjit_random_seed" => void.fn_type(&[i64t], false),
            "rjit_random" | "rjit_normal" => c.f64_type().fn_type(&[], false),
            "rjit_random_state" => c.i64_type().ptr_type(AddressSpace::default()).fn_type(&[], false),
            "rjit_randint" => c.i64_type().fn_type(&[i64t, i64t], false),
            "rjit_prange" => void.fn_type(&[i8p, i8p, i8p, i64t, i64t, i8p, i64t], false),
            "rjit_ipow" => c.i64_type().fn_type(&[i8p, i8p, i64t, i64t, i32t], false),
            "rjit_print_i64" | "rjit_print_u64" => void.fn_type(&[i64t], false),
            "rjit_print_f64" => void.fn_type(&[c.f64_type().into()], false),
            "rjit_print_f32" => void.fn_type(&[c.f32_type().into()], false),
            "rjit_print_bool" | "rjit_print_char" => void.fn_type(&[i32t], false),
            other => unreachable!("unknown runtime helper `{other}`"),
        };
        let f = self.module.add_function(name, ty, Some(Linkage::External));
        if name == "rjit_fail" {
            self.add_fn_attr(f, "cold");
        }
        if name == "rjit_random_state" {
            // The same address on every call from one thread: LLVM may fetch it once.
            for a in ["readnone", "nounwind", "willreturn"] {
                self.add_fn_attr(f, a);
            }
        }
        f
    }

    /// The `extern "C"` entry the dispatcher calls: unpacks the arguments, calls the root function,
    /// and writes its result into the return buffer as `abi::Ret` lays it out.
    pub fn entry(&mut self, name: &str, root: FunctionValue<'static>, params: &[Ty], ret: &Ty) {
        let c = self.ctx;
        let i8p = self.i8_ptr();
        let fn_ty =
            c.void_type().fn_type(&[i8p.ptr_type(AddressSpace::default()).into(), i8p.into(), i8p.into()], false);
        let f = self.module.add_function(name, fn_ty, Some(Linkage::External));
        let b = &self.builder;
        // The wrapper has no debug info: nothing in it may carry a location.
        b.unset_current_debug_location();
        let bb = c.append_basic_block(f, "entry");
        b.position_at_end(bb);
        let args = f.get_nth_param(0).expect("param").into_pointer_value();
        let ret_ptr = f.get_nth_param(1).expect("param").into_pointer_value();
        let env = f.get_nth_param(2).expect("param").into_pointer_value();
        let mut call_args = vec![env.into()];
        for (i, t) in params.iter().enumerate() {
            let slot =
                unsafe { b.build_in_bounds_gep(args, &[self.i64().const_int(i as u64, false)], "arg.slot") }.unwrap();
            let raw = b.build_load(slot, "arg.ptr").unwrap().into_pointer_value();
            let typed =
                b.build_pointer_cast(raw, self.abi_ty(t).ptr_type(AddressSpace::default()), "arg.typed").unwrap();
            let v = b.build_load(typed, "arg").unwrap();
            let v = match t {
                Ty::Scalar(Scalar::Bool) => b
                    .build_int_compare(inkwell::IntPredicate::NE, v.into_int_value(), c.i8_type().const_zero(), "bool")
                    .unwrap()
                    .into(),
                // The caller's arrays have no `MemInfo`: compiled code never frees them.
                Ty::Array(a) => {
                    let mut x = self.array_ty(a).get_undef();
                    for k in 0..3 {
                        let f = b.build_extract_value(v.into_struct_value(), k, "f").unwrap();
                        x = b.build_insert_value(x, f, k, "arg").unwrap().into_struct_value();
                    }
                    let null = self.i8_ptr().const_null();
                    b.build_insert_value(x, null, 3, "arg").unwrap().into_struct_value().into()
                }
                _ => v,
            };
            call_args.push(v.into());
        }
        let result = b.build_call(root, &call_args, "result").unwrap().try_as_basic_value().basic();
        let ok_bb = c.append_basic_block(f, "ok");
        let done_bb = c.append_basic_block(f, "done");
        let status = self.load_status(env);
        let b = &self.builder;
        let failed =
            b.build_int_compare(inkwell::IntPredicate::NE, status, c.i32_type().const_zero(), "failed").unwrap();
        b.build_conditional_branch(failed, done_bb, ok_bb).unwrap();
        b.position_at_end(ok_bb);
        if let Some(v) = result {
            let site = self.site(self.root_kernel(), 0, 0, "");
            let abi = array::to_abi(self, f, env, site, v, ret);
            let b = &self.builder;
            let out = b.build_pointer_cast(ret_ptr, abi.get_type().ptr_type(AddressSpace::default()), "ret").unwrap();
            b.build_store(out, abi).unwrap();
        }
        let b = &self.builder;
        b.build_unconditional_branch(done_bb).unwrap();
        b.position_at_end(done_bb);
        b.build_return(None).unwrap();
    }

    /// Whether `llfn` is the function Rust calls (so its writable array parameters are `&mut`
    /// borrows, apart from every other argument) and no function in the module can call it again
    /// (with arguments that might overlap).
    pub fn params_exclusive(&self, llfn: FunctionValue<'static>) -> bool {
        let Some((_, _, first, ..)) = self.fns.first() else { return false };
        if *first != llfn {
            return false;
        }
        let root = self.root_kernel();
        let mut seen: Vec<*const Kernel> = Vec::new();
        let mut todo: Vec<&'static Kernel> = root.desc.callees.iter().map(|(_, k)| **k).collect();
        while let Some(k) = todo.pop() {
            if std::ptr::eq(k, root) {
                return false;
            }
            if !seen.contains(&(k as *const Kernel)) {
                seen.push(k);
                todo.extend(k.desc.callees.iter().map(|(_, c)| **c));
            }
        }
        true
    }

    fn root_kernel(&self) -> &'static Kernel {
        let key = self.fns.first().expect("root").0;
        // SAFETY: keys are addresses of `'static` kernels.
        unsafe { &*(key as *const Kernel) }
    }

    /// Loads `env->status`.
    pub fn load_status(&self, env: PointerValue<'static>) -> inkwell::values::IntValue<'static> {
        let b = &self.builder;
        let p = b.build_pointer_cast(env, self.ctx.i32_type().ptr_type(AddressSpace::default()), "status.ptr").unwrap();
        b.build_load(p, "status").unwrap().into_int_value()
    }

    /// A zero of the type, used as the dummy value a failing function returns.
    pub fn zero(&self, t: BasicTypeEnum<'static>) -> BasicValueEnum<'static> {
        t.const_zero()
    }
}
