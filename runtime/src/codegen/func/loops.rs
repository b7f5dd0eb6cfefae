//! Serial loops: `for` over ranges and arrays, their index checks made once before the loop
//! where the first and last iterations imply them, and the unrolling of scatter loops.

use super::*;

impl<'a, 'm> FnCx<'a, 'm> {
    /// The range's start, stop and step in its integer type, after the zero-step check.
    pub(crate) fn range_values(
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
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// `for x in a`: `x` is `a[i]` for each `i` along the first axis.
    pub(crate) fn for_in(&mut self, var: Option<LocalId>, array: ExprId, body: &Block) {
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
                    let row: BasicValueEnum<'static> =
                        cx.view(a, &at, &[crate::codegen::array::Part::At(i)], vt).into();
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
    pub(crate) fn for_range(&mut self, var: Option<LocalId>, r: &rjit_front::hir::Range, body: &Block, span: Span) {
        let (int_ty, s, [start, stop, step]) = self.range_values(r, span);
        let sites = match var {
            Some(v) if self.e.boundscheck => rjit_front::loop_facts::hoistable(self.f, self.typed, v, r, body),
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
    pub(crate) fn precheck(
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
    pub(crate) fn range_loop(
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
            if var.is_some_and(|v| rjit_front::loop_facts::scatters(self.f, v, body)) {
                self.e.cg.unroll(back, SCATTER_UNROLL);
            }
        } else {
            let name = if signed { "llvm.sadd.with.overflow" } else { "llvm.uadd.with.overflow" };
            let f = crate::codegen::expr::intrinsic(self.e.cg, name, &[int_ty.into()]);
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

/// How many times a loop that adds into computed positions (`rjit_front::loop_facts::scatters`) is
/// unrolled.
pub(crate) const SCATTER_UNROLL: u32 = 8;
