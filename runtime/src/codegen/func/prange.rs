//! `prange` loops: the body outlined into a chunk function the pool calls, the private
//! locals and reductions handed in and combined after, in the order of the chunks.

use super::*;

impl<'a, 'm> FnCx<'a, 'm> {
    /// A `prange` loop in a `parallel` function: the body is outlined, run by the runtime over fixed
    /// chunks on the thread pool, and its reductions combined in chunk order.
    pub(crate) fn prange(&mut self, var: Option<LocalId>, r: &rjit_front::hir::Range, body: &Block, span: Span) {
        let (int_ty, s, [start, stop, step]) = self.range_values(r, span);
        let wide = |cx: &mut Self, v: IntValue<'static>| {
            cx.convert(v.into(), s, if s.is_signed() { Scalar::I64 } else { Scalar::U64 }).into_int_value()
        };
        let (a, b, c) = (wide(self, start), wide(self, stop), wide(self, step));
        let trip = self.e.range_count(a, b, c, s.is_signed());
        let zero = self.e.i64c(0);

        let mut ignored = Vec::new();
        let info = rjit_front::prange::analyze(self.f, self.typed, var, body, false, &mut ignored);
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
        let partials = self
            .e
            .alloca(self.e.cg.ctx.i8_type().array_type((crate::pool::MAX_CHUNKS * red_size) as u32).into(), "partials");
        crate::codegen::split::align_16(partials.as_instruction());
        let array_reductions = info.reductions.iter().any(|(l, _)| matches!(self.typed.local(*l), Ty::Array(_)));
        let max_chunks =
            if array_reductions { crate::pool::MAX_ARRAY_REDUCTION_CHUNKS } else { crate::pool::MAX_CHUNKS };
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
    pub(crate) fn combine_array_partial(
        &mut self,
        op: rjit_front::prange::RedOp,
        l: LocalId,
        at: ArrayTy,
        p: PointerValue<'static>,
        span: Span,
    ) {
        use rjit_front::hir::BinOp;
        use rjit_front::prange::RedOp;
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
    pub(crate) fn reduction_copy(
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

    pub(crate) fn combine_reduction(
        &mut self,
        op: rjit_front::prange::RedOp,
        a: BasicValueEnum<'static>,
        b: BasicValueEnum<'static>,
        s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        use rjit_front::hir::BinOp;
        use rjit_front::prange::RedOp;
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
    pub(crate) fn identity(&self, op: rjit_front::prange::RedOp, s: Scalar) -> BasicValueEnum<'static> {
        use rjit_front::prange::RedOp;
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
    pub(crate) fn outline(
        &mut self,
        var: Option<LocalId>,
        body: &Block,
        shared: &[LocalId],
        info: &rjit_front::prange::Prange,
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
    pub(crate) fn counted_body(
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
}
