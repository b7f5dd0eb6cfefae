//! Lowering one function body: locals, statements and control flow.
//!
//! `Emitter` is the low-level part any generated function needs (allocas, failing with an error,
//! counted loops, reading the status after a call); `FnCx` adds the body's locals, loops and types.

use super::array::has_arrays;
use super::{Codegen, Parsed};
use crate::desc::FnDesc;
use crate::error::Error;
use crate::helpers::kind;
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::types::BasicType;
use inkwell::types::BasicTypeEnum;
use inkwell::values::{BasicValueEnum, FunctionValue, IntValue, PointerValue};
use inkwell::IntPredicate;
use proc_macro2::Span;
use rjit_front::hir::{Block, ExprId, ExprKind, Function, LocalId, Pat, Place, Stmt};
use rjit_front::loop_facts::{Form, Site};
use rjit_front::prange::RedOp;
use rjit_front::ty::{ArrayTy, Layout};
use rjit_front::{Scalar, Ty, Typed};

mod emitter;
mod prange;
mod loops;
pub(crate) use emitter::*;

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
        boundscheck: p.kernel.options.boundscheck,
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
    if p.kernel.options.parallel {
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
            cx.e.fail_if(bad, site, crate::helpers::kind::OVERLAP, [zero, zero, zero]);
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
                if *parallel && self.e.kernel.options.parallel && !self.in_prange {
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
}

/// What is known of a `prange` range at compile time.
#[derive(Clone, Copy)]
pub(crate) struct RangeShape {
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
