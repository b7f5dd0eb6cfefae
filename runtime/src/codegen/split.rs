//! Whole-array work on the thread pool in `#[njit(parallel)]` functions.
//!
//! Outside a `prange` body, a fused element-wise loop or a reduction over at least
//! [`MIN_SPLIT_ELEMS`](crate::pool::MIN_SPLIT_ELEMS) elements is split along its first axis into
//! the same fixed chunks `prange` uses: the loop is emitted a second time into an outlined function
//! that gets its operands back from a context block, slices them to its rows and runs the serial
//! loop on the slices. A reduction's chunks write their partial results, combined in chunk order, so
//! the result is the same whatever the number of threads. Smaller arrays take the serial loop.

use super::func::{counted_loop, FnCx};
use inkwell::types::{BasicType, BasicTypeEnum};
use inkwell::values::{BasicValueEnum, InstructionValue, IntValue, PointerValue, StructValue};
use inkwell::{AddressSpace, IntPredicate};
use rjit_front::{ArrayTy, Layout, Ty};

/// A chunk's body: the values given to [`FnCx::split_rows`] (as the outlined function sees them),
/// its rows `lo..hi`, and its 16-byte slot for a partial result.
pub(crate) type ChunkBody<'b, 'a, 'm> = dyn FnMut(&mut FnCx<'a, 'm>, &[BasicValueEnum<'static>], IntValue<'static>, IntValue<'static>, PointerValue<'static>)
    + 'b;

impl<'a, 'm> FnCx<'a, 'm> {
    /// Whether array work here may be split across the pool: a `parallel` function, outside a
    /// `prange` body (where it already runs on the pool).
    pub(crate) fn may_split(&self) -> bool {
        self.e.kernel.options.parallel && !self.in_prange()
    }

    /// Branches on whether an array of `size` elements and `rows` rows is worth splitting and
    /// emits `emit(cx, split)` on each side; both continue at one block.
    pub(crate) fn if_worth_splitting(
        &mut self,
        size: IntValue<'static>,
        rows: IntValue<'static>,
        emit: &mut dyn FnMut(&mut Self, bool),
    ) {
        let b = self.e.b();
        let big =
            b.build_int_compare(IntPredicate::SGE, size, self.e.i64c(crate::pool::MIN_SPLIT_ELEMS), "big").unwrap();
        let many = b.build_int_compare(IntPredicate::SGE, rows, self.e.i64c(2), "rows").unwrap();
        let go = b.build_and(big, many, "split").unwrap();
        let (split_bb, serial_bb, done_bb) =
            (self.e.block("split"), self.e.block("serial"), self.e.block("split.done"));
        self.e.b().build_conditional_branch(go, split_bb, serial_bb).unwrap();
        for (bb, split) in [(split_bb, true), (serial_bb, false)] {
            self.e.b().position_at_end(bb);
            emit(self, split);
            self.e.b().build_unconditional_branch(done_bb).unwrap();
        }
        self.e.b().position_at_end(done_bb);
    }

    /// Runs `body` over `rows` rows in fixed chunks on the pool. `body` is emitted into an outlined
    /// function `void(env, ctx, lo, hi, partial)`, which loads `values` back from the context.
    /// Returns the partial-result slots (16 bytes per chunk) and the number of chunks.
    pub(crate) fn split_rows(
        &mut self,
        name: &str,
        values: &[(BasicValueEnum<'static>, Ty)],
        rows: IntValue<'static>,
        body: &mut ChunkBody<'_, 'a, 'm>,
    ) -> (PointerValue<'static>, IntValue<'static>) {
        let c = self.e.cg.ctx;
        let i8p = self.e.cg.i8_ptr();
        let tys: Vec<BasicTypeEnum<'static>> = values.iter().map(|(_, t)| self.e.cg.llty(t)).collect();
        let ctx_ty = c.struct_type(&tys, false);
        let ctx = self.e.alloca(ctx_ty.into(), "split.ctx");
        for (k, (v, _)) in values.iter().enumerate() {
            let p = self.e.b().build_struct_gep(ctx, k as u32, "ctx.field").unwrap();
            self.e.b().build_store(p, *v).unwrap();
        }
        // The outlined chunk, emitted by this same context with its function swapped.
        let fn_ty = c
            .void_type()
            .fn_type(&[i8p.into(), i8p.into(), c.i64_type().into(), c.i64_type().into(), i8p.into()], false);
        let fn_name = format!("{}.{name}", self.e.llfn.get_name().to_string_lossy());
        let llfn = self.e.cg.module.add_function(&fn_name, fn_ty, Some(inkwell::module::Linkage::Internal));
        let saved = self.enter_function(llfn);
        let raw_ctx = llfn.get_nth_param(1).expect("ctx").into_pointer_value();
        let typed_ctx =
            self.e.b().build_pointer_cast(raw_ctx, ctx_ty.ptr_type(AddressSpace::default()), "ctx").unwrap();
        let loaded: Vec<BasicValueEnum<'static>> = (0..values.len())
            .map(|k| {
                let p = self.e.b().build_struct_gep(typed_ctx, k as u32, "ctx.field").unwrap();
                self.e.b().build_load(p, "value").unwrap()
            })
            .collect();
        let lo = llfn.get_nth_param(2).expect("lo").into_int_value();
        let hi = llfn.get_nth_param(3).expect("hi").into_int_value();
        let partial = llfn.get_nth_param(4).expect("partial").into_pointer_value();
        body(self, &loaded, lo, hi, partial);
        self.e.b().build_return(None).unwrap();
        self.leave_function(saved);

        let partials = self.e.alloca(c.i8_type().array_type((crate::pool::MAX_CHUNKS * 16) as u32).into(), "partials");
        align_16(partials.as_instruction());
        let b = self.e.b();
        let max = self.e.i64c(crate::pool::MAX_CHUNKS);
        let few = b.build_int_compare(IntPredicate::SLT, rows, max, "few").unwrap();
        let chunks = b.build_select(few, rows, max, "chunks").unwrap().into_int_value();
        let driver = self.e.cg.helper("rjit_prange");
        let body_ptr = b.build_pointer_cast(llfn.as_global_value().as_pointer_value(), i8p, "body").unwrap();
        let ctx_ptr = b.build_pointer_cast(ctx, i8p, "ctx").unwrap();
        let partials = b.build_pointer_cast(partials, i8p, "partials").unwrap();
        let args = [
            self.e.env.into(),
            body_ptr.into(),
            ctx_ptr.into(),
            rows.into(),
            chunks.into(),
            partials.into(),
            self.e.i64c(16).into(),
        ];
        self.e.b().build_call(driver, &args, "").unwrap();
        self.e.check_status();
        (partials, chunks)
    }

    /// `a[lo..hi]` along the first axis when `a` spans all `rows` of the loop on that axis; `a`
    /// unchanged when it is broadcast along it (fewer axes than `ndim`, or one row). A sliced
    /// C-contiguous array stays C-contiguous; a sliced Fortran-order one becomes strided.
    pub(crate) fn slice_rows(
        &mut self,
        a: StructValue<'static>,
        at: ArrayTy,
        ndim: u8,
        rows: IntValue<'static>,
        lo: IntValue<'static>,
        hi: IntValue<'static>,
    ) -> (StructValue<'static>, ArrayTy) {
        if at.ndim != ndim {
            return (a, at);
        }
        let mut shape = self.e.shape(a, &at);
        let strides = self.e.strides(a, &at);
        let b = self.e.b();
        let spans = b.build_int_compare(IntPredicate::EQ, shape[0], rows, "spans").unwrap();
        let skip = b.build_int_mul(lo, strides[0], "skip").unwrap();
        let off = b.build_select(spans, skip, self.e.i64c(0), "off").unwrap().into_int_value();
        let len = b.build_int_sub(hi, lo, "len").unwrap();
        shape[0] = b.build_select(spans, len, shape[0], "rows").unwrap().into_int_value();
        let data = unsafe { b.build_in_bounds_gep(self.e.data(a), &[off], "rows.data") }.unwrap();
        let t = ArrayTy { layout: if at.layout == Layout::F && at.ndim > 1 { Layout::Any } else { at.layout }, ..at };
        let m = self.e.meminfo(a);
        (self.e.descriptor(data, &shape, &strides, m, &t), t)
    }

    /// Combines the chunks' partial results in chunk order: `step(cur, next)`, starting from chunk
    /// 0's. Each partial is a value of `ty` at the start of its 16-byte slot.
    pub(crate) fn combine_partials(
        &mut self,
        partials: PointerValue<'static>,
        chunks: IntValue<'static>,
        ty: BasicTypeEnum<'static>,
        step: &mut dyn FnMut(&mut Self, BasicValueEnum<'static>, BasicValueEnum<'static>) -> BasicValueEnum<'static>,
    ) -> BasicValueEnum<'static> {
        let at = |cx: &mut Self, c: IntValue<'static>| {
            let off = cx.e.b().build_int_mul(c, cx.e.i64c(16), "off").unwrap();
            let p = unsafe { cx.e.b().build_in_bounds_gep(partials, &[off], "partial") }.unwrap();
            let p = cx.e.b().build_pointer_cast(p, ty.ptr_type(AddressSpace::default()), "partial").unwrap();
            cx.e.b().build_load(p, "part").unwrap()
        };
        let acc = self.e.alloca(ty, "combined");
        let first = at(self, self.e.i64c(0));
        self.e.b().build_store(acc, first).unwrap();
        let rest = self.e.b().build_int_sub(chunks, self.e.i64c(1), "rest").unwrap();
        counted_loop(self, rest, &mut |cx, i| {
            let c = cx.e.b().build_int_add(i, cx.e.i64c(1), "chunk").unwrap();
            let part = at(cx, c);
            let cur = cx.e.b().build_load(acc, "cur").unwrap();
            let next = step(cx, cur, part);
            cx.e.b().build_store(acc, next).unwrap();
        });
        self.e.b().build_load(acc, "combined").unwrap()
    }
}

/// Aligns a stack slot of partial results for any scalar stored in it.
pub(crate) fn align_16(alloca: Option<InstructionValue<'static>>) {
    if let Some(i) = alloca {
        i.set_alignment(16).expect("an alloca takes an alignment");
    }
}
