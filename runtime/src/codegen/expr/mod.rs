//! Lowering expressions: literals, operators with Rust's semantics on same-typed operands
//! (wrapping `+ - *`, checked `/ %`, masked shifts, saturating float→int casts), conversions by the
//! DSL's promotion rules, math functions, and calls to other njit functions.

use super::func::FnCx;
use super::Codegen;
use crate::helpers::kind;
use inkwell::intrinsics::Intrinsic;
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::{BasicValueEnum, FloatValue, FunctionValue, IntValue, StructValue};
use inkwell::{FloatPredicate, IntPredicate};
use rjit_front::builtins::{Alloc, Builtin, Math1, Math2, Method};
use rjit_front::hir::{BinOp, ExprId, ExprKind, UnOp};
use rjit_front::ty::promote;
use rjit_front::{Scalar, Ty};

mod math;

/// An LLVM intrinsic, declared for the given overload types.
pub(crate) fn intrinsic(cg: &Codegen<'_>, name: &str, types: &[BasicTypeEnum<'static>]) -> FunctionValue<'static> {
    Intrinsic::find(name)
        .and_then(|i| i.get_declaration(cg.module, types))
        .unwrap_or_else(|| unreachable!("LLVM 14 has the intrinsic `{name}`"))
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// Lowers an expression to a value of its own type; `None` for `()` or after a diverging branch.
    pub fn expr(&mut self, id: ExprId) -> Option<BasicValueEnum<'static>> {
        let f = self.f;
        let e = f.expr(id);
        let t = self.ty(id);
        match &e.kind {
            ExprKind::Int(v, _) => Some(self.const_num(&t, *v as f64, Some(*v))),
            ExprKind::Float(v, _) => Some(self.const_num(&t, *v, None)),
            ExprKind::Bool(b) => Some(self.e.cg.ctx.bool_type().const_int(u64::from(*b), false).into()),
            ExprKind::Builtin { op: Builtin::Const(v), .. } => Some(self.const_num(&t, *v, None)),
            ExprKind::Local(l) => {
                // The value read is a new reference to the local's arrays.
                let slot = self.local(*l);
                let v = self.e.b().build_load(slot, "load").unwrap();
                self.e.refcount(v, &t, 1);
                Some(v)
            }
            ExprKind::Unary(..) if matches!(t, Ty::Array(_)) => self.elementwise(id),
            ExprKind::Unary(op, inner) => {
                let v = self.expr(*inner)?;
                let from = self.ty(*inner);
                let v = self.coerce(v, &from, &t);
                let s = t.scalar().expect("checked: unary on scalars");
                Some(match op {
                    UnOp::Neg if s.is_int() => self.e.b().build_int_neg(v.into_int_value(), "neg").unwrap().into(),
                    UnOp::Neg if s.is_float() => {
                        self.e.b().build_float_neg(v.into_float_value(), "neg").unwrap().into()
                    }
                    UnOp::Neg => {
                        let (re, im) = self.parts(v);
                        let re = self.e.b().build_float_neg(re, "neg.re").unwrap();
                        let im = self.e.b().build_float_neg(im, "neg.im").unwrap();
                        self.complex(s, re, im)
                    }
                    UnOp::Not => self.e.b().build_not(v.into_int_value(), "not").unwrap().into(),
                })
            }
            ExprKind::Binary(op, l, r) => self.binary(id, *op, *l, *r),
            ExprKind::Cast(inner, to) => {
                let v = self.expr(*inner)?;
                let from = self.ty(*inner).scalar().expect("checked: cast of a scalar");
                Some(self.convert(v, from, *to))
            }
            ExprKind::Index(..) => self.index_expr(id),
            ExprKind::Tuple(items) => {
                let st = self.e.cg.llty(&t).into_struct_type();
                let mut agg = st.get_undef();
                let Ty::Tuple(tys) = &t else { unreachable!() };
                for (i, (item, it)) in items.iter().zip(tys).enumerate() {
                    let v = self.expr(*item)?;
                    let from = self.ty(*item);
                    let v = self.coerce(v, &from, it);
                    agg = self.e.b().build_insert_value(agg, v, i as u32, "tuple").unwrap().into_struct_value();
                }
                Some(agg.into())
            }
            ExprKind::Field(base, n) => {
                let (v, owned) = self.borrow(*base)?;
                let bt = self.ty(*base);
                let Ty::Tuple(items) = &bt else { unreachable!("checked: a field of a tuple") };
                let at = rjit_front::hir::field_position(*n, items.len()).expect("checked: a field of the tuple");
                let field = self.e.b().build_extract_value(v.into_struct_value(), at as u32, "field").unwrap();
                // The field is a new reference; an owned tuple's other fields are dropped.
                self.e.refcount(field, &t, 1);
                self.release(v, &bt, owned);
                Some(field)
            }
            ExprKind::Call { path, args } => self.call(id, path, args),
            ExprKind::Builtin { op, args, .. } => self.builtin(id, *op, args),
            ExprKind::Method { method, recv, args } => self.method(id, *method, *recv, args),
            ExprKind::If { cond, then, els } => {
                let c = self.expr(*cond)?.into_int_value();
                let then_bb = self.e.block("then");
                let else_bb = self.e.block("else");
                let join = self.e.block("endif");
                // `()` has no value, and an `if` whose every branch leaves (`return`, `break`)
                // has none either (its type is the checker's bottom, `_`).
                let slot = (t != Ty::Unit && t != Ty::Unknown).then(|| self.e.alloca(self.e.cg.llty(&t), "if.value"));
                self.e.b().build_conditional_branch(c, then_bb, else_bb).unwrap();
                self.e.b().position_at_end(then_bb);
                if let Some((v, vt)) = self.block(then) {
                    if let Some(slot) = slot {
                        let v = self.coerce(v, &vt, &t);
                        self.e.b().build_store(slot, v).unwrap();
                    }
                }
                if self.is_open() {
                    self.e.b().build_unconditional_branch(join).unwrap();
                }
                self.e.b().position_at_end(else_bb);
                if let Some(x) = els {
                    if let Some(v) = self.expr(*x) {
                        if let Some(slot) = slot {
                            let vt = self.ty(*x);
                            let v = self.coerce(v, &vt, &t);
                            self.e.b().build_store(slot, v).unwrap();
                        }
                    }
                }
                if self.is_open() {
                    self.e.b().build_unconditional_branch(join).unwrap();
                }
                self.e.b().position_at_end(join);
                slot.map(|s| self.e.b().build_load(s, "if.value").unwrap())
            }
            ExprKind::Block(b) => self.block(b).map(|(v, vt)| self.coerce(v, &vt, &t)),
            ExprKind::Error => unreachable!("an erroneous expression reached codegen; are we missing a diagnostic?"),
            ExprKind::Global(_) => unreachable!("run-time lowering gives a module-level constant its frozen value"),
        }
    }

    /// A numeric constant of a scalar type.
    fn const_num(&self, t: &Ty, v: f64, int: Option<u128>) -> BasicValueEnum<'static> {
        let s = t.scalar().unwrap_or_else(|| unreachable!("literal of type `{t}`"));
        let ty = self.e.cg.scalar_ty(s);
        match s {
            s if s.is_int() || s == Scalar::Bool => {
                ty.into_int_type().const_int(int.map_or(v as u64, |i| i as u64), false).into()
            }
            s if s.is_float() => ty.into_float_type().const_float(v).into(),
            s => {
                let part = self.e.cg.scalar_ty(s.real_part()).into_float_type();
                ty.into_struct_type().const_named_struct(&[part.const_float(v).into(), part.const_zero().into()]).into()
            }
        }
    }

    /// Converts a value between DSL types where the checker allowed it (promotion, or the same type).
    pub fn coerce(&mut self, v: BasicValueEnum<'static>, from: &Ty, to: &Ty) -> BasicValueEnum<'static> {
        match (from, to) {
            (Ty::Scalar(a), Ty::Scalar(b)) => self.convert(v, *a, *b),
            (Ty::Tuple(fs), Ty::Tuple(ts)) if fs != ts => {
                let st = self.e.cg.llty(to).into_struct_type();
                let mut agg = st.get_undef();
                for (i, (f, t)) in fs.iter().zip(ts).enumerate() {
                    let part = self.e.b().build_extract_value(v.into_struct_value(), i as u32, "part").unwrap();
                    let part = self.coerce(part, f, t);
                    agg = self.e.b().build_insert_value(agg, part, i as u32, "tuple").unwrap().into_struct_value();
                }
                agg.into()
            }
            _ => v,
        }
    }

    /// `v as to` with Rust's semantics (float → int saturates, NaN → 0).
    pub fn convert(&mut self, v: BasicValueEnum<'static>, from: Scalar, to: Scalar) -> BasicValueEnum<'static> {
        if from == to {
            return v;
        }
        let b = self.e.b();
        let target = self.e.cg.scalar_ty(to);
        if to.is_complex() {
            let part = to.real_part();
            let (re, im) = if from.is_complex() {
                let (re, im) = self.parts(v);
                (self.convert(re.into(), from.real_part(), part), self.convert(im.into(), from.real_part(), part))
            } else {
                (self.convert(v, from, part), self.e.cg.scalar_ty(part).const_zero())
            };
            return self.complex(to, re.into_float_value(), im.into_float_value());
        }
        if from.is_complex() {
            let (re, _) = self.parts(v);
            return self.convert(re.into(), from.real_part(), to);
        }
        if to == Scalar::Bool {
            return if from.is_float() {
                let z = v.into_float_value().get_type().const_zero();
                b.build_float_compare(FloatPredicate::UNE, v.into_float_value(), z, "tobool").unwrap().into()
            } else {
                let z = v.into_int_value().get_type().const_zero();
                b.build_int_compare(IntPredicate::NE, v.into_int_value(), z, "tobool").unwrap().into()
            };
        }
        let from_signed = from.is_signed();
        match (from.is_float(), to.is_float()) {
            (false, false) => {
                let (vi, ti) = (v.into_int_value(), target.into_int_type());
                let (fw, tw) = (vi.get_type().get_bit_width(), ti.get_bit_width());
                if fw == tw {
                    v
                } else if fw > tw {
                    b.build_int_truncate(vi, ti, "trunc").unwrap().into()
                } else if from_signed {
                    b.build_int_s_extend(vi, ti, "sext").unwrap().into()
                } else {
                    b.build_int_z_extend(vi, ti, "zext").unwrap().into()
                }
            }
            (false, true) => {
                let (vi, tf) = (v.into_int_value(), target.into_float_type());
                if from_signed {
                    b.build_signed_int_to_float(vi, tf, "sitofp").unwrap().into()
                } else {
                    b.build_unsigned_int_to_float(vi, tf, "uitofp").unwrap().into()
                }
            }
            (true, false) if self.e.cg.avx512 && to.bits() == 64 && !to.is_signed() && !to.is_complex() => {
                // AVX-512's `vcvtts[sd]2usi` gives the saturated value for every input but NaN and
                // those at or below -1 (`u64::MAX`, where `fptoui.sat` gives 0). Clamping first with
                // `x > 0 ? x : 0` (one `vmaxsd`, which picks 0 for NaN too) leaves only inputs it
                // gets right; LLVM's own lowering takes two compares and a branch.
                let vf = v.into_float_value();
                let zero = vf.get_type().const_float(0.0);
                let above = b.build_float_compare(FloatPredicate::OGT, vf, zero, "above").unwrap();
                let clamped = b.build_select(above, vf, zero, "clamped").unwrap().into_float_value();
                let (name, lanes) = if from == Scalar::F64 {
                    ("llvm.x86.avx512.cvttsd2usi64", 2)
                } else {
                    ("llvm.x86.avx512.cvttss2usi64", 4)
                };
                let vt = vf.get_type().vec_type(lanes);
                let vec = b
                    .build_insert_element(vt.get_undef(), clamped, self.e.cg.ctx.i32_type().const_zero(), "lane")
                    .unwrap();
                let f = intrinsic(self.e.cg, name, &[]);
                // The second operand is the exception control: 4, the current direction (no SAE).
                let sae = self.e.cg.ctx.i32_type().const_int(4, false);
                self.call_value(f, &[vec.into(), sae.into()])
            }
            (true, false) => {
                let name = if to.is_signed() { "llvm.fptosi.sat" } else { "llvm.fptoui.sat" };
                let f = intrinsic(self.e.cg, name, &[target, v.get_type()]);
                self.call_value(f, &[v])
            }
            (true, true) => {
                let (vf, tf) = (v.into_float_value(), target.into_float_type());
                if from.bits() < to.bits() {
                    b.build_float_ext(vf, tf, "fpext").unwrap().into()
                } else {
                    b.build_float_trunc(vf, tf, "fptrunc").unwrap().into()
                }
            }
        }
    }

    pub fn call_value(&self, f: FunctionValue<'static>, args: &[BasicValueEnum<'static>]) -> BasicValueEnum<'static> {
        let args: Vec<_> = args.iter().map(|a| (*a).into()).collect();
        let call = self.e.b().build_call(f, &args, "call").unwrap();
        // Math functions returning floats take the fast-math flags too (`afn`, `nnan`, …).
        self.e.fast(call).try_as_basic_value().basic().expect("a value")
    }

    pub fn parts(&self, v: BasicValueEnum<'static>) -> (FloatValue<'static>, FloatValue<'static>) {
        let s: StructValue = v.into_struct_value();
        let re = self.e.b().build_extract_value(s, 0, "re").unwrap().into_float_value();
        let im = self.e.b().build_extract_value(s, 1, "im").unwrap().into_float_value();
        (re, im)
    }

    pub fn complex(&self, s: Scalar, re: FloatValue<'static>, im: FloatValue<'static>) -> BasicValueEnum<'static> {
        let st = self.e.cg.scalar_ty(s).into_struct_type();
        let b = self.e.b();
        let agg = b.build_insert_value(st.get_undef(), re, 0, "c").unwrap();
        b.build_insert_value(agg, im, 1, "c").unwrap().into_struct_value().into()
    }

    fn binary(&mut self, id: ExprId, op: BinOp, l: ExprId, r: ExprId) -> Option<BasicValueEnum<'static>> {
        if op.is_logical() {
            return self.short_circuit(op, l, r);
        }
        if let Ty::Array(_) = self.ty(id) {
            return self.elementwise(id);
        }
        let lv = self.expr(l)?;
        let rv = self.expr(r)?;
        let (lt, rt) = (self.ty(l), self.ty(r));
        let t = self.ty(id);
        let (ls, rs) = (lt.scalar().expect("scalar"), rt.scalar().expect("scalar"));
        if op.is_shift() {
            let s = t.scalar().expect("scalar");
            let lv = self.convert(lv, ls, s).into_int_value();
            return Some(self.shift(op, lv, rv.into_int_value(), s));
        }
        let operand = if op.is_comparison() {
            promote(ls, rs).expect("checked: comparable")
        } else {
            t.scalar().expect("scalar")
        };
        let lv = self.convert(lv, ls, operand);
        let rv = self.convert(rv, rs, operand);
        let span = self.f.expr(id).span;
        Some(self.scalar_op(op, lv, rv, operand, span))
    }

    fn short_circuit(&mut self, op: BinOp, l: ExprId, r: ExprId) -> Option<BasicValueEnum<'static>> {
        let slot = self.e.alloca(self.e.cg.ctx.bool_type().into(), "logic");
        let lv = self.expr(l)?.into_int_value();
        self.e.b().build_store(slot, lv).unwrap();
        let rhs_bb = self.e.block("logic.rhs");
        let done = self.e.block("logic.done");
        let (on_true, on_false) = if op == BinOp::And { (rhs_bb, done) } else { (done, rhs_bb) };
        self.e.b().build_conditional_branch(lv, on_true, on_false).unwrap();
        self.e.b().position_at_end(rhs_bb);
        if let Some(rv) = self.expr(r) {
            self.e.b().build_store(slot, rv).unwrap();
            self.e.b().build_unconditional_branch(done).unwrap();
        }
        self.e.b().position_at_end(done);
        Some(self.e.b().build_load(slot, "logic").unwrap())
    }

    /// `l << r`, `l >> r` with the amount masked to the width, as Rust's release builds do (the mask
    /// keeps only low bits, so how `r` is widened does not matter).
    pub(crate) fn shift(
        &mut self,
        op: BinOp,
        l: IntValue<'static>,
        r: IntValue<'static>,
        s: Scalar,
    ) -> BasicValueEnum<'static> {
        let ty = l.get_type();
        let r = if r.get_type() != ty { self.e.b().build_int_cast(r, ty, "amt").unwrap() } else { r };
        let mask = ty.const_int(u64::from(ty.get_bit_width() - 1), false);
        let amt = self.e.b().build_and(r, mask, "amt").unwrap();
        let b = self.e.b();
        match op {
            BinOp::Shl => b.build_left_shift(l, amt, "shl").unwrap().into(),
            _ => b.build_right_shift(l, amt, s.is_signed(), "shr").unwrap().into(),
        }
    }

    /// `l op r` on two values of the scalar type `s` (comparisons give `bool`).
    pub fn scalar_op(
        &mut self,
        op: BinOp,
        l: BasicValueEnum<'static>,
        r: BasicValueEnum<'static>,
        s: Scalar,
        span: proc_macro2::Span,
    ) -> BasicValueEnum<'static> {
        if s.is_complex() {
            return self.complex_op(op, l, r, s);
        }
        if s.is_float() {
            let (l, r) = (l.into_float_value(), r.into_float_value());
            let b = self.e.b();
            let f = |v: inkwell::values::FloatValue<'static>| -> BasicValueEnum<'static> { self.e.fast(v).into() };
            let v: BasicValueEnum = match op {
                BinOp::Add => f(b.build_float_add(l, r, "fadd").unwrap()),
                BinOp::Sub => f(b.build_float_sub(l, r, "fsub").unwrap()),
                BinOp::Mul => f(b.build_float_mul(l, r, "fmul").unwrap()),
                BinOp::Div => f(b.build_float_div(l, r, "fdiv").unwrap()),
                BinOp::Rem => f(b.build_float_rem(l, r, "frem").unwrap()),
                cmp => {
                    let p = match cmp {
                        BinOp::Eq => FloatPredicate::OEQ,
                        BinOp::Ne => FloatPredicate::UNE,
                        BinOp::Lt => FloatPredicate::OLT,
                        BinOp::Le => FloatPredicate::OLE,
                        BinOp::Gt => FloatPredicate::OGT,
                        BinOp::Ge => FloatPredicate::OGE,
                        other => unreachable!("`{}` on floats; are we missing a diagnostic?", other.symbol()),
                    };
                    self.e.fast(b.build_float_compare(p, l, r, "fcmp").unwrap()).into()
                }
            };
            return v;
        }
        let (l, r) = (l.into_int_value(), r.into_int_value());
        let signed = s.is_signed();
        if matches!(op, BinOp::Div | BinOp::Rem) {
            let site = self.e.site(span, "");
            let zero = l.get_type().const_zero();
            let z = self.e.i64c(0);
            let is_zero = self.e.b().build_int_compare(IntPredicate::EQ, r, zero, "divzero").unwrap();
            self.e.fail_if(is_zero, site, kind::DIV_ZERO, [z, z, z]);
            if signed {
                let bits = l.get_type().get_bit_width();
                let min = l.get_type().const_int(1u64 << (bits - 1), false);
                let minus1 = l.get_type().const_all_ones();
                let b = self.e.b();
                let a = b.build_int_compare(IntPredicate::EQ, l, min, "ismin").unwrap();
                let c = b.build_int_compare(IntPredicate::EQ, r, minus1, "ism1").unwrap();
                let ovf = b.build_and(a, c, "overflow").unwrap();
                self.e.fail_if(ovf, site, kind::OVERFLOW, [z, z, z]);
            }
        }
        let b = self.e.b();
        let v: BasicValueEnum = match op {
            BinOp::Add => b.build_int_add(l, r, "add").unwrap().into(),
            BinOp::Sub => b.build_int_sub(l, r, "sub").unwrap().into(),
            BinOp::Mul => b.build_int_mul(l, r, "mul").unwrap().into(),
            BinOp::Div if signed => b.build_int_signed_div(l, r, "sdiv").unwrap().into(),
            BinOp::Div => b.build_int_unsigned_div(l, r, "udiv").unwrap().into(),
            BinOp::Rem if signed => b.build_int_signed_rem(l, r, "srem").unwrap().into(),
            BinOp::Rem => b.build_int_unsigned_rem(l, r, "urem").unwrap().into(),
            BinOp::BitAnd => b.build_and(l, r, "and").unwrap().into(),
            BinOp::BitOr => b.build_or(l, r, "or").unwrap().into(),
            BinOp::BitXor => b.build_xor(l, r, "xor").unwrap().into(),
            cmp => {
                let p = match (cmp, signed) {
                    (BinOp::Eq, _) => IntPredicate::EQ,
                    (BinOp::Ne, _) => IntPredicate::NE,
                    (BinOp::Lt, true) => IntPredicate::SLT,
                    (BinOp::Le, true) => IntPredicate::SLE,
                    (BinOp::Gt, true) => IntPredicate::SGT,
                    (BinOp::Ge, true) => IntPredicate::SGE,
                    (BinOp::Lt, false) => IntPredicate::ULT,
                    (BinOp::Le, false) => IntPredicate::ULE,
                    (BinOp::Gt, false) => IntPredicate::UGT,
                    (BinOp::Ge, false) => IntPredicate::UGE,
                    (other, _) => unreachable!("`{}` on integers", other.symbol()),
                };
                b.build_int_compare(p, l, r, "icmp").unwrap().into()
            }
        };
        v
    }

    fn complex_op(
        &mut self,
        op: BinOp,
        l: BasicValueEnum<'static>,
        r: BasicValueEnum<'static>,
        s: Scalar,
    ) -> BasicValueEnum<'static> {
        let (a, bi) = self.parts(l);
        let (c, d) = self.parts(r);
        let b = self.e.b();
        let (re, im) = match op {
            BinOp::Add => (b.build_float_add(a, c, "re").unwrap(), b.build_float_add(bi, d, "im").unwrap()),
            BinOp::Sub => (b.build_float_sub(a, c, "re").unwrap(), b.build_float_sub(bi, d, "im").unwrap()),
            BinOp::Mul => {
                let ac = b.build_float_mul(a, c, "ac").unwrap();
                let bd = b.build_float_mul(bi, d, "bd").unwrap();
                let ad = b.build_float_mul(a, d, "ad").unwrap();
                let bc = b.build_float_mul(bi, c, "bc").unwrap();
                (b.build_float_sub(ac, bd, "re").unwrap(), b.build_float_add(ad, bc, "im").unwrap())
            }
            BinOp::Div => {
                let cc = b.build_float_mul(c, c, "cc").unwrap();
                let dd = b.build_float_mul(d, d, "dd").unwrap();
                let den = b.build_float_add(cc, dd, "den").unwrap();
                let ac = b.build_float_mul(a, c, "ac").unwrap();
                let bd = b.build_float_mul(bi, d, "bd").unwrap();
                let bc = b.build_float_mul(bi, c, "bc").unwrap();
                let ad = b.build_float_mul(a, d, "ad").unwrap();
                let re = b.build_float_add(ac, bd, "re").unwrap();
                let im = b.build_float_sub(bc, ad, "im").unwrap();
                (b.build_float_div(re, den, "re").unwrap(), b.build_float_div(im, den, "im").unwrap())
            }
            BinOp::Eq | BinOp::Ne => {
                let eq = op == BinOp::Eq;
                let p = if eq { FloatPredicate::OEQ } else { FloatPredicate::UNE };
                let x = b.build_float_compare(p, a, c, "re").unwrap();
                let y = b.build_float_compare(p, bi, d, "im").unwrap();
                return if eq {
                    b.build_and(x, y, "eq").unwrap().into()
                } else {
                    b.build_or(x, y, "ne").unwrap().into()
                };
            }
            other => unreachable!("`{}` on complex numbers; are we missing a diagnostic?", other.symbol()),
        };
        self.complex(s, re, im)
    }

    fn call(&mut self, id: ExprId, path: &str, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let sig =
            self.typed.calls.get(&id).cloned().unwrap_or_else(|| unreachable!("call to `{path}` without a signature"));
        let mut vals = vec![self.e.env.into()];
        let mut owned_args = Vec::new();
        for (a, p) in args.iter().zip(&sig.params) {
            let (v, owned) = self.borrow(*a)?;
            let from = self.ty(*a);
            owned_args.push((v, from.clone(), owned));
            vals.push(self.coerce(v, &from, p).into());
        }
        let callee = crate::specialize::find_callee(self.e.kernel, path);
        let (f, _, fails) = match self.e.cg.function_fallible(callee, &sig.params) {
            Ok(x) => x,
            Err(e) => unreachable!("the callee was checked with these types already: {e}"),
        };
        let r = self.e.b().build_call(f, &vals, "call").unwrap().try_as_basic_value().basic();
        if fails {
            self.e.check_status();
        }
        // Arguments are lent to the callee, which takes its own references to what it keeps.
        for (v, t, owned) in owned_args {
            self.release(v, &t, owned);
        }
        r
    }

    fn method(&mut self, id: ExprId, m: Method, recv: ExprId, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let t = self.ty(id);
        let rt = self.ty(recv);
        if let Ty::Array(at) = rt {
            if let (Method::Reduce(r), true) = (m, self.is_elementwise(recv)) {
                return self.fused_reduce(id, r, recv);
            }
            let (v, owned) = self.borrow(recv)?;
            let out = match m {
                Method::Fill => {
                    let x = self.scalar_arg(args[0], &Ty::Scalar(at.elem))?;
                    self.fill(v.into_struct_value(), &at, x);
                    None
                }
                Method::Shuffle => {
                    self.shuffle(v.into_struct_value(), &at);
                    None
                }
                Method::Sort => {
                    self.sort_lanes(v.into_struct_value(), &at, None);
                    None
                }
                // A view of a C-contiguous array takes over an owned receiver's reference, or adds
                // one to a borrowed one; a copy is new.
                Method::Reshape if at.layout == rjit_front::Layout::C => {
                    let view = self.reshape(id, v.into_struct_value(), &at, args[0])?;
                    if !owned {
                        self.e.refcount(view.into(), &t, 1);
                    }
                    return Some(view.into());
                }
                Method::Reshape => self.reshape(id, v.into_struct_value(), &at, args[0]).map(Into::into),
                Method::Dot => {
                    let (b, b_owned) = self.borrow(args[0])?;
                    let bt = self.ty(args[0]);
                    let out = self.dot(id, v, &rt, b, &bt);
                    self.release(b, &bt, b_owned);
                    Some(out)
                }
                // A view: takes over an owned receiver's reference, or adds one to a borrowed one.
                // `ravel` of a 1-D array is the array itself, read-only.
                Method::T | Method::Ravel if m == Method::T || at.ndim == 1 => {
                    let view = self.array_method(id, m, v, &rt);
                    if !owned {
                        self.e.refcount(view, &t, 1);
                    }
                    return Some(view);
                }
                _ => Some(self.array_method(id, m, v, &rt)),
            };
            self.release(v, &rt, owned);
            return out;
        }
        let s = t.scalar().expect("scalar");
        match m {
            Method::Math1(m1) => {
                let v = self.scalar_arg(recv, &t)?;
                Some(self.math1(m1, v, s))
            }
            Method::Abs => {
                let v = self.expr(recv)?;
                Some(self.abs(v, rt.scalar().expect("scalar")))
            }
            Method::MinWith | Method::MaxWith => {
                let a = self.scalar_arg(recv, &t)?;
                let b = self.scalar_arg(args[0], &t)?;
                let max = m == Method::MaxWith;
                if s.is_float() {
                    if self.nan.expr(self.f, self.typed, recv) {
                        return Some(self.min_max_never_nan(max, a, b, true));
                    }
                    if self.nan.expr(self.f, self.typed, args[0]) {
                        return Some(self.min_max_never_nan(max, a, b, false));
                    }
                }
                Some(self.min_max(max, a, b, s, false))
            }
            Method::Powi => {
                let a = self.scalar_arg(recv, &t)?;
                let n = self.expr(args[0])?;
                let ns = self.ty(args[0]).scalar().expect("scalar");
                let n = self.convert(n, ns, Scalar::I32);
                let f = intrinsic(self.e.cg, "llvm.powi", &[a.get_type(), n.get_type()]);
                Some(self.call_value(f, &[a, n]))
            }
            Method::Re | Method::Im | Method::Conj => {
                let v = self.expr(recv)?;
                let rs = rt.scalar().expect("scalar");
                if !rs.is_complex() {
                    // A real number: its real part is itself, its imaginary part zero.
                    return Some(match m {
                        Method::Im => self.e.cg.scalar_ty(rs).const_zero(),
                        _ => v,
                    });
                }
                let (re, im) = self.parts(v);
                Some(match m {
                    Method::Re => re.into(),
                    Method::Im => im.into(),
                    _ => {
                        let neg = self.e.b().build_float_neg(im, "conj").unwrap();
                        self.complex(rs, re, neg)
                    }
                })
            }
            Method::Powf => {
                let a = self.scalar_arg(recv, &t)?;
                let b = self.scalar_arg(args[0], &t)?;
                let f = intrinsic(self.e.cg, "llvm.pow", &[a.get_type()]);
                Some(self.call_value(f, &[a, b]))
            }
            other => unreachable!("method {other:?} on a scalar; are we missing a diagnostic?"),
        }
    }
}
