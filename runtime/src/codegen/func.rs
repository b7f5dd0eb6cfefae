//! Lowering one function body: locals, statements and control flow.
//!
//! `Emitter` is the low-level part any generated function needs (allocas, failing with an error,
//! counted loops, reading the status after a call); `FnCx` adds the body's locals, loops and types.

use super::array::has_arrays;
use super::{Codegen, Parsed};
use crate::env::kind;
use crate::error::Error;
use crate::kernel::Kernel;
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::types::BasicType;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::IntPredicate;
use proc_macro2::Span;
use rjit_front::checks::{Form, Site};
use rjit_front::hir::{Block, ExprId, ExprKind, Function, LocalId, Pat, Place, Stmt};
use rjit_front::parallel::RedOp;
use rjit_front::ty::{ArrayTy, Layout};
use rjit_front::{Scalar, Ty, Typed};

pub(crate) struct Emitter<'a, 'm> {
    pub cg: &'a mut Codegen<'m>,
    pub llfn: FunctionValue<'static>,
    pub env: PointerValue<'static>,
    pub kernel: &'static Kernel,
    pub base_line: u32,
    pub boundscheck: bool,
    /// The function's debug info and the location instructions are built at (see `locate`).
    pub sp: Option<inkwell::debug_info::DISubprogram<'static>>,
    pub loc: Option<inkwell::debug_info::DILocation<'static>>,
    pub at: Option<Span>,
}

extern "C" {
    /// The C++ shim (src/fastmath.cpp): LLVM 14's C API cannot set fast-math flags.
    fn rjit_set_fast_math(value: llvm_sys::prelude::LLVMValueRef, flags: u32);
}

/// The fast-math flags of `#[njit(fastmath = "…")]`, as the shim's bit mask.
pub(crate) fn fastmath_mask(flags: &str) -> u32 {
    flags
        .split(',')
        .map(|f| match f.trim() {
            "reassoc" => 1,
            "nnan" => 2,
            "ninf" => 4,
            "nsz" => 8,
            "arcp" => 16,
            "contract" => 32,
            "afn" => 64,
            _ => 0,
        })
        .fold(0, |a, b| a | b)
}

impl<'a, 'm> Emitter<'a, 'm> {
    pub fn b(&self) -> &Builder<'static> {
        &self.cg.builder
    }

    /// Builds what follows at `span`'s line and column (for LLVM's remarks).
    pub fn locate(&mut self, span: Span) {
        use inkwell::debug_info::AsDIScope;
        let Some(sp) = self.sp else { return };
        let p = span.start();
        let line = p.line as u32 + self.base_line.saturating_sub(1);
        let loc =
            self.cg.dib.create_debug_location(self.cg.ctx, line, p.column as u32 + 1, sp.as_debug_info_scope(), None);
        self.cg.builder.set_current_debug_location(loc);
        self.loc = Some(loc);
        self.at = Some(span);
    }

    /// Builds at the location last set (after emitting into another function).
    pub fn relocate(&self) {
        match self.loc {
            Some(l) => self.cg.builder.set_current_debug_location(l),
            None => self.cg.builder.unset_current_debug_location(),
        }
    }

    /// Puts the function's fast-math flags (if any) on a floating-point instruction.
    pub fn fast<V: inkwell::values::AsValueRef>(&self, v: V) -> V {
        let mask = fastmath_mask(self.kernel.desc.options.fastmath);
        if mask != 0 {
            // SAFETY: a value of this module; the shim ignores anything not a floating-point instruction.
            unsafe { rjit_set_fast_math(v.as_value_ref(), mask) };
        }
        v
    }

    pub fn block(&self, name: &str) -> BasicBlock<'static> {
        self.cg.ctx.append_basic_block(self.llfn, name)
    }

    /// A stack slot in the entry block, so LLVM promotes it to a register.
    pub fn alloca(&self, ty: BasicTypeEnum<'static>, name: &str) -> PointerValue<'static> {
        let entry = self.llfn.get_first_basic_block().expect("entry block");
        let b = self.cg.ctx.create_builder();
        match entry.get_first_instruction() {
            Some(i) => b.position_before(&i),
            None => b.position_at_end(entry),
        }
        b.build_alloca(ty, name).unwrap()
    }

    /// The site string of a span in this function.
    pub fn site(&mut self, span: Span, msg: &str) -> PointerValue<'static> {
        let p = span.start();
        let line = p.line as u32 + self.base_line.saturating_sub(1);
        self.cg.site(self.kernel, line, p.column as u32, msg)
    }

    /// Returns the function's dummy value (the caller reads `env.status` and stops).
    pub fn ret_dummy(&self) {
        match self.llfn.get_type().get_return_type() {
            Some(t) => self.b().build_return(Some(&self.cg.zero(t))).unwrap(),
            None => self.b().build_return(None).unwrap(),
        };
    }

    /// Continues in a fresh block after a terminator (code there is unreachable and LLVM drops it).
    pub fn dead_block(&self) {
        let bb = self.block("dead");
        self.b().position_at_end(bb);
    }

    /// Branches to a failure (`rjit_fail` then return) when `bad` holds.
    pub fn fail_if(
        &mut self,
        bad: IntValue<'static>,
        site: PointerValue<'static>,
        kind: u32,
        vals: [IntValue<'static>; 3],
    ) {
        let fail_bb = self.block("fail");
        let ok_bb = self.block("ok");
        self.b().build_conditional_branch(bad, fail_bb, ok_bb).unwrap();
        self.b().position_at_end(fail_bb);
        let f = self.cg.helper("rjit_fail");
        let k = self.cg.ctx.i32_type().const_int(u64::from(kind), false);
        self.b()
            .build_call(
                f,
                &[self.env.into(), site.into(), k.into(), vals[0].into(), vals[1].into(), vals[2].into()],
                "",
            )
            .unwrap();
        self.ret_dummy();
        self.b().position_at_end(ok_bb);
    }

    pub fn i64c(&self, v: i64) -> IntValue<'static> {
        self.cg.i64().const_int(v as u64, true)
    }

    /// Returns the dummy value when a callee or helper has set `env.status`.
    pub fn check_status(&mut self) {
        let status = self.cg.load_status(self.env);
        let zero = self.cg.ctx.i32_type().const_zero();
        let bad = self.b().build_int_compare(IntPredicate::NE, status, zero, "failed").unwrap();
        let fail_bb = self.block("propagate");
        let ok_bb = self.block("ok");
        self.b().build_conditional_branch(bad, fail_bb, ok_bb).unwrap();
        self.b().position_at_end(fail_bb);
        self.ret_dummy();
        self.b().position_at_end(ok_bb);
    }
}

/// Anything that owns an emitter: the emitter itself, or a function body's context. Loop builders
/// are generic over it so their bodies get the whole context back.
pub(crate) trait Emit<'a, 'm: 'a> {
    fn em(&mut self) -> &mut Emitter<'a, 'm>;
}

impl<'a, 'm> Emit<'a, 'm> for Emitter<'a, 'm> {
    fn em(&mut self) -> &mut Emitter<'a, 'm> {
        self
    }
}

impl<'a, 'm> Emit<'a, 'm> for FnCx<'a, 'm> {
    fn em(&mut self) -> &mut Emitter<'a, 'm> {
        &mut self.e
    }
}

/// `for i in 0..n { body(i) }` with an `i64` counter.
pub(crate) fn counted_loop<'a, 'm: 'a, C: Emit<'a, 'm>>(
    cx: &mut C,
    n: IntValue<'static>,
    body: &mut dyn FnMut(&mut C, IntValue<'static>),
) {
    let e = cx.em();
    let counter = e.alloca(e.cg.i64().into(), "i");
    e.b().build_store(counter, e.i64c(0)).unwrap();
    let head = e.block("loop.head");
    let body_bb = e.block("loop.body");
    let exit = e.block("loop.exit");
    e.b().build_unconditional_branch(head).unwrap();
    e.b().position_at_end(head);
    let i = e.b().build_load(counter, "i").unwrap().into_int_value();
    let more = e.b().build_int_compare(IntPredicate::SLT, i, n, "more").unwrap();
    e.b().build_conditional_branch(more, body_bb, exit).unwrap();
    e.b().position_at_end(body_bb);
    body(cx, i);
    let e = cx.em();
    let next = e.b().build_int_add(i, e.i64c(1), "next").unwrap();
    e.b().build_store(counter, next).unwrap();
    e.b().build_unconditional_branch(head).unwrap();
    e.b().position_at_end(exit);
}

impl Emitter<'_, '_> {
    /// How many values `start + k * step` lie from `start` towards `stop` (excluded), the operands
    /// widened to 64 bits: ceil(|stop - start| / |step|) when the range goes the step's way, else
    /// 0. Unsigned arithmetic throughout: the distance and the count may exceed `i64::MAX`. The
    /// step is not zero.
    pub(crate) fn range_count(
        &self,
        start: IntValue<'static>,
        stop: IntValue<'static>,
        step: IntValue<'static>,
        signed: bool,
    ) -> IntValue<'static> {
        let bl = self.b();
        let zero = self.i64c(0);
        let up = if signed {
            bl.build_int_compare(IntPredicate::SGT, step, zero, "up").unwrap()
        } else {
            self.cg.ctx.bool_type().const_all_ones()
        };
        let dist = bl
            .build_select(
                up,
                bl.build_int_sub(stop, start, "span").unwrap(),
                bl.build_int_sub(start, stop, "span").unwrap(),
                "dist",
            )
            .unwrap()
            .into_int_value();
        let mag = bl.build_select(up, step, bl.build_int_neg(step, "neg").unwrap(), "mag").unwrap().into_int_value();
        let (lt, gt) =
            if signed { (IntPredicate::SLT, IntPredicate::SGT) } else { (IntPredicate::ULT, IntPredicate::UGT) };
        let goes = bl
            .build_select(
                up,
                bl.build_int_compare(lt, start, stop, "lt").unwrap(),
                bl.build_int_compare(gt, start, stop, "gt").unwrap(),
                "goes",
            )
            .unwrap()
            .into_int_value();
        let whole = bl.build_int_unsigned_div(dist, mag, "whole").unwrap();
        let rest = bl.build_int_unsigned_rem(dist, mag, "rest").unwrap();
        let part = bl.build_int_compare(IntPredicate::NE, rest, zero, "part").unwrap();
        let n = bl.build_int_add(whole, bl.build_int_z_extend(part, self.cg.i64(), "part").unwrap(), "count").unwrap();
        bl.build_select(goes, n, zero, "count").unwrap().into_int_value()
    }
}

pub(crate) struct FnCx<'a, 'm> {
    pub e: Emitter<'a, 'm>,
    pub f: &'a Function,
    pub typed: &'a Typed,
    locals: Vec<Option<PointerValue<'static>>>,
    /// (continue target, break target) of each enclosing loop.
    loops: Vec<(BasicBlock<'static>, BasicBlock<'static>)>,
    /// Lowering the outlined body of a `prange` loop: nested ones run serially.
    in_prange: bool,
    /// Locals that live in the enclosing function (reached through the `prange` context): this
    /// function neither owns nor releases them.
    shared: std::collections::HashSet<LocalId>,
    /// The float locals that never hold NaN (for cheaper `min`/`max`).
    pub nan: std::rc::Rc<rjit_front::nan::NeverNan>,
    /// Index positions the enclosing loop's precheck proved in bounds: emitted without a check.
    pub proven: Vec<ExprId>,
    /// Which buffers element accesses reach (`codegen::alias`).
    pub alias: std::rc::Rc<super::alias::AliasTags>,
}

pub(crate) fn generate(
    cg: &mut Codegen<'_>,
    p: &Parsed,
    typed: &Typed,
    llfn: FunctionValue<'static>,
) -> Result<(), Error> {
    let entry = cg.ctx.append_basic_block(llfn, "entry");
    cg.builder.position_at_end(entry);
    let env = llfn.get_nth_param(0).expect("env").into_pointer_value();
    let alias = std::rc::Rc::new(super::alias::AliasTags::new(cg, llfn, &p.f, typed, cg.params_exclusive(llfn)));
    let e = Emitter {
        cg,
        llfn,
        env,
        kernel: p.kernel,
        base_line: p.f.base_line,
        boundscheck: p.kernel.desc.options.boundscheck,
        sp: None,
        loc: None,
        at: None,
    };
    let nan = std::rc::Rc::new(rjit_front::nan::NeverNan::of(&p.f, typed));
    let mut cx = FnCx {
        e,
        f: &p.f,
        typed,
        locals: vec![None; p.f.locals.len()],
        loops: Vec::new(),
        in_prange: false,
        shared: Default::default(),
        nan,
        proven: Vec::new(),
        alias,
    };
    let line = p.f.pos(p.f.name_span).line;
    cx.e.sp = Some(cx.e.cg.subprogram(llfn, p.kernel, line));
    cx.e.locate(p.f.name_span);
    cx.alias.declare(cx.e.cg);
    // Every slot holding arrays exists from the start, so each return releases all of them.
    for (i, t) in typed.locals.iter().enumerate() {
        if has_arrays(t) {
            cx.local(LocalId(i as u32));
        }
    }
    for (i, param) in p.f.params.iter().enumerate() {
        let v = llfn.get_nth_param(i as u32 + 1).expect("param");
        let slot = cx.local(param.local);
        cx.e.b().build_store(slot, v).unwrap();
        // The slot holds its own reference; the caller keeps the argument's.
        let t = typed.local(param.local).clone();
        cx.e.refcount(v, &t, 1);
        if let Ty::Array(at) = &t {
            cx.e.assume_shape(v.into_struct_value(), at);
        }
    }
    // The race proof of a `parallel` function's `prange` loops takes a writable array parameter
    // apart from the other array parameters: checked here, once per call.
    if p.kernel.desc.options.parallel {
        let pairs = rjit_front::race::params_kept_apart(&p.f, typed);
        for (a, b) in pairs {
            let (la, lb) = (p.f.params[a].local, p.f.params[b].local);
            let (ta, tb) = (
                typed.local(la).array().expect("an array parameter"),
                typed.local(lb).array().expect("an array parameter"),
            );
            let va = llfn.get_nth_param(a as u32 + 1).expect("param").into_struct_value();
            let vb = llfn.get_nth_param(b as u32 + 1).expect("param").into_struct_value();
            let bad = cx.e.overlaps((va, &ta), (vb, &tb));
            let names = format!("{},{}", p.f.local(la).name, p.f.local(lb).name);
            let site = cx.e.site(p.f.name_span, &names);
            let zero = cx.e.i64c(0);
            cx.e.fail_if(bad, site, crate::env::kind::OVERLAP, [zero, zero, zero]);
        }
    }
    let tail = cx.block(&p.f.body);
    if cx.is_open() {
        match (tail, &typed.ret) {
            (tail, Ty::Unit) => {
                if let Some((v, t)) = tail {
                    cx.release(v, &t, true);
                }
                cx.release_locals();
                cx.e.b().build_return(None).unwrap();
            }
            (Some((v, t)), ret) => {
                let v = cx.coerce(v, &t, ret);
                cx.release_locals();
                cx.e.b().build_return(Some(&v)).unwrap();
            }
            (None, _) => {
                cx.e.b().build_unreachable().unwrap();
            }
        }
    }
    Ok(())
}

/// What [`FnCx::enter_function`] swapped out, for [`FnCx::leave_function`] to put back.
pub(crate) struct Outer {
    llfn: FunctionValue<'static>,
    env: PointerValue<'static>,
    at: BasicBlock<'static>,
    locals: Vec<Option<PointerValue<'static>>>,
    loops: Vec<(BasicBlock<'static>, BasicBlock<'static>)>,
    in_prange: bool,
    shared: std::collections::HashSet<LocalId>,
    sp: Option<inkwell::debug_info::DISubprogram<'static>>,
    loc: Option<inkwell::debug_info::DILocation<'static>>,
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// Emits into `llfn` (whose first parameter is the env) from its new entry block, as code
    /// already running on the pool and reaching none of this function's locals.
    pub(crate) fn enter_function(&mut self, llfn: FunctionValue<'static>) -> Outer {
        let at = self.e.b().get_insert_block().expect("positioned");
        let entry = self.e.cg.ctx.append_basic_block(llfn, "entry");
        self.e.b().position_at_end(entry);
        let env = llfn.get_nth_param(0).expect("env").into_pointer_value();
        let line = self.e.at.map_or(self.e.base_line, |s| s.start().line as u32 + self.e.base_line.saturating_sub(1));
        let sp = Some(self.e.cg.subprogram(llfn, self.e.kernel, line));
        let outer_sp = std::mem::replace(&mut self.e.sp, sp);
        let outer_loc = self.e.loc;
        match self.e.at {
            Some(at) => self.e.locate(at),
            None => self.e.b().unset_current_debug_location(),
        }
        Outer {
            sp: outer_sp,
            loc: outer_loc,
            llfn: std::mem::replace(&mut self.e.llfn, llfn),
            env: std::mem::replace(&mut self.e.env, env),
            at,
            locals: std::mem::replace(&mut self.locals, vec![None; self.f.locals.len()]),
            loops: std::mem::take(&mut self.loops),
            in_prange: std::mem::replace(&mut self.in_prange, true),
            shared: std::mem::take(&mut self.shared),
        }
    }

    /// Back to the function [`enter_function`](Self::enter_function) left, where it left it.
    pub(crate) fn leave_function(&mut self, outer: Outer) {
        self.e.llfn = outer.llfn;
        self.e.env = outer.env;
        self.locals = outer.locals;
        self.loops = outer.loops;
        self.in_prange = outer.in_prange;
        self.shared = outer.shared;
        self.e.sp = outer.sp;
        self.e.loc = outer.loc;
        self.e.relocate();
        self.e.b().position_at_end(outer.at);
    }

    pub(crate) fn in_prange(&self) -> bool {
        self.in_prange
    }

    pub fn ty(&self, id: ExprId) -> Ty {
        self.typed.expr(id).clone()
    }

    /// The stack slot of a local, created (zeroed) on first use.
    pub fn local(&mut self, id: LocalId) -> PointerValue<'static> {
        if let Some(p) = self.locals[id.0 as usize] {
            return p;
        }
        let ty = self.e.cg.llty(self.typed.local(id));
        let name = self.f.local(id).name.clone();
        let p = self.e.alloca(ty, &name);
        // Zero it where it is created, in the entry block.
        let entry = self.e.llfn.get_first_basic_block().expect("entry");
        let b = self.e.cg.ctx.create_builder();
        match entry.get_terminator() {
            Some(t) => b.position_before(&t),
            None => b.position_at_end(entry),
        }
        b.build_store(p, ty.const_zero()).unwrap();
        self.locals[id.0 as usize] = Some(p);
        p
    }

    /// Lowers an expression for a use that keeps nothing: a local is read without taking a new
    /// reference. Returns the value and whether it is owned (to `release` after the use).
    pub fn borrow(&mut self, id: ExprId) -> Option<(BasicValueEnum<'static>, bool)> {
        if let ExprKind::Local(l) = self.f.expr(id).kind {
            let slot = self.local(l);
            return Some((self.e.b().build_load(slot, "borrow").unwrap(), false));
        }
        Some((self.expr(id)?, true))
    }

    /// Drops an owned value's references (a borrowed value has none to drop).
    pub fn release(&mut self, v: BasicValueEnum<'static>, t: &Ty, owned: bool) {
        if owned && has_arrays(t) {
            self.e.refcount(v, t, -1);
        }
    }

    /// Drops the references every local holds: before each return.
    pub fn release_locals(&mut self) {
        for (i, slot) in self.locals.clone().into_iter().enumerate() {
            let t = self.typed.locals[i].clone();
            if self.shared.contains(&LocalId(i as u32)) {
                continue;
            }
            if let (Some(slot), true) = (slot, has_arrays(&t)) {
                let v = self.e.b().build_load(slot, "local").unwrap();
                self.e.refcount(v, &t, -1);
            }
        }
    }

    /// Whether the current block still needs a terminator.
    pub fn is_open(&self) -> bool {
        self.e.b().get_insert_block().is_some_and(|bb| bb.get_terminator().is_none())
    }

    /// Lowers a block; returns its tail's value and type, if it has one.
    pub fn block(&mut self, b: &Block) -> Option<(BasicValueEnum<'static>, Ty)> {
        for s in &b.stmts {
            self.stmt(s);
        }
        let tail = b.tail?;
        let v = self.expr(tail)?;
        Some((v, self.ty(tail)))
    }

    /// Stores an owned value into a local, which takes over its references and drops those of the
    /// value it held.
    fn store_local(&mut self, id: LocalId, v: BasicValueEnum<'static>, from: &Ty) {
        let to = self.typed.local(id).clone();
        let v = self.coerce(v, from, &to);
        let slot = self.local(id);
        let old = has_arrays(&to).then(|| self.e.b().build_load(slot, "old").unwrap());
        self.e.b().build_store(slot, v).unwrap();
        if let Some(old) = old {
            self.e.refcount(old, &to, -1);
        }
    }

    fn bind(&mut self, pat: &Pat, v: BasicValueEnum<'static>, t: &Ty) {
        match pat {
            Pat::Wild => self.release(v, t, true),
            Pat::Bind(l) => self.store_local(*l, v, t),
            Pat::Tuple(items, _) => {
                let Ty::Tuple(ts) = t else { unreachable!("tuple pattern on `{t}`; are we missing a diagnostic?") };
                for (i, (p, it)) in items.iter().zip(ts).enumerate() {
                    let part = self.e.b().build_extract_value(v.into_struct_value(), i as u32, "part").unwrap();
                    self.bind(p, part, it);
                }
            }
        }
    }

    fn assign(&mut self, place: &Place, v: BasicValueEnum<'static>, t: &Ty) {
        match place {
            Place::Local(l, _) => self.store_local(*l, v, t),
            Place::Index(ix) if matches!(self.ty(*ix), Ty::Array(_)) => {
                let span = self.f.expr(*ix).span;
                self.assign_view(*ix, v, t, span);
                self.release(v, t, true);
            }
            Place::Index(ix) => {
                let (ptr, elem, guard) = self.element_ptr(*ix);
                let v = self.coerce(v, t, &Ty::Scalar(elem));
                self.store_elem_of(*ix, ptr, v, elem);
                self.release_guard(guard);
            }
            Place::Tuple(items, _) if items.is_empty() => self.release(v, t, true),
            Place::Tuple(items, _) => {
                let Ty::Tuple(ts) = t else { return };
                for (i, (p, it)) in items.iter().zip(ts).enumerate() {
                    let part = self.e.b().build_extract_value(v.into_struct_value(), i as u32, "part").unwrap();
                    self.assign(p, part, it);
                }
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        if !self.is_open() {
            self.e.dead_block();
        }
        let at = stmt_span(s).or_else(|| match s {
            Stmt::Let { init: e, .. }
            | Stmt::Assign { value: e, .. }
            | Stmt::Expr(e)
            | Stmt::While { cond: e, .. }
            | Stmt::ForIn { array: e, .. } => Some(self.f.expr(*e).span),
            _ => None,
        });
        if let Some(span) = at {
            self.e.locate(span);
        }
        match s {
            Stmt::Let { pat, init } => {
                if let Some(v) = self.expr(*init) {
                    let t = self.ty(*init);
                    self.bind(pat, v, &t);
                }
            }
            Stmt::Assign { place, value } => {
                if let Some(v) = self.expr(*value) {
                    let t = self.ty(*value);
                    self.assign(place, v, &t);
                }
            }
            Stmt::OpAssign { op, place, value, span } => self.op_assign(*op, place, *value, *span),
            Stmt::Expr(e) => {
                if let Some(v) = self.expr(*e) {
                    let t = self.ty(*e);
                    self.release(v, &t, true);
                }
            }
            Stmt::While { cond, body } => {
                let head = self.e.block("while.head");
                let body_bb = self.e.block("while.body");
                let exit = self.e.block("while.exit");
                self.e.b().build_unconditional_branch(head).unwrap();
                self.e.b().position_at_end(head);
                let c = self.expr(*cond).expect("bool").into_int_value();
                self.e.b().build_conditional_branch(c, body_bb, exit).unwrap();
                self.e.b().position_at_end(body_bb);
                self.loop_body(body, head, exit);
                self.e.b().position_at_end(exit);
            }
            Stmt::Loop { body } => {
                let body_bb = self.e.block("loop.body");
                let exit = self.e.block("loop.exit");
                self.e.b().build_unconditional_branch(body_bb).unwrap();
                self.e.b().position_at_end(body_bb);
                self.loop_body(body, body_bb, exit);
                self.e.b().position_at_end(exit);
            }
            Stmt::For { var, range, body, span, parallel } => {
                if *parallel && self.e.kernel.desc.options.parallel && !self.in_prange {
                    self.prange(*var, range, body, *span);
                } else {
                    self.for_range(*var, range, body, *span);
                }
            }
            Stmt::ForIn { var, array, body } => self.for_in(*var, *array, body),
            Stmt::Break(_) => {
                let (_, brk) = *self.loops.last().expect("checked: break in a loop");
                self.e.b().build_unconditional_branch(brk).unwrap();
            }
            Stmt::Continue(_) => {
                let (cont, _) = *self.loops.last().expect("checked: continue in a loop");
                self.e.b().build_unconditional_branch(cont).unwrap();
            }
            Stmt::Return(value, _) => {
                let ret = self.typed.ret.clone();
                match value {
                    Some(v) => {
                        if let Some(val) = self.expr(*v) {
                            let t = self.ty(*v);
                            if ret == Ty::Unit {
                                self.release(val, &t, true);
                                self.release_locals();
                                self.e.b().build_return(None).unwrap();
                            } else {
                                let val = self.coerce(val, &t, &ret);
                                self.release_locals();
                                self.e.b().build_return(Some(&val)).unwrap();
                            }
                        }
                    }
                    None => {
                        self.release_locals();
                        self.e.b().build_return(None).unwrap();
                    }
                }
            }
            Stmt::Assert { cond, msg, span } => {
                if let Some(c) = self.expr(*cond) {
                    let site = self.e.site(*span, msg.as_deref().unwrap_or(""));
                    let bad = self.e.b().build_not(c.into_int_value(), "assert.bad").unwrap();
                    let z = self.e.i64c(0);
                    self.e.fail_if(bad, site, kind::ASSERT, [z, z, z]);
                }
            }
            Stmt::Print { args, texts, .. } => {
                for (i, item) in rjit_front::hir::print_items(args, texts).into_iter().enumerate() {
                    if i > 0 {
                        self.print_char(' ');
                    }
                    match item {
                        rjit_front::hir::PrintItem::Text(s) => s.chars().for_each(|c| self.print_char(c)),
                        rjit_front::hir::PrintItem::Value(a) => {
                            if let Some(v) = self.expr(a) {
                                let t = self.ty(a);
                                self.print_value(v, &t);
                            }
                        }
                    }
                }
                self.print_char('\n');
            }
        }
    }

    fn loop_body(&mut self, body: &Block, cont: BasicBlock<'static>, exit: BasicBlock<'static>) {
        self.loops.push((cont, exit));
        self.block(body);
        self.loops.pop();
        if self.is_open() {
            self.e.b().build_unconditional_branch(cont).unwrap();
        }
    }

    fn print_char(&mut self, c: char) {
        let f = self.e.cg.helper("rjit_print_char");
        let v = self.e.cg.ctx.i32_type().const_int(u64::from(c), false);
        self.e.b().build_call(f, &[v.into()], "").unwrap();
    }

    fn print_value(&mut self, v: BasicValueEnum<'static>, t: &Ty) {
        let Some(s) = t.scalar() else { unreachable!("print of `{t}`; are we missing a diagnostic?") };
        let (name, v) = match s {
            Scalar::Bool => ("rjit_print_bool", self.convert(v, s, Scalar::U32)),
            Scalar::F32 => ("rjit_print_f32", v),
            Scalar::F64 => ("rjit_print_f64", v),
            s if s.is_unsigned() => ("rjit_print_u64", self.convert(v, s, Scalar::U64)),
            s if s.is_signed() => ("rjit_print_i64", self.convert(v, s, Scalar::I64)),
            _ => {
                // Complex: `(re+imj)` as Python prints it.
                let part = s.real_part();
                self.print_char('(');
                let re = self.e.b().build_extract_value(v.into_struct_value(), 0, "re").unwrap();
                self.print_value(re, &Ty::Scalar(part));
                self.print_char('+');
                let im = self.e.b().build_extract_value(v.into_struct_value(), 1, "im").unwrap();
                self.print_value(im, &Ty::Scalar(part));
                self.print_char('j');
                self.print_char(')');
                return;
            }
        };
        let f = self.e.cg.helper(name);
        self.e.b().build_call(f, &[v.into()], "").unwrap();
    }

    /// The range's start, stop and step in its integer type, after the zero-step check.
    fn range_values(
        &mut self,
        r: &rjit_front::hir::Range,
        span: Span,
    ) -> (inkwell::types::IntType<'static>, Scalar, [IntValue<'static>; 3]) {
        let t = self.ty(r.stop);
        let Some(s) = t.scalar() else { unreachable!("range over `{t}`") };
        let int_ty = self.e.cg.scalar_ty(s).into_int_type();
        let get = |cx: &mut Self, id: Option<ExprId>, default: u64| -> IntValue<'static> {
            match id.and_then(|id| cx.expr(id).map(|v| (v, id))) {
                Some((v, id)) => {
                    let from = cx.ty(id);
                    cx.coerce(v, &from, &t).into_int_value()
                }
                None => int_ty.const_int(default, false),
            }
        };
        let start = get(self, r.start, 0);
        let stop = get(self, Some(r.stop), 0);
        let step = get(self, r.step, 1);
        if step.get_sign_extended_constant().is_none_or(|c| c == 0) {
            let site = self.e.site(span, "");
            let bad = self.e.b().build_int_compare(IntPredicate::EQ, step, int_ty.const_zero(), "step.zero").unwrap();
            let z = self.e.i64c(0);
            self.e.fail_if(bad, site, kind::ZERO_STEP, [z, z, z]);
        }
        (int_ty, s, [start, stop, step])
    }

    /// A `prange` loop in a `parallel` function: the body is outlined, run by the runtime over fixed
    /// chunks on the thread pool, and its reductions combined in chunk order.
    fn prange(&mut self, var: Option<LocalId>, r: &rjit_front::hir::Range, body: &Block, span: Span) {
        let (int_ty, s, [start, stop, step]) = self.range_values(r, span);
        let wide = |cx: &mut Self, v: IntValue<'static>| {
            cx.convert(v.into(), s, if s.is_signed() { Scalar::I64 } else { Scalar::U64 }).into_int_value()
        };
        let (a, b, c) = (wide(self, start), wide(self, stop), wide(self, step));
        let trip = self.e.range_count(a, b, c, s.is_signed());
        let zero = self.e.i64c(0);

        let mut ignored = Vec::new();
        let info = rjit_front::parallel::analyze(self.f, self.typed, var, body, false, &mut ignored);
        let shared: Vec<LocalId> =
            (0..self.f.locals.len() as u32).map(LocalId).filter(|l| !info.private.contains(l)).collect();
        // The context: a pointer to each shared local's slot, then to `start` and `step`.
        let i8p = self.e.cg.i8_ptr();
        let ctx = self.e.alloca(i8p.array_type(shared.len() as u32 + 2).into(), "prange.ctx");
        let start_slot = self.e.alloca(int_ty.into(), "prange.start");
        let step_slot = self.e.alloca(int_ty.into(), "prange.step");
        self.e.b().build_store(start_slot, start).unwrap();
        self.e.b().build_store(step_slot, step).unwrap();
        let slots: Vec<PointerValue<'static>> =
            shared.iter().map(|l| self.local(*l)).chain([start_slot, step_slot]).collect();
        for (k, slot) in slots.iter().enumerate() {
            let p =
                unsafe { self.e.b().build_in_bounds_gep(ctx, &[self.e.i64c(0), self.e.i64c(k as i64)], "ctx.slot") }
                    .unwrap();
            let raw = self.e.b().build_pointer_cast(*slot, i8p, "raw").unwrap();
            self.e.b().build_store(p, raw).unwrap();
        }
        // `prange(n)` and `prange(a, b)`: the chunk computes `i = start + k` (start 0 when absent),
        // so LLVM sees unit-stride accesses and can vectorize the body.
        let is_int =
            |e: Option<ExprId>, v: u128| e.is_none_or(|e| matches!(self.f.expr(e).kind, ExprKind::Int(x, _) if x == v));
        let shape = RangeShape { zero_start: is_int(r.start, 0), unit_step: is_int(r.step, 1) };
        let outlined = self.outline(var, body, &shared, &info, int_ty, shape);
        self.e.relocate();
        // Each reduction has 16 bytes per chunk: its partial value, or its array's data and `MemInfo`.
        let red_size = 16 * info.reductions.len().max(1) as i64;
        let partials = self.e.alloca(
            self.e.cg.ctx.i8_type().array_type((crate::parallel::MAX_CHUNKS * red_size) as u32).into(),
            "partials",
        );
        super::par::align_16(partials.as_instruction());
        let array_reductions = info.reductions.iter().any(|(l, _)| matches!(self.typed.local(*l), Ty::Array(_)));
        let max_chunks =
            if array_reductions { crate::parallel::MAX_ARRAY_REDUCTION_CHUNKS } else { crate::parallel::MAX_CHUNKS };
        let bl = self.e.b();
        let max = self.e.i64c(max_chunks);
        let few = bl.build_int_compare(IntPredicate::ULT, trip, max, "few").unwrap();
        let chunks = bl.build_select(few, trip, max, "chunks").unwrap().into_int_value();
        let (run_bb, done_bb) = (self.e.block("prange.run"), self.e.block("prange.done"));
        let any = bl.build_int_compare(IntPredicate::NE, trip, zero, "any").unwrap();
        bl.build_conditional_branch(any, run_bb, done_bb).unwrap();
        self.e.b().position_at_end(run_bb);
        let driver = self.e.cg.helper("rjit_prange");
        let body_ptr =
            self.e.b().build_pointer_cast(outlined.as_global_value().as_pointer_value(), i8p, "body").unwrap();
        let ctx_ptr = self.e.b().build_pointer_cast(ctx, i8p, "ctx").unwrap();
        let partials_ptr = self.e.b().build_pointer_cast(partials, i8p, "partials").unwrap();
        let args = [
            self.e.env.into(),
            body_ptr.into(),
            ctx_ptr.into(),
            trip.into(),
            chunks.into(),
            partials_ptr.into(),
            self.e.i64c(red_size).into(),
        ];
        self.e.b().build_call(driver, &args, "").unwrap();
        self.e.check_status();
        // Each chunk's partial reductions, combined in chunk order: the same result on any number of threads.
        let reductions = info.reductions.clone();
        if !reductions.is_empty() {
            counted_loop(self, chunks, &mut |cx, c| {
                for (k, (l, op)) in reductions.iter().enumerate() {
                    let t = cx.typed.local(*l).clone();
                    let off =
                        cx.e.b()
                            .build_int_add(
                                cx.e.b().build_int_mul(c, cx.e.i64c(red_size), "off").unwrap(),
                                cx.e.i64c(16 * k as i64),
                                "off",
                            )
                            .unwrap();
                    let p = unsafe { cx.e.b().build_in_bounds_gep(partials_ptr, &[off], "partial") }.unwrap();
                    if let Ty::Array(at) = t {
                        cx.combine_array_partial(*op, *l, at, p, span);
                        continue;
                    }
                    let st = t.scalar().expect("checked: a scalar or array reduction");
                    let p = cx
                        .e
                        .b()
                        .build_pointer_cast(p, cx.e.cg.llty(&t).ptr_type(inkwell::AddressSpace::default()), "partial")
                        .unwrap();
                    let part = cx.e.b().build_load(p, "part").unwrap();
                    let slot = cx.local(*l);
                    let cur = cx.e.b().build_load(slot, "cur").unwrap();
                    let next = cx.combine_reduction(*op, cur, part, st, span);
                    cx.e.b().build_store(slot, next).unwrap();
                }
            });
        }
        self.e.b().build_unconditional_branch(done_bb).unwrap();
        self.e.b().position_at_end(done_bb);
    }

    /// `a op= chunk's copy`, then frees the copy; `p` points at the copy's data and `MemInfo`.
    fn combine_array_partial(
        &mut self,
        op: rjit_front::parallel::RedOp,
        l: LocalId,
        at: ArrayTy,
        p: PointerValue<'static>,
        span: Span,
    ) {
        use rjit_front::hir::BinOp;
        use rjit_front::parallel::RedOp;
        let bin = match op {
            RedOp::Add | RedOp::Sub => BinOp::Add,
            RedOp::Mul => BinOp::Mul,
            RedOp::And => BinOp::BitAnd,
            RedOp::Or => BinOp::BitOr,
            RedOp::Xor => BinOp::BitXor,
            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                unreachable!("checked: arrays reduce with operators only")
            }
        };
        let slot = self.local(l);
        let outer = self.e.b().build_load(slot, "outer").unwrap().into_struct_value();
        let words = self
            .e
            .b()
            .build_pointer_cast(p, self.e.cg.i8_ptr().ptr_type(inkwell::AddressSpace::default()), "words")
            .unwrap();
        let data = self.e.b().build_load(words, "data").unwrap().into_pointer_value();
        let m_slot = unsafe { self.e.b().build_in_bounds_gep(words, &[self.e.i64c(1)], "meminfo.slot") }.unwrap();
        let m = self.e.b().build_load(m_slot, "meminfo").unwrap().into_pointer_value();
        let copy = self.reduction_copy(outer, &at, data, m);
        self.in_place(bin, outer, &at, copy.into(), &Ty::Array(at), span);
        self.e.refcount(copy.into(), &Ty::Array(at), -1);
    }

    /// A descriptor for a chunk's copy of the array reduction `outer`: `data` (cast from raw bytes),
    /// `outer`'s shape, and the contiguous strides of `outer`'s layout (Fortran order for `F`).
    fn reduction_copy(
        &mut self,
        outer: inkwell::values::StructValue<'static>,
        at: &ArrayTy,
        data: PointerValue<'static>,
        m: PointerValue<'static>,
    ) -> inkwell::values::StructValue<'static> {
        let data = self
            .e
            .b()
            .build_pointer_cast(data, self.e.cg.mem_ty(at.elem).ptr_type(inkwell::AddressSpace::default()), "data")
            .unwrap();
        let m = self.e.b().build_pointer_cast(m, self.e.cg.i8_ptr(), "meminfo").unwrap();
        let shape = self.e.shape(outer, at);
        // Strides computed from the shape: the contiguous ones of `at`'s layout (C for `Any`).
        let contiguous = ArrayTy { layout: if at.layout == Layout::F { Layout::F } else { Layout::C }, ..*at };
        let strides = self.e.strides(outer, &contiguous);
        self.e.descriptor(data, &shape, &strides, m, at)
    }

    fn combine_reduction(
        &mut self,
        op: rjit_front::parallel::RedOp,
        a: BasicValueEnum<'static>,
        b: BasicValueEnum<'static>,
        s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        use rjit_front::hir::BinOp;
        use rjit_front::parallel::RedOp;
        match op {
            // A `-=` chunk accumulates the negated sum, so chunks add up.
            RedOp::Add | RedOp::Sub => self.scalar_op(BinOp::Add, a, b, s, span),
            RedOp::Mul => self.scalar_op(BinOp::Mul, a, b, s, span),
            RedOp::And => self.scalar_op(BinOp::BitAnd, a, b, s, span),
            RedOp::Or => self.scalar_op(BinOp::BitOr, a, b, s, span),
            RedOp::Xor => self.scalar_op(BinOp::BitXor, a, b, s, span),
            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                let (max, nan_propagates) = op.min_max().expect("a minimum or maximum");
                if s.is_float() && !nan_propagates {
                    // The chunk's partial started at the identity and took only Rust's `min`/`max`
                    // of it: never NaN.
                    return self.min_max_never_nan(max, a, b, false);
                }
                self.min_max(max, a, b, s, nan_propagates)
            }
        }
    }

    /// The value a reduction starts from in each chunk.
    pub(crate) fn identity(&self, op: rjit_front::parallel::RedOp, s: Scalar) -> BasicValueEnum<'static> {
        use rjit_front::parallel::RedOp;
        let t = self.e.cg.scalar_ty(s);
        match op {
            RedOp::Add | RedOp::Sub | RedOp::Or | RedOp::Xor => t.const_zero(),
            RedOp::Mul => self.const_one(s),
            RedOp::And => t.into_int_type().const_all_ones().into(),
            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum if s.is_float() => {
                let inf = if op.min_max().is_some_and(|(max, _)| max) { f64::NEG_INFINITY } else { f64::INFINITY };
                t.into_float_type().const_float(inf).into()
            }
            RedOp::Min | RedOp::Max | RedOp::Minimum | RedOp::Maximum => {
                let it = t.into_int_type();
                let bits = it.get_bit_width();
                let v = match (!op.min_max().is_some_and(|(max, _)| max), s.is_signed()) {
                    (true, true) => (1u64 << (bits - 1)) - 1,
                    (true, false) => u64::MAX >> (64 - bits),
                    (false, true) => 1u64 << (bits - 1),
                    (false, false) => 0,
                };
                it.const_int(v, false).into()
            }
        }
    }

    /// The outlined body of a `prange` loop: `void body(env, ctx, lo, hi, partial)`.
    fn outline(
        &mut self,
        var: Option<LocalId>,
        body: &Block,
        shared: &[LocalId],
        info: &rjit_front::parallel::Prange,
        int_ty: inkwell::types::IntType<'static>,
        shape: RangeShape,
    ) -> FunctionValue<'static> {
        let saved = self.e.b().get_insert_block().expect("positioned");
        let c = self.e.cg.ctx;
        let i8p = self.e.cg.i8_ptr();
        let fn_ty = c
            .void_type()
            .fn_type(&[i8p.into(), i8p.into(), c.i64_type().into(), c.i64_type().into(), i8p.into()], false);
        let name = format!("{}.prange", self.e.llfn.get_name().to_string_lossy());
        let llfn = self.e.cg.module.add_function(&name, fn_ty, Some(inkwell::module::Linkage::Internal));
        let entry = c.append_basic_block(llfn, "entry");
        self.e.cg.builder.position_at_end(entry);
        let (f, typed, kernel, base_line, boundscheck) =
            (self.f, self.typed, self.e.kernel, self.e.base_line, self.e.boundscheck);
        let env = llfn.get_nth_param(0).expect("env").into_pointer_value();
        let line = f.pos(body_span(f, body)).line;
        let sp = Some(self.e.cg.subprogram(llfn, kernel, line));
        let e = Emitter { cg: &mut *self.e.cg, llfn, env, kernel, base_line, boundscheck, sp, loc: None, at: None };
        let start = body_span(f, body);
        let (nan, alias) = (self.nan.clone(), self.alias.clone());
        let mut cx = FnCx {
            e,
            f,
            typed,
            locals: vec![None; f.locals.len()],
            loops: Vec::new(),
            in_prange: true,
            shared: shared.iter().copied().collect(),
            nan,
            proven: Vec::new(),
            alias,
        };
        cx.e.locate(start);
        cx.alias.declare(cx.e.cg);
        let ctx = llfn.get_nth_param(1).expect("ctx").into_pointer_value();
        let ctx = cx.e.b().build_pointer_cast(ctx, i8p.ptr_type(inkwell::AddressSpace::default()), "ctx").unwrap();
        let slot_at = |cx: &mut FnCx, k: usize, t: inkwell::types::BasicTypeEnum<'static>| {
            let p = unsafe { cx.e.b().build_in_bounds_gep(ctx, &[cx.e.i64c(k as i64)], "ctx.slot") }.unwrap();
            let raw = cx.e.b().build_load(p, "raw").unwrap().into_pointer_value();
            cx.e.b().build_pointer_cast(raw, t.ptr_type(inkwell::AddressSpace::default()), "slot").unwrap()
        };
        let reduced: Vec<LocalId> = info.reductions.iter().map(|r| r.0).collect();
        for (k, l) in shared.iter().enumerate() {
            let t = cx.e.cg.llty(cx.typed.local(*l));
            let slot = slot_at(&mut cx, k, t);
            // What the loop only reads is copied in: a register to LLVM, which could not otherwise
            // tell that stores into array elements leave the enclosing function's slots alone.
            let slot = if info.written.contains(l) || reduced.contains(l) {
                slot
            } else {
                let copy = cx.e.alloca(t, &format!("{}.in", f.local(*l).name));
                let v = cx.e.b().build_load(slot, "shared").unwrap();
                cx.e.b().build_store(copy, v).unwrap();
                copy
            };
            cx.locals[l.0 as usize] = Some(slot);
        }
        let start_p = slot_at(&mut cx, shared.len(), int_ty.into());
        let step_p = slot_at(&mut cx, shared.len() + 1, int_ty.into());
        let start = cx.e.b().build_load(start_p, "start").unwrap().into_int_value();
        let step = cx.e.b().build_load(step_p, "step").unwrap().into_int_value();
        // Each chunk reduces into its own accumulators.
        let mut accs = Vec::new();
        for (l, op) in &info.reductions {
            if let Ty::Array(at) = cx.typed.local(*l).clone() {
                // A copy of the outer array's shape, filled with the identity.
                let outer_slot = cx.local(*l);
                let outer = cx.e.b().build_load(outer_slot, "outer").unwrap().into_struct_value();
                let shape = cx.e.shape(outer, &at);
                let site = cx.e.site(f.local(*l).span, "");
                let zero = matches!(op, RedOp::Add | RedOp::Sub | RedOp::Or | RedOp::Xor);
                let fresh = cx.e.alloc(at.elem, &shape, zero, site);
                let data = cx.e.data(fresh);
                let data = cx.e.b().build_pointer_cast(data, i8p, "data").unwrap();
                let m = cx.e.meminfo(fresh);
                let copy = cx.reduction_copy(outer, &at, data, m);
                if !zero {
                    let id = cx.identity(*op, at.elem);
                    cx.fill(copy, &at, id);
                }
                let acc = cx.e.alloca(cx.e.cg.llty(&Ty::Array(at)), "acc");
                cx.e.b().build_store(acc, copy).unwrap();
                cx.locals[l.0 as usize] = Some(acc);
                accs.push((acc, None));
                continue;
            }
            let st = cx.typed.local(*l).scalar().expect("checked: a scalar or array reduction");
            let acc = cx.e.alloca(cx.e.cg.scalar_ty(st), "acc");
            let id = cx.identity(*op, st);
            cx.e.b().build_store(acc, id).unwrap();
            cx.locals[l.0 as usize] = Some(acc);
            accs.push((acc, Some(st)));
        }
        let lo = llfn.get_nth_param(2).expect("lo").into_int_value();
        let hi = llfn.get_nth_param(3).expect("hi").into_int_value();
        cx.counted_body(lo, hi, body, &mut |cx, k| {
            let Some(v) = var else { return };
            let kk = cx.e.b().build_int_truncate_or_bit_cast(k, int_ty, "k").unwrap();
            let off = if shape.unit_step { kk } else { cx.e.b().build_int_mul(kk, step, "off").unwrap() };
            let i = if shape.zero_start { off } else { cx.e.b().build_int_add(start, off, "i").unwrap() };
            let slot = cx.local(v);
            cx.e.b().build_store(slot, i).unwrap();
        });
        let partial = llfn.get_nth_param(4).expect("partial").into_pointer_value();
        for (r, (acc, st)) in accs.iter().enumerate() {
            let p = unsafe { cx.e.b().build_in_bounds_gep(partial, &[cx.e.i64c(16 * r as i64)], "partial") }.unwrap();
            let v = cx.e.b().build_load(*acc, "acc").unwrap();
            let Some(st) = st else {
                // An array's copy: its data and `MemInfo`, handed over with its reference.
                let words =
                    cx.e.b().build_pointer_cast(p, i8p.ptr_type(inkwell::AddressSpace::default()), "words").unwrap();
                let data = cx.e.data(v.into_struct_value());
                let data = cx.e.b().build_pointer_cast(data, i8p, "data").unwrap();
                cx.e.b().build_store(words, data).unwrap();
                let m_slot = unsafe { cx.e.b().build_in_bounds_gep(words, &[cx.e.i64c(1)], "meminfo.slot") }.unwrap();
                let m = cx.e.b().build_pointer_cast(cx.e.meminfo(v.into_struct_value()), i8p, "meminfo").unwrap();
                cx.e.b().build_store(m_slot, m).unwrap();
                continue;
            };
            let p =
                cx.e.b()
                    .build_pointer_cast(p, cx.e.cg.scalar_ty(*st).ptr_type(inkwell::AddressSpace::default()), "partial")
                    .unwrap();
            cx.e.b().build_store(p, v).unwrap();
        }
        cx.release_locals();
        cx.e.b().build_return(None).unwrap();
        drop(cx);
        self.e.b().position_at_end(saved);
        llfn
    }

    /// `for k in lo..hi { start(k); body }` with a 64-bit counter compared unsigned (a `prange`
    /// trip count may exceed `i64::MAX`), `continue` reaching the latch.
    fn counted_body(
        &mut self,
        lo: IntValue<'static>,
        hi: IntValue<'static>,
        body: &Block,
        start: &mut dyn FnMut(&mut Self, IntValue<'static>),
    ) {
        let counter = self.e.alloca(self.e.cg.i64().into(), "k");
        self.e.b().build_store(counter, lo).unwrap();
        let (head, body_bb, latch, exit) = (
            self.e.block("loop.head"),
            self.e.block("loop.body"),
            self.e.block("loop.latch"),
            self.e.block("loop.exit"),
        );
        self.e.b().build_unconditional_branch(head).unwrap();
        self.e.b().position_at_end(head);
        let k = self.e.b().build_load(counter, "k").unwrap().into_int_value();
        let more = self.e.b().build_int_compare(IntPredicate::ULT, k, hi, "more").unwrap();
        self.e.b().build_conditional_branch(more, body_bb, exit).unwrap();
        self.e.b().position_at_end(body_bb);
        start(self, k);
        self.loops.push((latch, exit));
        self.block(body);
        self.loops.pop();
        if self.is_open() {
            self.e.b().build_unconditional_branch(latch).unwrap();
        }
        self.e.b().position_at_end(latch);
        let next = self.e.b().build_int_add(k, self.e.i64c(1), "next").unwrap();
        self.e.b().build_store(counter, next).unwrap();
        self.e.b().build_unconditional_branch(head).unwrap();
        self.e.b().position_at_end(exit);
    }

    /// `for x in a`: `x` is `a[i]` for each `i` along the first axis.
    fn for_in(&mut self, var: Option<LocalId>, array: ExprId, body: &Block) {
        let Some((a, owned)) = self.borrow(array) else { return };
        let array_t = self.ty(array);
        let at = self.ty(array).array().expect("checked: iterating an array");
        let a = a.into_struct_value();
        let n = self.e.dim(a, 1, 0);
        let zero = self.e.i64c(0);
        self.counted_body(zero, n, body, &mut |cx, i| {
            let Some(v) = var else { return };
            let item_t = cx.typed.local(v).clone();
            let item = match &item_t {
                Ty::Array(vt) => {
                    let row: BasicValueEnum<'static> = cx.view(a, &at, &[super::array::Part::At(i)], vt).into();
                    cx.e.refcount(row, &item_t, 1);
                    row
                }
                _ => {
                    let p = cx.e.elem_at(a, &at, &[i]);
                    cx.e.load_elem(p, at.elem)
                }
            };
            cx.store_local(v, item, &item_t);
        });
        self.release(a.into(), &array_t, owned);
    }

    /// `for var in range(start, stop, step)`: the step's sign decides the direction; a zero step
    /// fails; the counter never overflows (the loop stops when the next value would wrap). An
    /// innermost loop whose index checks all follow from its first and last iterations
    /// (`rjit_front::checks`) is emitted twice: without those checks when a test before the loop
    /// proves them, and as usual otherwise.
    fn for_range(&mut self, var: Option<LocalId>, r: &rjit_front::hir::Range, body: &Block, span: Span) {
        let (int_ty, s, [start, stop, step]) = self.range_values(r, span);
        let sites = match var {
            Some(v) if self.e.boundscheck => rjit_front::checks::hoistable(self.f, self.typed, v, r, body),
            _ => Vec::new(),
        };
        if sites.is_empty() {
            return self.range_loop(var, int_ty, s, [start, stop, step], body);
        }
        let proven = self.precheck(&sites, s, start, stop);
        let (fast, slow, done) = (self.e.block("for.unchecked"), self.e.block("for.checked"), self.e.block("for.done"));
        let br = self.e.b().build_conditional_branch(proven, fast, slow).unwrap();
        // The checked copy runs only on the way to an index error, or for indices counted from the
        // end: LLVM lays out and allocates registers for the unchecked one.
        self.e.cg.likely(br);
        for (bb, unchecked) in [(fast, true), (slow, false)] {
            self.e.b().position_at_end(bb);
            let saved = std::mem::take(&mut self.proven);
            if unchecked {
                self.proven = sites.iter().map(|site| site.index).collect();
            }
            self.range_loop(var, int_ty, s, [start, stop, step], body);
            self.proven = saved;
            if self.is_open() {
                self.e.b().build_unconditional_branch(done).unwrap();
            }
        }
        self.e.b().position_at_end(done);
    }

    /// Whether every site's index is in bounds in every iteration of `range(start, stop)` (or the
    /// range is empty): each index is monotonic in the loop variable, so its values at the first
    /// and the last iteration bound all the others. Computed in 128 bits, so nothing wraps; the
    /// index's own type must hold both ends too (then its arithmetic in the body wraps nowhere).
    fn precheck(
        &mut self,
        sites: &[Site],
        s: Scalar,
        start: IntValue<'static>,
        stop: IntValue<'static>,
    ) -> IntValue<'static> {
        let i128t = self.e.cg.ctx.i128_type();
        let wide = |cx: &Self, v: IntValue<'static>, signed: bool| {
            if signed {
                cx.e.b().build_int_s_extend(v, i128t, "wide").unwrap()
            } else {
                cx.e.b().build_int_z_extend(v, i128t, "wide").unwrap()
            }
        };
        let ge = if s.is_signed() { IntPredicate::SGE } else { IntPredicate::UGE };
        let empty = self.e.b().build_int_compare(ge, start, stop, "empty").unwrap();
        let first = wide(self, start, s.is_signed());
        let last =
            self.e.b().build_int_sub(wide(self, stop, s.is_signed()), i128t.const_int(1, false), "last").unwrap();
        let mut ok = self.e.cg.ctx.bool_type().const_all_ones();
        for site in sites {
            let t = self.ty(site.index).scalar().expect("checked: integer index");
            let (lo, hi) = match site.form {
                Form::Shifted { offset, minus } => {
                    let c = match offset {
                        Some(o) => {
                            let v = self.expr(o).expect("a literal or a local").into_int_value();
                            wide(self, v, t.is_signed())
                        }
                        None => i128t.const_zero(),
                    };
                    let b = self.e.b();
                    if minus {
                        (b.build_int_sub(first, c, "lo").unwrap(), b.build_int_sub(last, c, "hi").unwrap())
                    } else {
                        (b.build_int_add(first, c, "lo").unwrap(), b.build_int_add(last, c, "hi").unwrap())
                    }
                }
                // Unsigned, so at least 0.
                Form::AtMost { bound } => {
                    let v = self.expr(bound).expect("pure integer arithmetic").into_int_value();
                    (i128t.const_zero(), wide(self, v, false))
                }
            };
            let slot = self.local(site.array);
            let a = self.e.b().build_load(slot, "array").unwrap().into_struct_value();
            let len = wide(self, self.e.dim(a, 1, site.axis), false);
            let max = i128t.const_int(
                if t.is_signed() { (1u64 << (t.bits() - 1)) - 1 } else { u64::MAX >> (64 - t.bits()) },
                false,
            );
            let b = self.e.b();
            let in_type = b.build_int_compare(IntPredicate::SLE, hi, max, "in.type").unwrap();
            let above = b.build_int_compare(IntPredicate::SGE, lo, i128t.const_zero(), "from.zero").unwrap();
            let below = b.build_int_compare(IntPredicate::SLT, hi, len, "below.len").unwrap();
            let site_ok = b.build_and(in_type, b.build_and(above, below, "in").unwrap(), "site.ok").unwrap();
            ok = b.build_and(ok, site_ok, "ok").unwrap();
        }
        self.e.b().build_or(empty, ok, "proven").unwrap()
    }

    /// The loop of `for_range` over values already computed.
    fn range_loop(
        &mut self,
        var: Option<LocalId>,
        int_ty: inkwell::types::IntType<'static>,
        s: Scalar,
        [start, stop, step]: [IntValue<'static>; 3],
        body: &Block,
    ) {
        let signed = s.is_signed();
        let const_step = step.get_sign_extended_constant();
        let counter = self.e.alloca(int_ty.into(), "range.i");
        self.e.b().build_store(counter, start).unwrap();
        let head = self.e.block("for.head");
        let body_bb = self.e.block("for.body");
        let latch = self.e.block("for.latch");
        let exit = self.e.block("for.exit");
        self.e.b().build_unconditional_branch(head).unwrap();
        self.e.b().position_at_end(head);
        let i = self.e.b().build_load(counter, "i").unwrap().into_int_value();
        let (lt, gt) =
            if signed { (IntPredicate::SLT, IntPredicate::SGT) } else { (IntPredicate::ULT, IntPredicate::UGT) };
        let up = self.e.b().build_int_compare(lt, i, stop, "up").unwrap();
        let more = match const_step {
            Some(c) if c > 0 || !signed => up,
            Some(_) => self.e.b().build_int_compare(gt, i, stop, "down").unwrap(),
            None if !signed => up,
            None => {
                let down = self.e.b().build_int_compare(gt, i, stop, "down").unwrap();
                let pos = self.e.b().build_int_compare(IntPredicate::SGT, step, int_ty.const_zero(), "pos").unwrap();
                self.e.b().build_select(pos, up, down, "more").unwrap().into_int_value()
            }
        };
        self.e.b().build_conditional_branch(more, body_bb, exit).unwrap();
        self.e.b().position_at_end(body_bb);
        if let Some(v) = var {
            let slot = self.local(v);
            self.e.b().build_store(slot, i).unwrap();
        }
        self.loops.push((latch, exit));
        self.block(body);
        self.loops.pop();
        if self.is_open() {
            self.e.b().build_unconditional_branch(latch).unwrap();
        }
        self.e.b().position_at_end(latch);
        let i = self.e.b().build_load(counter, "i").unwrap().into_int_value();
        if const_step == Some(1) {
            // `i < stop` held, so `i + 1` cannot wrap.
            let next = self.e.b().build_int_add(i, step, "next").unwrap();
            self.e.b().build_store(counter, next).unwrap();
            let back = self.e.b().build_unconditional_branch(head).unwrap();
            if var.is_some_and(|v| rjit_front::checks::scatters(self.f, v, body)) {
                self.e.cg.unroll(back, SCATTER_UNROLL);
            }
        } else {
            let name = if signed { "llvm.sadd.with.overflow" } else { "llvm.uadd.with.overflow" };
            let f = super::expr::intrinsic(self.e.cg, name, &[int_ty.into()]);
            let r = self.e.b().build_call(f, &[i.into(), step.into()], "next").unwrap();
            let r = r.try_as_basic_value().basic().expect("value").into_struct_value();
            let next = self.e.b().build_extract_value(r, 0, "next").unwrap();
            let wrapped = self.e.b().build_extract_value(r, 1, "wrapped").unwrap().into_int_value();
            self.e.b().build_store(counter, next).unwrap();
            self.e.b().build_conditional_branch(wrapped, exit, head).unwrap();
        }
        self.e.b().position_at_end(exit);
    }
}

/// How many times a loop that adds into computed positions (`rjit_front::checks::scatters`) is
/// unrolled.
const SCATTER_UNROLL: u32 = 8;

/// What is known of a `prange` range at compile time.
#[derive(Clone, Copy)]
struct RangeShape {
    zero_start: bool,
    unit_step: bool,
}

/// The span of a block's first statement (or of its tail), for debug locations.
fn body_span(f: &Function, b: &Block) -> Span {
    let first = b.stmts.first().and_then(stmt_span).or_else(|| b.tail.map(|t| f.expr(t).span));
    first.unwrap_or(f.name_span)
}

/// Where a statement starts.
fn stmt_span(s: &Stmt) -> Option<Span> {
    match s {
        Stmt::OpAssign { span, .. }
        | Stmt::For { span, .. }
        | Stmt::Break(span)
        | Stmt::Continue(span)
        | Stmt::Return(_, span)
        | Stmt::Assert { span, .. }
        | Stmt::Print { span, .. } => Some(*span),
        _ => None,
    }
}
