//! Indexing: lowering the positions of `a[…]` (checked integers, clamped ranges), element
//! pointers, views, assignment into views and element-wise in-place updates.

use super::*;

/// One lowered position of `a[…]`: a checked index, or a range's start and length.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    At(IntValue<'static>),
    Range(IntValue<'static>, IntValue<'static>),
}

impl Part {
    pub(crate) fn start(&self) -> IntValue<'static> {
        match self {
            Part::At(i) | Part::Range(i, _) => *i,
        }
    }
}

impl<'m> Codegen<'m> {
    pub(crate) fn fns_root(&self) -> &'static crate::desc::FnDesc {
        self.root_kernel()
    }
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// Each position of `a[…]`, lowered: an integer checked against its axis, or a range clamped
    /// to it as NumPy clamps slices (negative bounds count from the end).
    pub(crate) fn index_parts(&mut self, id: ExprId) -> Option<(StructValue<'static>, ArrayTy, Vec<Part>, bool)> {
        let ExprKind::Index(base, args) = &self.f.expr(id).kind else { unreachable!("an index expression") };
        let (a, owned) = self.borrow(*base)?;
        let a = a.into_struct_value();
        let at = self.ty(*base).array().expect("checked: indexing an array");
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let mut parts = Vec::new();
        for (k, arg) in args.iter().enumerate() {
            let len = self.e.dim(a, 1, k as u32);
            parts.push(match arg {
                IndexArg::At(ix) => {
                    let v = self.expr(*ix)?.into_int_value();
                    let s = self.ty(*ix).scalar().expect("checked: integer index");
                    if self.proven.contains(ix) {
                        // In `0..len` in every iteration of the enclosing loop (its precheck held).
                        Part::At(self.convert(v.into(), s, Scalar::I64).into_int_value())
                    } else {
                        Part::At(self.e.checked_index(v, s, len, k as u32, site))
                    }
                }
                IndexArg::Range(lo, hi) => {
                    let lo = match lo {
                        Some(x) => self.slice_bound(*x, len)?,
                        None => self.e.i64c(0),
                    };
                    let hi = match hi {
                        Some(x) => self.slice_bound(*x, len)?,
                        None => len,
                    };
                    let b = self.e.b();
                    let empty = b.build_int_compare(IntPredicate::SLT, hi, lo, "empty").unwrap();
                    let n = b.build_int_sub(hi, lo, "n").unwrap();
                    let n = b.build_select(empty, self.e.i64c(0), n, "n").unwrap().into_int_value();
                    Part::Range(lo, n)
                }
            });
        }
        Some((a, at, parts, owned))
    }

    /// A slice bound: negative counts from the end; the result is clamped to `0..=len`.
    pub(crate) fn slice_bound(&mut self, x: ExprId, len: IntValue<'static>) -> Option<IntValue<'static>> {
        let v = self.expr(x)?;
        let s = self.ty(x).scalar().expect("checked: integer bound");
        let v = self.convert(v, s, if s.is_signed() { Scalar::I64 } else { Scalar::U64 }).into_int_value();
        let b = self.e.b();
        let zero = self.e.i64c(0);
        let v = if s.is_signed() {
            let neg = b.build_int_compare(IntPredicate::SLT, v, zero, "neg").unwrap();
            let from_end = b.build_int_add(v, len, "from_end").unwrap();
            let v = b.build_select(neg, from_end, v, "bound").unwrap().into_int_value();
            let below = b.build_int_compare(IntPredicate::SLT, v, zero, "below").unwrap();
            b.build_select(below, zero, v, "bound").unwrap().into_int_value()
        } else {
            v
        };
        let above = b.build_int_compare(IntPredicate::UGT, v, len, "above").unwrap();
        Some(b.build_select(above, len, v, "bound").unwrap().into_int_value())
    }

    /// The address of the element a full index names (a place being assigned), and the array to
    /// release once the element is stored (when the indexed value was a temporary).
    pub fn element_ptr(
        &mut self,
        id: ExprId,
    ) -> (PointerValue<'static>, Scalar, Option<(StructValue<'static>, ArrayTy)>) {
        let (a, at, parts, owned) = self.index_parts(id).expect("an index has a value");
        let idx: Vec<IntValue<'static>> = parts.iter().map(|p| p.start()).collect();
        (self.e.elem_at(a, &at, &idx), at.elem, owned.then_some((a, at)))
    }

    /// Drops the reference `element_ptr` handed back, if any.
    pub fn release_guard(&mut self, guard: Option<(StructValue<'static>, ArrayTy)>) {
        if let Some((a, at)) = guard {
            self.e.refcount(a.into(), &Ty::Array(at), -1);
        }
    }

    /// Stores the element `element_ptr` gave for the index expression `ix`.
    pub fn store_elem_of(&mut self, ix: ExprId, p: PointerValue<'static>, v: BasicValueEnum<'static>, elem: Scalar) {
        let store = self.e.store_elem(p, v, elem);
        self.tag_access(ix, Some(store));
    }

    /// Marks a load or store of an element of the index expression `ix` with what is known of the
    /// buffer its array reaches (`codegen::alias`).
    pub fn tag_access(&self, ix: ExprId, access: Option<InstructionValue<'static>>) {
        if let ExprKind::Index(base, _) = &self.f.expr(ix).kind {
            self.alias.tag(self.f, self.typed, *base, access);
        }
    }

    /// `a[…]`: an element when every axis is indexed by an integer, else a view.
    pub fn index_expr(&mut self, id: ExprId) -> Option<BasicValueEnum<'static>> {
        let (a, at, parts, owned) = self.index_parts(id)?;
        let t = self.ty(id);
        match t {
            Ty::Array(vt) => {
                // A view of an owned array takes over its reference; of a borrowed one, adds one.
                let v = self.view(a, &at, &parts, &vt);
                if !owned {
                    self.e.refcount(v.into(), &t, 1);
                }
                Some(v.into())
            }
            _ => {
                let idx: Vec<IntValue<'static>> = parts.iter().map(|p| p.start()).collect();
                let p = self.e.elem_at(a, &at, &idx);
                let (x, load) = self.e.load_elem_inst(p, at.elem);
                self.tag_access(id, load);
                self.release(a.into(), &Ty::Array(at), owned);
                Some(x)
            }
        }
    }

    /// The view `a[parts]`: integer positions drop their axis, ranges keep it with their length.
    pub fn view(
        &mut self,
        a: StructValue<'static>,
        at: &ArrayTy,
        parts: &[Part],
        vt: &ArrayTy,
    ) -> StructValue<'static> {
        let strides = self.e.strides(a, at);
        let shape = self.e.shape(a, at);
        let n = usize::from(at.ndim);
        let starts: Vec<IntValue<'static>> = (0..n).map(|k| parts.get(k).map_or(self.e.i64c(0), Part::start)).collect();
        let data = self.e.elem_at(a, at, &starts);
        let (mut dims, mut steps) = (Vec::new(), Vec::new());
        for k in 0..n {
            match parts.get(k) {
                Some(Part::At(_)) => {}
                Some(Part::Range(_, len)) => {
                    dims.push(*len);
                    steps.push(strides[k]);
                }
                None => {
                    dims.push(shape[k]);
                    steps.push(strides[k]);
                }
            }
        }
        let m = self.e.meminfo(a);
        self.e.descriptor(data, &dims, &steps, m, vt)
    }

    /// `a[…] = x` where `a[…]` is a view: fills it with a scalar, or copies an array of its shape
    /// (through a temporary when the two overlap in memory, so `a[1..] = a[..n - 1]` shifts as NumPy does).
    pub fn assign_view(&mut self, ix: ExprId, v: BasicValueEnum<'static>, vt: &Ty, span: Span) {
        let view_t = self.ty(ix).array().expect("a view");
        let (a, at, parts, owned) = self.index_parts(ix).expect("an index has a value");
        let view = self.view(a, &at, &parts, &view_t);
        self.assign_into(view, view_t, v, vt, span);
        self.release(a.into(), &Ty::Array(at), owned);
    }

    pub(crate) fn assign_into(
        &mut self,
        view: StructValue<'static>,
        view_t: ArrayTy,
        v: BasicValueEnum<'static>,
        vt: &Ty,
        span: Span,
    ) {
        let elem = view_t.elem;
        match vt {
            Ty::Array(bt) => {
                let site = self.e.site(span, "");
                let shape = self.e.shape(view, &view_t);
                let (mut b, mut bt) = self.e.broadcast_to(v.into_struct_value(), bt, &shape, site);
                let overlap = self.e.overlaps((view, &view_t), (b, &bt));
                let (copy_bb, go_bb) = (self.e.block("copy.temp"), self.e.block("copy.go"));
                let slot = self.e.alloca(self.e.cg.array_ty(&bt).into(), "source");
                self.e.b().build_store(slot, b).unwrap();
                self.e.b().build_conditional_branch(overlap, copy_bb, go_bb).unwrap();
                self.e.b().position_at_end(copy_bb);
                let shape = self.e.shape(b, &bt);
                let tmp = self.e.alloc(bt.elem, &shape, false, site);
                let c_bt = ArrayTy { layout: Layout::C, ..bt };
                for_each(self, &[(b, bt), (tmp, c_bt)], &mut |cx, p| {
                    let x = cx.e.b().build_load(p[0], "x").unwrap();
                    cx.e.b().build_store(p[1], x).unwrap();
                });
                // The temporary has the source's element type and layout C; as `Any` it fits the slot.
                let tmp_any = self.e.descriptor(
                    self.e.data(tmp),
                    &shape,
                    &self.e.strides(tmp, &c_bt),
                    self.e.meminfo(tmp),
                    &ArrayTy { layout: Layout::Any, ..bt },
                );
                self.e.b().build_store(slot, tmp_any).unwrap();
                self.e.b().build_unconditional_branch(go_bb).unwrap();
                self.e.b().position_at_end(go_bb);
                b = self.e.b().build_load(slot, "source").unwrap().into_struct_value();
                bt.layout = Layout::Any;
                let bs = bt.elem;
                for_each(self, &[(view, view_t), (b, bt)], &mut |cx, p| {
                    let x = cx.e.load_elem(p[1], bs);
                    let x = cx.convert(x, bs, elem);
                    cx.e.store_elem(p[0], x, elem);
                });
            }
            t => {
                let x = self.coerce(v, t, &Ty::Scalar(elem));
                for_each(self, &[(view, view_t)], &mut |cx, p| {
                    cx.e.store_elem(p[0], x, elem);
                });
            }
        }
    }

    /// `place op= value`, on a scalar variable, an element, or a whole array in place.
    pub fn op_assign(&mut self, op: BinOp, place: &Place, value: ExprId, span: Span) {
        // An array target: one fused loop over the right side's tree, no temporary.
        match place {
            Place::Local(l, _) if matches!(self.typed.local(*l), Ty::Array(_)) => {
                let at = self.typed.local(*l).array().expect("array");
                let slot = self.local(*l);
                let a = self.e.b().build_load(slot, "array").unwrap().into_struct_value();
                self.fused_in_place(op, a, &at, value, span);
                return;
            }
            Place::Index(ix) if matches!(self.ty(*ix), Ty::Array(_)) => {
                let vt = self.ty(*ix).array().expect("array");
                let Some((a, at, parts, owned)) = self.index_parts(*ix) else { return };
                let view = self.view(a, &at, &parts, &vt);
                self.fused_in_place(op, view, &vt, value, span);
                self.release(a.into(), &Ty::Array(at), owned);
                return;
            }
            _ => {}
        }
        let Some((v, v_owned)) = self.borrow(value) else { return };
        let vt = self.ty(value);
        self.op_assign_value(op, place, v, &vt, span);
        self.release(v, &vt, v_owned);
    }

    pub(crate) fn op_assign_value(
        &mut self,
        op: BinOp,
        place: &Place,
        v: BasicValueEnum<'static>,
        vt: &Ty,
        span: Span,
    ) {
        let vt = vt.clone();
        match place {
            Place::Local(l, _) => {
                let lt = self.typed.local(*l).clone();
                let slot = self.local(*l);
                if let Ty::Array(at) = lt {
                    let a = self.e.b().build_load(slot, "array").unwrap().into_struct_value();
                    self.in_place(op, a, &at, v, &vt, span);
                    return;
                }
                let cur = self.e.b().build_load(slot, "cur").unwrap();
                let r = self.combine(op, cur, &lt, v, &vt, span);
                self.e.b().build_store(slot, r).unwrap();
            }
            Place::Index(ix) => {
                let t = self.ty(*ix);
                if let Ty::Array(vt_arr) = t {
                    let (a, at, parts, owned) = self.index_parts(*ix).expect("value");
                    let view = self.view(a, &at, &parts, &vt_arr);
                    self.in_place(op, view, &vt_arr, v, &vt, span);
                    self.release(a.into(), &Ty::Array(at), owned);
                    return;
                }
                let (p, elem, guard) = self.element_ptr(*ix);
                let (cur, load) = self.e.load_elem_inst(p, elem);
                self.tag_access(*ix, load);
                let r = self.combine(op, cur, &Ty::Scalar(elem), v, &vt, span);
                self.store_elem_of(*ix, p, r, elem);
                self.release_guard(guard);
            }
            Place::Tuple(..) => unreachable!("compound assignment to a tuple; are we missing a diagnostic?"),
        }
    }

    /// `cur op v`, stored back as `cur`'s type.
    pub(crate) fn combine(
        &mut self,
        op: BinOp,
        cur: BasicValueEnum<'static>,
        ct: &Ty,
        v: BasicValueEnum<'static>,
        vt: &Ty,
        span: Span,
    ) -> BasicValueEnum<'static> {
        let cs = ct.scalar().expect("scalar");
        let vs = vt.scalar().expect("scalar");
        if op.is_shift() {
            let amt = v.into_int_value();
            let l = cur.into_int_value();
            let ty = l.get_type();
            let amt = if amt.get_type() != ty { self.e.b().build_int_cast(amt, ty, "amt").unwrap() } else { amt };
            let mask = ty.const_int(u64::from(ty.get_bit_width() - 1), false);
            let amt = self.e.b().build_and(amt, mask, "amt").unwrap();
            return match op {
                BinOp::Shl => self.e.b().build_left_shift(l, amt, "shl").unwrap().into(),
                _ => self.e.b().build_right_shift(l, amt, cs.is_signed(), "shr").unwrap().into(),
            };
        }
        let common = rjit_front::ty::promote(cs, vs).expect("checked: operands combine");
        let a = self.convert(cur, cs, common);
        let b = self.convert(v, vs, common);
        let r = self.scalar_op(op, a, b, common, span);
        self.convert(r, common, cs)
    }

    pub(crate) fn in_place(
        &mut self,
        op: BinOp,
        a: StructValue<'static>,
        at: &ArrayTy,
        v: BasicValueEnum<'static>,
        vt: &Ty,
        span: Span,
    ) {
        let elem_t = Ty::Scalar(at.elem);
        match vt {
            Ty::Array(bt) => {
                let b = v.into_struct_value();
                let site = self.e.site(span, "");
                let bs = Ty::Scalar(bt.elem);
                let mut body = |cx: &mut Self, p: &[PointerValue<'static>]| {
                    let cur = cx.e.load_elem(p[0], at.elem);
                    let x = cx.e.load_elem(p[1], bt.elem);
                    let r = cx.combine(op, cur, &elem_t, x, &bs, span);
                    cx.e.store_elem(p[0], r, at.elem);
                };
                self.pairwise(a, *at, b, *bt, site, &mut body);
            }
            _ => {
                let mut body = |cx: &mut Self, p: &[PointerValue<'static>]| {
                    let cur = cx.e.load_elem(p[0], at.elem);
                    let r = cx.combine(op, cur, &elem_t, v, vt, span);
                    cx.e.store_elem(p[0], r, at.elem);
                };
                for_each(self, &[(a, *at)], &mut body);
            }
        }
    }

    /// Visits `a`'s elements with the matching element of `b` broadcast to `a`'s shape: one flat
    /// loop when both are C-contiguous with equal shapes, nested loops otherwise.
    pub(crate) fn pairwise(
        &mut self,
        a: StructValue<'static>,
        at: ArrayTy,
        b: StructValue<'static>,
        bt: ArrayTy,
        site: PointerValue<'static>,
        body: &mut dyn FnMut(&mut Self, &[PointerValue<'static>]),
    ) {
        let shape = self.e.shape(a, &at);
        let (bb, bbt) = self.e.broadcast_to(b, &bt, &shape, site);
        if at.layout == Layout::C && bt.layout == Layout::C && at.ndim == bt.ndim {
            let same = self.e.all_shaped(&[(b, bt)], &shape);
            let (flat_bb, general_bb, done_bb) =
                (self.e.block("flat"), self.e.block("general"), self.e.block("pairwise.done"));
            self.e.b().build_conditional_branch(same, flat_bb, general_bb).unwrap();
            self.e.b().position_at_end(flat_bb);
            for_each(self, &[(a, at), (b, bt)], body);
            self.e.b().build_unconditional_branch(done_bb).unwrap();
            self.e.b().position_at_end(general_bb);
            for_each(self, &[(a, at), (bb, bbt)], body);
            self.e.b().build_unconditional_branch(done_bb).unwrap();
            self.e.b().position_at_end(done_bb);
        } else {
            for_each(self, &[(a, at), (bb, bbt)], body);
        }
    }
}
