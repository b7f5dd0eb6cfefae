//! Arrays in generated code: descriptors `{ data, shape, strides }`, checked indexing, row views,
//! loops over every element (one flat loop when all operands are C-contiguous, so LLVM can
//! vectorize it; nested loops in C order otherwise), allocation, reductions, in-place updates, and
//! handing a returned array over to Rust.
//!
//! Strides are in elements. A C- or F-layout array's strides are recomputed from its shape rather
//! than read, which tells LLVM that the innermost stride is 1.

use super::func::{counted_loop, Emit, Emitter, FnCx};
use super::Codegen;
use crate::helpers::kind;
use inkwell::types::BasicType;
use inkwell::values::{
    BasicValue, BasicValueEnum, FunctionValue, InstructionValue, IntValue, PointerValue, StructValue,
};
use inkwell::{AddressSpace, AtomicOrdering, AtomicRMWBinOp, IntPredicate};
use proc_macro2::Span;
use rjit_front::builtins::{Alloc, Method, Random, Reduce};
use rjit_front::hir::{BinOp, ExprId, ExprKind, IndexArg, Place};
use rjit_front::{ArrayTy, Layout, Scalar, Ty};

mod abi;
mod index;
mod construct;
mod reduce;
mod reshape;
mod sort;
pub(crate) use abi::*;
pub(crate) use index::*;

impl<'a, 'm> Emitter<'a, 'm> {
    pub fn data(&self, a: StructValue<'static>) -> PointerValue<'static> {
        self.b().build_extract_value(a, 0, "data").unwrap().into_pointer_value()
    }

    pub fn dim(&self, a: StructValue<'static>, field: u32, k: u32) -> IntValue<'static> {
        let arr = self.b().build_extract_value(a, field, "dims").unwrap().into_array_value();
        self.b().build_extract_value(arr, k, "dim").unwrap().into_int_value()
    }

    pub fn shape(&self, a: StructValue<'static>, at: &ArrayTy) -> Vec<IntValue<'static>> {
        (0..u32::from(at.ndim)).map(|k| self.dim(a, 1, k)).collect()
    }

    /// The strides in elements: read for `Any`, computed from the shape for C and F.
    pub fn strides(&self, a: StructValue<'static>, at: &ArrayTy) -> Vec<IntValue<'static>> {
        let n = usize::from(at.ndim);
        let shape = self.shape(a, at);
        let mut out = vec![self.i64c(1); n];
        match at.layout {
            Layout::Any => return (0..n as u32).map(|k| self.dim(a, 2, k)).collect(),
            Layout::C => {
                for k in (0..n.saturating_sub(1)).rev() {
                    out[k] = self.b().build_int_mul(out[k + 1], shape[k + 1], "stride").unwrap();
                }
            }
            Layout::F => {
                for k in 1..n {
                    out[k] = self.b().build_int_mul(out[k - 1], shape[k - 1], "stride").unwrap();
                }
            }
        }
        out
    }

    /// Tells LLVM what every array's shape satisfies: no dimension exceeds `isize::MAX`. Index
    /// checks against a dimension then read as signed or unsigned alike, which lets LLVM take them
    /// out of loops.
    pub fn assume_shape(&self, a: StructValue<'static>, at: &ArrayTy) {
        let assume = super::expr::intrinsic(self.cg, "llvm.assume", &[]);
        for d in self.shape(a, at) {
            let ok = self.b().build_int_compare(IntPredicate::SGE, d, self.i64c(0), "dim.ok").unwrap();
            self.b().build_call(assume, &[ok.into()], "").unwrap();
        }
    }

    pub fn size(&self, a: StructValue<'static>, at: &ArrayTy) -> IntValue<'static> {
        let mut n = self.i64c(1);
        for d in self.shape(a, at) {
            n = self.b().build_int_mul(n, d, "size").unwrap();
        }
        n
    }

    /// The address of the element at `idx` (already checked).
    pub fn elem_at(&self, a: StructValue<'static>, at: &ArrayTy, idx: &[IntValue<'static>]) -> PointerValue<'static> {
        let strides = self.strides(a, at);
        let mut off = self.i64c(0);
        for (i, s) in idx.iter().zip(&strides) {
            let t = self.b().build_int_mul(*i, *s, "off").unwrap();
            off = self.b().build_int_add(off, t, "off").unwrap();
        }
        unsafe { self.b().build_in_bounds_gep(self.data(a), &[off], "elem") }.unwrap()
    }

    pub fn load_elem(&self, p: PointerValue<'static>, elem: Scalar) -> BasicValueEnum<'static> {
        self.load_elem_inst(p, elem).0
    }

    /// [`load_elem`](Self::load_elem), and the load instruction (for metadata).
    pub fn load_elem_inst(
        &self,
        p: PointerValue<'static>,
        elem: Scalar,
    ) -> (BasicValueEnum<'static>, Option<InstructionValue<'static>>) {
        let v = self.b().build_load(p, "elem").unwrap();
        let load = v.as_instruction_value();
        if elem == Scalar::Bool {
            let z = self.cg.ctx.i8_type().const_zero();
            return (self.b().build_int_compare(IntPredicate::NE, v.into_int_value(), z, "bool").unwrap().into(), load);
        }
        (v, load)
    }

    /// Stores an element; returns the store instruction (for metadata).
    pub fn store_elem(
        &self,
        p: PointerValue<'static>,
        v: BasicValueEnum<'static>,
        elem: Scalar,
    ) -> InstructionValue<'static> {
        let v = if elem == Scalar::Bool {
            self.b().build_int_z_extend(v.into_int_value(), self.cg.ctx.i8_type(), "byte").unwrap().into()
        } else {
            v
        };
        self.b().build_store(p, v).unwrap()
    }

    /// Converts an index to `i64`, counts a negative signed index from the end, and checks it.
    pub fn checked_index(
        &mut self,
        v: IntValue<'static>,
        s: Scalar,
        len: IntValue<'static>,
        axis: u32,
        site: PointerValue<'static>,
    ) -> IntValue<'static> {
        let i64t = self.cg.i64();
        let raw = if v.get_type().get_bit_width() == 64 {
            v
        } else if s.is_signed() {
            self.b().build_int_s_extend(v, i64t, "idx").unwrap()
        } else {
            self.b().build_int_z_extend(v, i64t, "idx").unwrap()
        };
        let idx = if s.is_signed() {
            let neg = self.b().build_int_compare(IntPredicate::SLT, raw, self.i64c(0), "neg").unwrap();
            let wrapped = self.b().build_int_add(raw, len, "wrapped").unwrap();
            self.b().build_select(neg, wrapped, raw, "idx").unwrap().into_int_value()
        } else {
            raw
        };
        if self.boundscheck {
            let bad = self.b().build_int_compare(IntPredicate::UGE, idx, len, "oob").unwrap();
            let k = if s.is_signed() { kind::INDEX_SIGNED } else { kind::INDEX_UNSIGNED };
            let axis = self.i64c(i64::from(axis));
            self.fail_if(bad, site, k, [raw, axis, len]);
        }
        idx
    }

    /// Whether the memory two arrays span intersects (a conservative test on address ranges).
    pub fn overlaps(
        &self,
        a: (StructValue<'static>, &ArrayTy),
        b: (StructValue<'static>, &ArrayTy),
    ) -> IntValue<'static> {
        let (alo, ahi) = self.extent(a.0, a.1);
        let (blo, bhi) = self.extent(b.0, b.1);
        let bld = self.b();
        let x = bld.build_int_compare(IntPredicate::ULT, alo, bhi, "x").unwrap();
        let y = bld.build_int_compare(IntPredicate::ULT, blo, ahi, "y").unwrap();
        bld.build_and(x, y, "overlap").unwrap()
    }

    /// The addresses `[lo, hi)` an array's elements lie in (empty when it has no element).
    fn extent(&self, a: StructValue<'static>, at: &ArrayTy) -> (IntValue<'static>, IntValue<'static>) {
        let b = self.b();
        let size = at.elem.size() as i64;
        let base = b.build_ptr_to_int(self.data(a), self.cg.i64(), "base").unwrap();
        let (mut lo, mut hi) = (self.i64c(0), self.i64c(0));
        let mut empty = self.cg.ctx.bool_type().const_zero();
        for (d, st) in self.shape(a, at).into_iter().zip(self.strides(a, at)) {
            let last = b.build_int_sub(d, self.i64c(1), "last").unwrap();
            let reach = b.build_int_mul(last, st, "reach").unwrap();
            let neg = b.build_int_compare(IntPredicate::SLT, st, self.i64c(0), "neg").unwrap();
            let lo_k = b.build_select(neg, reach, self.i64c(0), "lo").unwrap().into_int_value();
            let hi_k = b.build_select(neg, self.i64c(0), reach, "hi").unwrap().into_int_value();
            lo = b.build_int_add(lo, lo_k, "lo").unwrap();
            hi = b.build_int_add(hi, hi_k, "hi").unwrap();
            let z = b.build_int_compare(IntPredicate::EQ, d, self.i64c(0), "zero").unwrap();
            empty = b.build_or(empty, z, "empty").unwrap();
        }
        let lo = b.build_int_add(base, b.build_int_mul(lo, self.i64c(size), "lo").unwrap(), "lo").unwrap();
        let hi = b.build_int_add(base, b.build_int_mul(hi, self.i64c(size), "hi").unwrap(), "hi").unwrap();
        let hi = b.build_int_add(hi, self.i64c(size), "hi").unwrap();
        // An empty array spans nothing.
        let hi = b.build_select(empty, lo, hi, "hi").unwrap().into_int_value();
        (lo, hi)
    }

    /// A descriptor from its parts.
    pub fn descriptor(
        &self,
        data: PointerValue<'static>,
        shape: &[IntValue<'static>],
        strides: &[IntValue<'static>],
        meminfo: PointerValue<'static>,
        at: &ArrayTy,
    ) -> StructValue<'static> {
        let st = self.cg.array_ty(at);
        let b = self.b();
        let mut desc = b.build_insert_value(st.get_undef(), data, 0, "desc").unwrap().into_struct_value();
        for (field, vals) in [(1u32, shape), (2u32, strides)] {
            let mut arr = b.build_extract_value(desc, field, "dims").unwrap().into_array_value();
            for (k, v) in vals.iter().enumerate() {
                arr = b.build_insert_value(arr, *v, k as u32, "dims").unwrap().into_array_value();
            }
            desc = b.build_insert_value(desc, arr, field, "desc").unwrap().into_struct_value();
        }
        b.build_insert_value(desc, meminfo, 3, "desc").unwrap().into_struct_value()
    }

    /// The `MemInfo` of an array (null for the caller's arrays).
    pub fn meminfo(&self, a: StructValue<'static>) -> PointerValue<'static> {
        self.b().build_extract_value(a, 3, "meminfo").unwrap().into_pointer_value()
    }

    /// Adds (`delta` 1) or drops (`delta` -1) one reference to every array inside `v`; dropping the
    /// last frees the array.
    pub fn refcount(&mut self, v: BasicValueEnum<'static>, t: &Ty, delta: i64) {
        match t {
            Ty::Array(_) => {
                let m = self.meminfo(v.into_struct_value());
                let owned = self.b().build_is_not_null(m, "owned").unwrap();
                let (count_bb, done_bb) = (self.block("rc"), self.block("rc.done"));
                self.b().build_conditional_branch(owned, count_bb, done_bb).unwrap();
                self.b().position_at_end(count_bb);
                let counter =
                    self.b().build_pointer_cast(m, self.cg.i64().ptr_type(AddressSpace::default()), "count").unwrap();
                let (op, ordering) = if delta > 0 {
                    (AtomicRMWBinOp::Add, AtomicOrdering::Monotonic)
                } else {
                    (AtomicRMWBinOp::Sub, AtomicOrdering::AcquireRelease)
                };
                let old = self.b().build_atomicrmw(op, counter, self.i64c(1), ordering).unwrap();
                if delta < 0 {
                    let last = self.b().build_int_compare(IntPredicate::EQ, old, self.i64c(1), "last").unwrap();
                    let free_bb = self.block("rc.free");
                    self.b().build_conditional_branch(last, free_bb, done_bb).unwrap();
                    self.b().position_at_end(free_bb);
                    let f = self.cg.helper("rjit_free");
                    self.b().build_call(f, &[self.env.into(), m.into()], "").unwrap();
                }
                self.b().build_unconditional_branch(done_bb).unwrap();
                self.b().position_at_end(done_bb);
            }
            Ty::Tuple(items) if items.iter().any(has_arrays) => {
                for (i, it) in items.iter().enumerate() {
                    let part = self.b().build_extract_value(v.into_struct_value(), i as u32, "part").unwrap();
                    self.refcount(part, it, delta);
                }
            }
            _ => {}
        }
    }

    /// The shape arrays broadcast to (NumPy's rules: trailing axes align; each is equal or 1).
    pub fn broadcast_shape(
        &mut self,
        arrays: &[(StructValue<'static>, ArrayTy)],
        ndim: u8,
        site: PointerValue<'static>,
    ) -> Vec<IntValue<'static>> {
        let n = usize::from(ndim);
        let mut shape = vec![self.i64c(1); n];
        for (a, at) in arrays {
            let off = n - usize::from(at.ndim);
            for k in 0..usize::from(at.ndim) {
                let j = off + k;
                let d = self.dim(*a, 1, k as u32);
                let r = shape[j];
                let b = self.b();
                let r_is_1 = b.build_int_compare(IntPredicate::EQ, r, self.i64c(1), "r1").unwrap();
                let new = b.build_select(r_is_1, d, r, "dim").unwrap().into_int_value();
                let same = b.build_int_compare(IntPredicate::EQ, d, new, "same").unwrap();
                let one = b.build_int_compare(IntPredicate::EQ, d, self.i64c(1), "one").unwrap();
                let ok = b.build_or(same, one, "fits").unwrap();
                let bad = b.build_not(ok, "bad").unwrap();
                let axis = self.i64c(j as i64);
                self.fail_if(bad, site, kind::SHAPE, [axis, r, d]);
                shape[j] = new;
            }
        }
        shape
    }

    /// `b` seen with the (broadcast) shape `shape`: stretched and missing axes get stride 0.
    pub fn broadcast_to(
        &mut self,
        b: StructValue<'static>,
        bt: &ArrayTy,
        shape: &[IntValue<'static>],
        site: PointerValue<'static>,
    ) -> (StructValue<'static>, ArrayTy) {
        let n = shape.len();
        let off = n - usize::from(bt.ndim);
        let bshape = self.shape(b, bt);
        let bstrides = self.strides(b, bt);
        let mut strides = vec![self.i64c(0); n];
        for k in 0..usize::from(bt.ndim) {
            let j = off + k;
            let bl = self.b();
            let same = bl.build_int_compare(IntPredicate::EQ, bshape[k], shape[j], "same").unwrap();
            let one = bl.build_int_compare(IntPredicate::EQ, bshape[k], self.i64c(1), "one").unwrap();
            let ok = bl.build_or(same, one, "fits").unwrap();
            let bad = bl.build_not(ok, "bad").unwrap();
            let axis = self.i64c(j as i64);
            self.fail_if(bad, site, kind::SHAPE, [axis, shape[j], bshape[k]]);
            strides[j] = self.b().build_select(same, bstrides[k], self.i64c(0), "stride").unwrap().into_int_value();
        }
        let vt = ArrayTy { ndim: n as u8, layout: Layout::Any, ..*bt };
        let data = self.data(b);
        let m = self.meminfo(b);
        (self.descriptor(data, shape, &strides, m, &vt), vt)
    }

    /// Whether every array has exactly `shape` (so C-contiguous ones can share one flat loop).
    pub fn all_shaped(
        &mut self,
        arrays: &[(StructValue<'static>, ArrayTy)],
        shape: &[IntValue<'static>],
    ) -> IntValue<'static> {
        let mut ok = self.cg.ctx.bool_type().const_int(1, false);
        for (a, at) in arrays {
            for (k, d) in self.shape(*a, at).into_iter().enumerate() {
                let same = self.b().build_int_compare(IntPredicate::EQ, d, shape[k], "same").unwrap();
                ok = self.b().build_and(ok, same, "shaped").unwrap();
            }
        }
        ok
    }

    /// A new C-contiguous array of `shape` with one reference, the caller's.
    pub fn alloc(
        &mut self,
        elem: Scalar,
        shape: &[IntValue<'static>],
        zeroed: bool,
        site: PointerValue<'static>,
    ) -> StructValue<'static> {
        let at = ArrayTy { elem, ndim: shape.len() as u8, layout: Layout::C, mutable: true };
        let i64t = self.cg.i64();
        // The element count, saturated so an overflowing product fails in `rjit_alloc`; so does a
        // dimension beyond `isize::MAX` (a negative one, converted), even beside a zero one.
        let mut count = self.i64c(1);
        let mul = super::expr::intrinsic(self.cg, "llvm.umul.with.overflow", &[i64t.into()]);
        let mut overflow = self.cg.ctx.bool_type().const_zero();
        for d in shape {
            let r = self.b().build_call(mul, &[count.into(), (*d).into()], "count").unwrap();
            let r = r.try_as_basic_value().basic().expect("value").into_struct_value();
            count = self.b().build_extract_value(r, 0, "count").unwrap().into_int_value();
            let o = self.b().build_extract_value(r, 1, "ovf").unwrap().into_int_value();
            let too_long = self.b().build_int_compare(IntPredicate::SLT, *d, self.i64c(0), "too.long").unwrap();
            overflow = self.b().build_or(overflow, self.b().build_or(o, too_long, "ovf").unwrap(), "ovf").unwrap();
        }
        let count = self.b().build_select(overflow, i64t.const_all_ones(), count, "count").unwrap().into_int_value();
        let size = elem.size();
        let align = if elem.is_complex() { elem.real_part().size() } else { size };
        let f = self.cg.helper("rjit_alloc");
        let zero = self.cg.ctx.i32_type().const_int(u64::from(zeroed), false);
        let args = [
            self.env.into(),
            site.into(),
            count.into(),
            i64t.const_int(size, false).into(),
            i64t.const_int(align, false).into(),
            zero.into(),
        ];
        let m = self
            .b()
            .build_call(f, &args, "alloc")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .expect("ptr")
            .into_pointer_value();
        let is_null = self.b().build_is_null(m, "failed").unwrap();
        let fail_bb = self.block("alloc.failed");
        let ok_bb = self.block("alloc.ok");
        self.b().build_conditional_branch(is_null, fail_bb, ok_bb).unwrap();
        self.b().position_at_end(fail_bb);
        self.ret_dummy();
        self.b().position_at_end(ok_bb);
        // `MemInfo.data` is its second word.
        let words =
            self.b().build_pointer_cast(m, self.cg.i8_ptr().ptr_type(AddressSpace::default()), "words").unwrap();
        let slot = unsafe { self.b().build_in_bounds_gep(words, &[self.i64c(1)], "data.slot") }.unwrap();
        let raw = self.b().build_load(slot, "raw").unwrap().into_pointer_value();
        let data =
            self.b().build_pointer_cast(raw, self.cg.mem_ty(elem).ptr_type(AddressSpace::default()), "data").unwrap();
        let strides = c_strides(self, shape);
        self.descriptor(data, shape, &strides, m, &at)
    }
}

/// The strides of a C-contiguous array of `shape`.
pub(crate) fn c_strides(e: &Emitter<'_, '_>, shape: &[IntValue<'static>]) -> Vec<IntValue<'static>> {
    let mut strides = vec![e.i64c(1); shape.len()];
    for k in (0..shape.len().saturating_sub(1)).rev() {
        strides[k] = e.b().build_int_mul(strides[k + 1], shape[k + 1], "stride").unwrap();
    }
    strides
}

/// Whether a value of this type holds arrays (and so references to count).
pub(crate) fn has_arrays(t: &Ty) -> bool {
    match t {
        Ty::Array(_) => true,
        Ty::Tuple(items) => items.iter().any(has_arrays),
        _ => false,
    }
}

/// Visits every element of equally shaped arrays, in C order, with a pointer into each: one flat
/// loop when all are C-contiguous, nested loops otherwise.
pub(crate) fn for_each<'a, 'm: 'a, C: Emit<'a, 'm>>(
    cx: &mut C,
    arrays: &[(StructValue<'static>, ArrayTy)],
    body: &mut dyn FnMut(&mut C, &[PointerValue<'static>]),
) {
    let (first, ft) = arrays[0];
    if arrays.iter().all(|(_, t)| t.layout == Layout::C) {
        let e = cx.em();
        let n = e.size(first, &ft);
        let datas: Vec<_> = arrays.iter().map(|(a, _)| e.data(*a)).collect();
        counted_loop(cx, n, &mut |cx, i| {
            let e = cx.em();
            let ptrs: Vec<_> =
                datas.iter().map(|d| unsafe { e.b().build_in_bounds_gep(*d, &[i], "elem") }.unwrap()).collect();
            body(cx, &ptrs);
        });
        return;
    }
    let shape = cx.em().shape(first, &ft);
    nest(cx, arrays, &shape, &mut Vec::new(), body);
}

fn nest<'a, 'm: 'a, C: Emit<'a, 'm>>(
    cx: &mut C,
    arrays: &[(StructValue<'static>, ArrayTy)],
    shape: &[IntValue<'static>],
    idx: &mut Vec<IntValue<'static>>,
    body: &mut dyn FnMut(&mut C, &[PointerValue<'static>]),
) {
    if idx.len() == shape.len() {
        let e = cx.em();
        let ptrs: Vec<_> = arrays.iter().map(|(a, t)| e.elem_at(*a, t, idx)).collect();
        body(cx, &ptrs);
        return;
    }
    let n = shape[idx.len()];
    counted_loop(cx, n, &mut |cx, i| {
        idx.push(i);
        nest(cx, arrays, shape, idx, body);
        idx.pop();
    });
}
