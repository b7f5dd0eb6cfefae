//! Fused element-wise array expressions.
//!
//! A tree of element-wise operations (`a * k + b - 1.0`, `np.sqrt(np.abs(a)) + np.exp(-a)`,
//! `np.where(a > 0.0, a, 0.0)`) compiles to one loop that computes the whole tree for each element:
//! only its leaves (locals, views, calls, scalars: anything not element-wise) are evaluated
//! beforehand, and only the result is allocated. An in-place update (`y += x * a`) writes the tree
//! straight into its target, unless a leaf overlaps the target in memory, in which case the right
//! side is materialized first, as NumPy does. Shapes broadcast as in NumPy; when every leaf is
//! C-contiguous with the result's shape, the loop is one flat loop that LLVM vectorizes.

use super::array::for_each;
use super::func::FnCx;
use inkwell::types::BasicType;
use inkwell::values::{BasicValueEnum, PointerValue, StructValue};
use proc_macro2::Span;
use rjit_front::builtins::{Builtin, Reduce};
use rjit_front::hir::{BinOp, ExprId, ExprKind, UnOp};
use rjit_front::ty::promote;
use rjit_front::{ArrayTy, Layout, Scalar, Ty};

/// The shape of a fused tree: operations, and leaves by their index among the leaves.
pub(crate) enum Node {
    Leaf(usize),
    Op(ExprId, Vec<Node>),
}

/// A value the loop reads: an array (broadcast to the result) or a scalar (the same each time).
pub(crate) struct Leaf {
    value: BasicValueEnum<'static>,
    ty: Ty,
    owned: bool,
}

fn elem_of(t: &Ty) -> Scalar {
    match t {
        Ty::Array(a) => a.elem,
        t => t.scalar().unwrap_or_else(|| unreachable!("an element-wise operand of type `{t}`")),
    }
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// Whether an expression is computed element by element, and so fuses into its parent's loop.
    pub fn is_elementwise(&self, id: ExprId) -> bool {
        rjit_front::fusion::is_elementwise(self.f, self.typed, id)
    }

    fn operands(&self, id: ExprId) -> Vec<ExprId> {
        match &self.f.expr(id).kind {
            ExprKind::Binary(_, l, r) => vec![*l, *r],
            ExprKind::Unary(_, x) => vec![*x],
            ExprKind::Builtin { args, .. } => args.clone(),
            _ => unreachable!("not an element-wise expression"),
        }
    }

    /// Walks the element-wise tree under `id`, evaluating its leaves once, in order.
    fn fuse_tree(&mut self, id: ExprId, leaves: &mut Vec<Leaf>) -> Option<Node> {
        if !self.is_elementwise(id) {
            let (value, owned) = self.borrow(id)?;
            leaves.push(Leaf { value, ty: self.ty(id), owned });
            return Some(Node::Leaf(leaves.len() - 1));
        }
        let mut kids = Vec::new();
        for c in self.operands(id) {
            kids.push(self.fuse_tree(c, leaves)?);
        }
        Some(Node::Op(id, kids))
    }

    /// One element of the tree, from the elements of its leaves (each in its own type).
    fn eval_node(&mut self, node: &Node, xs: &[BasicValueEnum<'static>]) -> BasicValueEnum<'static> {
        match node {
            Node::Leaf(i) => xs[*i],
            Node::Op(id, kids) => {
                let vals: Vec<BasicValueEnum<'static>> = kids.iter().map(|k| self.eval_node(k, xs)).collect();
                self.apply_elementwise(*id, &vals)
            }
        }
    }

    /// The operation of element-wise node `id` on one element of each operand.
    fn apply_elementwise(&mut self, id: ExprId, x: &[BasicValueEnum<'static>]) -> BasicValueEnum<'static> {
        let out = self.ty(id).array().expect("an element-wise result").elem;
        let elems: Vec<Scalar> = self.operands(id).iter().map(|c| elem_of(&self.ty(*c))).collect();
        let span = self.f.expr(id).span;
        match &self.f.expr(id).kind {
            ExprKind::Binary(op, ..) => {
                let (op, ls, rs) = (*op, elems[0], elems[1]);
                if op.is_shift() {
                    let lv = self.convert(x[0], ls, out).into_int_value();
                    return self.shift(op, lv, x[1].into_int_value(), out);
                }
                let operand = if op.is_comparison() { promote(ls, rs).expect("checked: comparable") } else { out };
                let a = self.convert(x[0], ls, operand);
                let b = self.convert(x[1], rs, operand);
                self.scalar_op(op, a, b, operand, span)
            }
            ExprKind::Unary(op, _) => match op {
                UnOp::Neg if out.is_int() => self.e.b().build_int_neg(x[0].into_int_value(), "neg").unwrap().into(),
                UnOp::Neg if out.is_float() => {
                    self.e.b().build_float_neg(x[0].into_float_value(), "neg").unwrap().into()
                }
                UnOp::Neg => {
                    let (re, im) = self.parts(x[0]);
                    let re = self.e.b().build_float_neg(re, "neg.re").unwrap();
                    let im = self.e.b().build_float_neg(im, "neg.im").unwrap();
                    self.complex(out, re, im)
                }
                UnOp::Not => self.e.b().build_not(x[0].into_int_value(), "not").unwrap().into(),
            },
            ExprKind::Builtin { op, .. } => match *op {
                Builtin::Math1(m) => {
                    let v = self.convert(x[0], elems[0], out);
                    self.math1(m, v, out)
                }
                Builtin::Abs => self.abs(x[0], elems[0]),
                Builtin::Math2(m) => {
                    let a = self.convert(x[0], elems[0], out);
                    let b = self.convert(x[1], elems[1], out);
                    self.math2(m, a, b, out, span)
                }
                Builtin::Test(test) => self.test(test, x[0], elems[0]),
                Builtin::Where => {
                    let a = self.convert(x[1], elems[1], out);
                    let b = self.convert(x[2], elems[2], out);
                    self.e.b().build_select(x[0].into_int_value(), a, b, "where").unwrap()
                }
                Builtin::Dtype(to) => self.convert(x[0], elems[0], to),
                _ => unreachable!("not element-wise"),
            },
            _ => unreachable!("not element-wise"),
        }
    }

    /// Loops over `target`'s elements with each array leaf broadcast to its shape, giving the body
    /// a pointer into the target and the leaves' elements. In a `parallel` function, a large target
    /// is split by rows across the pool (`par.rs`), each chunk running the serial loop on its rows.
    fn fused_loop(
        &mut self,
        target: (StructValue<'static>, ArrayTy),
        leaves: &[Leaf],
        span: Span,
        body: &mut dyn FnMut(&mut Self, PointerValue<'static>, &[BasicValueEnum<'static>]),
    ) {
        if !self.may_split() {
            return self.fused_loop_serial(target, leaves, span, body);
        }
        let (out, out_t) = target;
        let shape = self.e.shape(out, &out_t);
        let size = self.e.size(out, &out_t);
        // Shapes are checked against the whole target, so a mismatch reports the real sizes.
        let site = self.e.site(span, "");
        for l in leaves {
            if let Ty::Array(at) = &l.ty {
                self.e.broadcast_to(l.value.into_struct_value(), at, &shape, site);
            }
        }
        let values: Vec<(BasicValueEnum<'static>, Ty)> = std::iter::once((out.into(), Ty::Array(out_t)))
            .chain(leaves.iter().map(|l| (l.value, l.ty.clone())))
            .collect();
        let rows = shape[0];
        self.if_worth_splitting(size, rows, &mut |cx, split| {
            if !split {
                return cx.fused_loop_serial(target, leaves, span, body);
            }
            cx.split_rows("fused", &values, rows, &mut |cx, vals, lo, hi, _| {
                let whole = vals[0].into_struct_value();
                let rows = cx.e.dim(whole, 1, 0);
                let part = cx.slice_rows(whole, out_t, out_t.ndim, rows, lo, hi);
                let parts = cx.slice_leaves(leaves, &vals[1..], out_t.ndim, rows, lo, hi);
                cx.fused_loop_serial(part, &parts, span, body);
            });
        });
    }

    /// The loop of [`fused_loop`](Self::fused_loop) on this thread: one flat loop when every array
    /// is C-contiguous with the target's shape, nested loops over broadcast views otherwise.
    fn fused_loop_serial(
        &mut self,
        target: (StructValue<'static>, ArrayTy),
        leaves: &[Leaf],
        span: Span,
        body: &mut dyn FnMut(&mut Self, PointerValue<'static>, &[BasicValueEnum<'static>]),
    ) {
        let site = self.e.site(span, "");
        let (out, out_t) = target;
        let shape = self.e.shape(out, &out_t);
        let arrays: Vec<(StructValue<'static>, ArrayTy)> =
            leaves.iter().filter_map(|l| l.ty.array().map(|at| (l.value.into_struct_value(), at))).collect();
        let mut views = vec![target];
        for (a, at) in &arrays {
            views.push(self.e.broadcast_to(*a, at, &shape, site));
        }
        let kinds: Vec<Option<Scalar>> = leaves.iter().map(|l| l.ty.array().map(|a| a.elem)).collect();
        let scalars: Vec<BasicValueEnum<'static>> = leaves.iter().map(|l| l.value).collect();
        let mut each = |cx: &mut Self, p: &[PointerValue<'static>]| {
            let mut next = 1;
            let xs: Vec<BasicValueEnum<'static>> = kinds
                .iter()
                .zip(&scalars)
                .map(|(k, v)| match k {
                    Some(e) => {
                        next += 1;
                        cx.e.load_elem(p[next - 1], *e)
                    }
                    None => *v,
                })
                .collect();
            body(cx, p[0], &xs);
        };
        let flat_possible =
            out_t.layout == Layout::C && arrays.iter().all(|(_, at)| at.layout == Layout::C && at.ndim == out_t.ndim);
        if flat_possible {
            let same = self.e.all_shaped(&arrays, &shape);
            let (flat_bb, general_bb, done_bb) =
                (self.e.block("flat"), self.e.block("general"), self.e.block("fused.done"));
            self.e.b().build_conditional_branch(same, flat_bb, general_bb).unwrap();
            self.e.b().position_at_end(flat_bb);
            let mut flat = vec![target];
            flat.extend(arrays.iter().copied());
            for_each(self, &flat, &mut each);
            self.e.b().build_unconditional_branch(done_bb).unwrap();
            self.e.b().position_at_end(general_bb);
            for_each(self, &views, &mut each);
            self.e.b().build_unconditional_branch(done_bb).unwrap();
            self.e.b().position_at_end(done_bb);
        } else {
            for_each(self, &views, &mut each);
        }
    }

    fn release_leaves(&mut self, leaves: Vec<Leaf>) {
        for l in leaves {
            self.release(l.value, &l.ty, l.owned);
        }
    }

    /// An element-wise expression: its leaves, the broadcast shape, one result, one loop.
    pub fn elementwise(&mut self, id: ExprId) -> Option<BasicValueEnum<'static>> {
        let out_t = self.ty(id).array().expect("an element-wise result");
        let mut leaves = Vec::new();
        let tree = self.fuse_tree(id, &mut leaves)?;
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let arrays: Vec<(StructValue<'static>, ArrayTy)> =
            leaves.iter().filter_map(|l| l.ty.array().map(|at| (l.value.into_struct_value(), at))).collect();
        let shape = self.e.broadcast_shape(&arrays, out_t.ndim, site);
        let out = self.e.alloc(out_t.elem, &shape, false, site);
        let c_out = ArrayTy { layout: Layout::C, ..out_t };
        self.fused_loop((out, c_out), &leaves, span, &mut |cx, p, xs| {
            let v = cx.eval_node(&tree, xs);
            cx.e.store_elem(p, v, out_t.elem);
        });
        self.release_leaves(leaves);
        Some(out.into())
    }

    /// `a op= value` on an array, where `value` is an element-wise tree: fused into `a` directly,
    /// unless one of its array leaves overlaps `a` (then the tree is computed first, as NumPy does).
    /// Any other `value` (a local, a call, a scalar) is a tree of one leaf.
    pub fn fused_in_place(&mut self, op: BinOp, a: StructValue<'static>, at: &ArrayTy, value: ExprId, span: Span) {
        let mut leaves = Vec::new();
        let Some(tree) = self.fuse_tree(value, &mut leaves) else { return };
        let vt = Ty::Scalar(elem_of(&self.ty(value)));
        let elem_t = Ty::Scalar(at.elem);
        let mut overlap = self.e.cg.ctx.bool_type().const_zero();
        for l in &leaves {
            if let Ty::Array(lt) = &l.ty {
                let o = self.e.overlaps((a, at), (l.value.into_struct_value(), lt));
                overlap = self.e.b().build_or(overlap, o, "overlap").unwrap();
            }
        }
        let (safe_bb, direct_bb, done_bb) =
            (self.e.block("inplace.safe"), self.e.block("inplace.direct"), self.e.block("inplace.done"));
        self.e.b().build_conditional_branch(overlap, safe_bb, direct_bb).unwrap();
        // Overlapping: the right side first, into its own array, then combined element by element.
        self.e.b().position_at_end(safe_bb);
        let site = self.e.site(span, "");
        let shape = self.e.shape(a, at);
        let out_t = ArrayTy { elem: vt.scalar().expect("scalar"), ndim: at.ndim, layout: Layout::C, mutable: true };
        let tmp = self.e.alloc(out_t.elem, &shape, false, site);
        self.fused_loop((tmp, out_t), &leaves, span, &mut |cx, p, xs| {
            let v = cx.eval_node(&tree, xs);
            cx.e.store_elem(p, v, out_t.elem);
        });
        let temp_leaf = [Leaf { value: tmp.into(), ty: Ty::Array(out_t), owned: true }];
        self.fused_loop((a, *at), &temp_leaf, span, &mut |cx, p, xs| {
            let cur = cx.e.load_elem(p, at.elem);
            let r = cx.combine(op, cur, &elem_t, xs[0], &vt, span);
            cx.e.store_elem(p, r, at.elem);
        });
        self.e.refcount(tmp.into(), &Ty::Array(out_t), -1);
        self.e.b().build_unconditional_branch(done_bb).unwrap();
        // Disjoint: straight into `a`.
        self.e.b().position_at_end(direct_bb);
        self.fused_loop((a, *at), &leaves, span, &mut |cx, p, xs| {
            let v = cx.eval_node(&tree, xs);
            let cur = cx.e.load_elem(p, at.elem);
            let r = cx.combine(op, cur, &elem_t, v, &vt, span);
            cx.e.store_elem(p, r, at.elem);
        });
        self.e.b().build_unconditional_branch(done_bb).unwrap();
        self.e.b().position_at_end(done_bb);
        self.release_leaves(leaves);
    }

    /// A reduction of an element-wise tree (`(a * b).sum()`, `np.max(np.abs(a - b))`): the tree is
    /// computed element by element inside the reduction's loop, with no array in between. Split
    /// across the pool like any fused loop in a `parallel` function, the chunks' partial results
    /// combined in chunk order.
    pub fn fused_reduce(&mut self, id: ExprId, r: Reduce, root: ExprId) -> Option<BasicValueEnum<'static>> {
        let rt = self.ty(root).array().expect("an element-wise array");
        let out = self.ty(id).scalar().expect("a reduction gives a number");
        let acc_s = r.accumulator(rt.elem, out);
        let acc_t = self.e.cg.scalar_ty(acc_s);
        let mut leaves = Vec::new();
        let tree = self.fuse_tree(root, &mut leaves)?;
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let arrays: Vec<(StructValue<'static>, ArrayTy)> =
            leaves.iter().filter_map(|l| l.ty.array().map(|at| (l.value.into_struct_value(), at))).collect();
        let shape = self.e.broadcast_shape(&arrays, rt.ndim, site);
        // A target that only gives the loop its shape: nothing is read or written through it.
        let target_t = ArrayTy { layout: Layout::C, mutable: true, ..rt };
        let data = self.e.cg.mem_ty(rt.elem).ptr_type(inkwell::AddressSpace::default()).const_null();
        let strides = super::array::c_strides(&self.e, &shape);
        let target = self.e.descriptor(data, &shape, &strides, self.e.cg.i8_ptr().const_null(), &target_t);
        let size = self.e.size(target, &target_t);
        if matches!(r, Reduce::Min | Reduce::Max) {
            let empty = self.e.b().build_int_compare(inkwell::IntPredicate::EQ, size, self.e.i64c(0), "empty").unwrap();
            let z = self.e.i64c(0);
            self.e.fail_if(empty, site, crate::helpers::kind::EMPTY, [z, z, z]);
        }
        let total = if self.may_split() {
            let slot = self.e.alloca(acc_t, "total");
            let rows = shape[0];
            let values: Vec<(BasicValueEnum<'static>, Ty)> = std::iter::once((target.into(), Ty::Array(target_t)))
                .chain(leaves.iter().map(|l| (l.value, l.ty.clone())))
                .collect();
            self.if_worth_splitting(size, rows, &mut |cx, split| {
                let v = if split {
                    let (partials, chunks) =
                        cx.split_rows("reduce", &values, rows, &mut |cx, vals, lo, hi, partial| {
                            let whole = vals[0].into_struct_value();
                            let rows = cx.e.dim(whole, 1, 0);
                            let part = cx.slice_rows(whole, target_t, target_t.ndim, rows, lo, hi);
                            let parts = cx.slice_leaves(&leaves, &vals[1..], target_t.ndim, rows, lo, hi);
                            let v = cx.fused_reduce_loop(part, &parts, &tree, r, rt.elem, acc_s, span);
                            let p =
                                cx.e.b()
                                    .build_pointer_cast(
                                        partial,
                                        acc_t.ptr_type(inkwell::AddressSpace::default()),
                                        "partial",
                                    )
                                    .unwrap();
                            cx.e.b().build_store(p, v).unwrap();
                        });
                    cx.combine_partials(partials, chunks, acc_t, &mut |cx, a, b| cx.reduce_step(r, a, b, acc_s, span))
                } else {
                    cx.fused_reduce_loop((target, target_t), &leaves, &tree, r, rt.elem, acc_s, span)
                };
                cx.e.b().build_store(slot, v).unwrap();
            });
            self.e.b().build_load(slot, "total").unwrap()
        } else {
            self.fused_reduce_loop((target, target_t), &leaves, &tree, r, rt.elem, acc_s, span)
        };
        self.release_leaves(leaves);
        if r == Reduce::Mean {
            let n = self.convert(size.into(), Scalar::I64, acc_s);
            return Some(self.scalar_op(BinOp::Div, total, n, acc_s, span));
        }
        Some(total)
    }

    /// The serial loop of a fused reduction over `target`'s shape.
    #[allow(clippy::too_many_arguments)]
    fn fused_reduce_loop(
        &mut self,
        target: (StructValue<'static>, ArrayTy),
        leaves: &[Leaf],
        tree: &Node,
        r: Reduce,
        elem: Scalar,
        acc_s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        use rjit_front::prange::RedOp;
        let op = match r {
            Reduce::Sum | Reduce::Mean => RedOp::Add,
            Reduce::Prod => RedOp::Mul,
            Reduce::Min => RedOp::Min,
            Reduce::Max => RedOp::Max,
        };
        let acc = self.e.alloca(self.e.cg.scalar_ty(acc_s), "acc");
        let id = self.identity(op, acc_s);
        self.e.b().build_store(acc, id).unwrap();
        self.fused_loop_serial(target, leaves, span, &mut |cx, _, xs| {
            let v = cx.eval_node(tree, xs);
            let v = cx.convert(v, elem, acc_s);
            let cur = cx.e.b().build_load(acc, "acc").unwrap();
            let next = cx.reduce_step(r, cur, v, acc_s, span);
            cx.e.b().build_store(acc, next).unwrap();
        });
        self.e.b().build_load(acc, "acc").unwrap()
    }

    /// The leaves of a fused loop as a chunk of rows `lo..hi` sees them.
    fn slice_leaves(
        &mut self,
        leaves: &[Leaf],
        vals: &[BasicValueEnum<'static>],
        ndim: u8,
        rows: inkwell::values::IntValue<'static>,
        lo: inkwell::values::IntValue<'static>,
        hi: inkwell::values::IntValue<'static>,
    ) -> Vec<Leaf> {
        leaves
            .iter()
            .zip(vals)
            .map(|(l, v)| match &l.ty {
                Ty::Array(at) => {
                    let (s, st) = self.slice_rows(v.into_struct_value(), *at, ndim, rows, lo, hi);
                    Leaf { value: s.into(), ty: Ty::Array(st), owned: false }
                }
                t => Leaf { value: *v, ty: t.clone(), owned: false },
            })
            .collect()
    }
}
