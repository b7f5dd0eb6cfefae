//! Arrays in generated code: descriptors `{ data, shape, strides }`, checked indexing, row views,
//! loops over every element (one flat loop when all operands are C-contiguous, so LLVM can
//! vectorize it; nested loops in C order otherwise), allocation, reductions, in-place updates, and
//! handing a returned array over to Rust.
//!
//! Strides are in elements. A C- or F-layout array's strides are recomputed from its shape rather
//! than read, which tells LLVM that the innermost stride is 1.

use super::func::{counted_loop, Emit, Emitter, FnCx};
use super::Codegen;
use crate::env::kind;
use inkwell::types::BasicType;
use inkwell::values::{
    BasicValue, BasicValueEnum, FunctionValue, InstructionValue, IntValue, PointerValue, StructValue,
};
use inkwell::{AddressSpace, AtomicOrdering, AtomicRMWBinOp, IntPredicate};
use proc_macro2::Span;
use rjit_front::builtins::{Alloc, Method, Random, Reduce};
use rjit_front::hir::{BinOp, ExprId, ExprKind, IndexArg, Place};
use rjit_front::{ArrayTy, Layout, Scalar, Ty};

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

/// The root function's result as `abi::Ret` lays it out: arrays handed over to Rust (or copied into
/// a fresh allocation when the kernel does not own them whole), `bool` as a byte.
pub(crate) fn to_abi(
    cg: &mut Codegen<'_>,
    f: FunctionValue<'static>,
    env: PointerValue<'static>,
    site: PointerValue<'static>,
    v: BasicValueEnum<'static>,
    t: &Ty,
) -> BasicValueEnum<'static> {
    let kernel = cg.fns_root();
    let mut e = Emitter { cg, llfn: f, env, kernel, base_line: 1, boundscheck: true, sp: None, loc: None, at: None };
    e.abi_value(site, v, t)
}

impl<'a, 'm> Emitter<'a, 'm> {
    fn abi_value(
        &mut self,
        site: PointerValue<'static>,
        v: BasicValueEnum<'static>,
        t: &Ty,
    ) -> BasicValueEnum<'static> {
        match t {
            Ty::Scalar(Scalar::Bool) => {
                self.b().build_int_z_extend(v.into_int_value(), self.cg.ctx.i8_type(), "byte").unwrap().into()
            }
            Ty::Array(at) => self.hand_over(site, v.into_struct_value(), at).into(),
            Ty::Tuple(items) => {
                let st = self.cg.abi_ty(t).into_struct_type();
                let mut agg = st.get_undef();
                for (i, it) in items.iter().enumerate() {
                    let part = self.b().build_extract_value(v.into_struct_value(), i as u32, "part").unwrap();
                    let part = self.abi_value(site, part, it);
                    agg = self.b().build_insert_value(agg, part, i as u32, "tuple").unwrap().into_struct_value();
                }
                agg.into()
            }
            _ => v,
        }
    }

    /// The returned array as `abi::ArrayDesc`, owned by Rust: the kernel's own allocation when it is
    /// the whole of it, C-contiguous, with no other reference; else a fresh copy (and the kernel's
    /// reference is dropped).
    fn hand_over(
        &mut self,
        site: PointerValue<'static>,
        a: StructValue<'static>,
        at: &ArrayTy,
    ) -> StructValue<'static> {
        let shape = self.shape(a, at);
        let take = self.cg.helper("rjit_take");
        let abi_t = self.cg.abi_array_ty(at);
        let slot = self.alloca(abi_t.into(), "ret.array");
        let copy_bb = self.block("ret.copy");
        let done_bb = self.block("ret.done");
        let try_bb = self.block("ret.try");
        let n = self.size(a, at);
        let bytes = self.b().build_int_mul(n, self.i64c(at.elem.size() as i64), "bytes").unwrap();
        let contiguous = self.is_c_contiguous(a, at);
        self.b().build_conditional_branch(contiguous, try_bb, copy_bb).unwrap();
        self.b().position_at_end(try_bb);
        let raw = self.b().build_pointer_cast(self.data(a), self.cg.i8_ptr(), "raw").unwrap();
        let m = self.meminfo(a);
        let got = self.b().build_call(take, &[self.env.into(), m.into(), raw.into(), bytes.into()], "taken").unwrap();
        let got = got.try_as_basic_value().basic().expect("ptr").into_pointer_value();
        let owned = self.b().build_is_not_null(got, "owned").unwrap();
        let own_bb = self.block("ret.own");
        self.b().build_conditional_branch(owned, own_bb, copy_bb).unwrap();
        self.b().position_at_end(own_bb);
        // Strides in C order (they may be arbitrary on axes of length 1).
        let strides = c_strides(self, &shape);
        let desc = self.abi_desc(self.data(a), &shape, &strides, at);
        self.b().build_store(slot, desc).unwrap();
        self.b().build_unconditional_branch(done_bb).unwrap();
        self.b().position_at_end(copy_bb);
        let dst = self.alloc(at.elem, &shape, false, site);
        let c_at = ArrayTy { layout: Layout::C, ..*at };
        for_each(self, &[(a, *at), (dst, c_at)], &mut |e, p| {
            let v = e.b().build_load(p[0], "v").unwrap();
            let store = e.b().build_store(p[1], v).unwrap();
            super::alias::tag_fresh_copy(e.cg, v.as_instruction_value(), store);
        });
        self.refcount(a.into(), &Ty::Array(*at), -1);
        let raw = self.b().build_pointer_cast(self.data(dst), self.cg.i8_ptr(), "raw").unwrap();
        let dm = self.meminfo(dst);
        self.b().build_call(take, &[self.env.into(), dm.into(), raw.into(), bytes.into()], "taken").unwrap();
        let strides = c_strides(self, &shape);
        let desc = self.abi_desc(self.data(dst), &shape, &strides, at);
        self.b().build_store(slot, desc).unwrap();
        self.b().build_unconditional_branch(done_bb).unwrap();
        self.b().position_at_end(done_bb);
        self.b().build_load(slot, "ret.array").unwrap().into_struct_value()
    }

    fn abi_desc(
        &self,
        data: PointerValue<'static>,
        shape: &[IntValue<'static>],
        strides: &[IntValue<'static>],
        at: &ArrayTy,
    ) -> StructValue<'static> {
        let b = self.b();
        let mut desc =
            b.build_insert_value(self.cg.abi_array_ty(at).get_undef(), data, 0, "desc").unwrap().into_struct_value();
        for (field, vals) in [(1u32, shape), (2u32, strides)] {
            let mut arr = b.build_extract_value(desc, field, "dims").unwrap().into_array_value();
            for (k, v) in vals.iter().enumerate() {
                arr = b.build_insert_value(arr, *v, k as u32, "dims").unwrap().into_array_value();
            }
            desc = b.build_insert_value(desc, arr, field, "desc").unwrap().into_struct_value();
        }
        desc
    }

    /// Whether the array is C-contiguous: known from the layout, or checked from its strides.
    fn is_c_contiguous(&mut self, a: StructValue<'static>, at: &ArrayTy) -> IntValue<'static> {
        let t = self.cg.ctx.bool_type();
        if at.layout == Layout::C {
            return t.const_int(1, false);
        }
        let shape = self.shape(a, at);
        let mut ok = t.const_int(1, false);
        let mut expect = self.i64c(1);
        for k in (0..shape.len()).rev() {
            let stride = self.dim(a, 2, k as u32);
            let same = self.b().build_int_compare(IntPredicate::EQ, stride, expect, "same").unwrap();
            let unit = self.b().build_int_compare(IntPredicate::ULE, shape[k], self.i64c(1), "unit").unwrap();
            let fine = self.b().build_or(same, unit, "fine").unwrap();
            ok = self.b().build_and(ok, fine, "contiguous").unwrap();
            expect = self.b().build_int_mul(expect, shape[k], "expect").unwrap();
        }
        ok
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

/// One lowered position of `a[…]`: a checked index, or a range's start and length.
#[derive(Clone, Copy)]
pub(crate) enum Part {
    At(IntValue<'static>),
    Range(IntValue<'static>, IntValue<'static>),
}

impl Part {
    fn start(&self) -> IntValue<'static> {
        match self {
            Part::At(i) | Part::Range(i, _) => *i,
        }
    }
}

impl<'m> Codegen<'m> {
    pub(crate) fn fns_root(&self) -> &'static crate::kernel::Kernel {
        self.root_kernel()
    }
}

impl<'a, 'm> FnCx<'a, 'm> {
    /// Each position of `a[…]`, lowered: an integer checked against its axis, or a range clamped
    /// to it as NumPy clamps slices (negative bounds count from the end).
    fn index_parts(&mut self, id: ExprId) -> Option<(StructValue<'static>, ArrayTy, Vec<Part>, bool)> {
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
    fn slice_bound(&mut self, x: ExprId, len: IntValue<'static>) -> Option<IntValue<'static>> {
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

    fn assign_into(
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

    fn op_assign_value(&mut self, op: BinOp, place: &Place, v: BasicValueEnum<'static>, vt: &Ty, span: Span) {
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
    fn pairwise(
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

    /// `np.zeros/ones/empty/full`: the result's type already carries the `dtype`.
    pub fn alloc_builtin(&mut self, id: ExprId, kind: Alloc, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let at = self.ty(id).array().expect("an array");
        let shape = self.shape_arg(args[0])?;
        let fill = match kind {
            Alloc::Full => {
                let v = self.expr(args[1])?;
                let from = self.ty(args[1]);
                Some(self.coerce(v, &from, &Ty::Scalar(at.elem)))
            }
            Alloc::Ones => Some(self.const_one(at.elem)),
            Alloc::Zeros | Alloc::Empty => None,
        };
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let a = self.e.alloc(at.elem, &shape, kind == Alloc::Zeros, site);
        if let Some(v) = fill {
            let elem = at.elem;
            for_each(self, &[(a, at)], &mut |cx, p| {
                cx.e.store_elem(p[0], v, elem);
            });
        }
        Some(a.into())
    }

    /// A shape argument: an integer or a tuple of integers.
    fn shape_arg(&mut self, arg: ExprId) -> Option<Vec<IntValue<'static>>> {
        let shape_v = self.expr(arg)?;
        let shape_t = self.ty(arg);
        Some(match &shape_t {
            Ty::Tuple(items) => items
                .iter()
                .enumerate()
                .map(|(i, it)| {
                    let part = self.e.b().build_extract_value(shape_v.into_struct_value(), i as u32, "dim").unwrap();
                    self.convert(part, it.scalar().expect("int"), Scalar::Usize).into_int_value()
                })
                .collect(),
            t => vec![self.convert(shape_v, t.scalar().expect("int"), Scalar::Usize).into_int_value()],
        })
    }

    /// One uniform `f64` in `[0, 1)`, stepping this thread's xoshiro256++ state inline exactly as
    /// `random::rjit_random` does (the same numbers, without a call per number).
    fn uniform01(&mut self) -> BasicValueEnum<'static> {
        let f = self.e.cg.helper("rjit_random_state");
        let state = self
            .e
            .b()
            .build_call(f, &[], "rng")
            .unwrap()
            .try_as_basic_value()
            .basic()
            .expect("ptr")
            .into_pointer_value();
        let i64t = self.e.cg.i64();
        let word =
            |cx: &Self, k: i64| unsafe { cx.e.b().build_in_bounds_gep(state, &[cx.e.i64c(k)], "rng.word") }.unwrap();
        let ptrs: Vec<PointerValue<'static>> = (0..4).map(|k| word(self, k)).collect();
        let s: Vec<IntValue<'static>> =
            ptrs.iter().map(|p| self.e.b().build_load(*p, "s").unwrap().into_int_value()).collect();
        let rotl = |cx: &Self, x: IntValue<'static>, k: u64| {
            let f = super::expr::intrinsic(cx.e.cg, "llvm.fshl", &[i64t.into()]);
            let k = i64t.const_int(k, false);
            cx.e.b()
                .build_call(f, &[x.into(), x.into(), k.into()], "rotl")
                .unwrap()
                .try_as_basic_value()
                .basic()
                .expect("value")
                .into_int_value()
        };
        let b = self.e.b();
        let result =
            b.build_int_add(rotl(self, b.build_int_add(s[0], s[3], "sum").unwrap(), 23), s[0], "result").unwrap();
        let t = b.build_left_shift(s[1], i64t.const_int(17, false), "t").unwrap();
        let s2 = b.build_xor(s[2], s[0], "s2").unwrap();
        let s3 = b.build_xor(s[3], s[1], "s3").unwrap();
        let s1 = b.build_xor(s[1], s2, "s1").unwrap();
        let s0 = b.build_xor(s[0], s3, "s0").unwrap();
        let s2 = b.build_xor(s2, t, "s2").unwrap();
        let s3 = rotl(self, s3, 45);
        for (p, v) in ptrs.iter().zip([s0, s1, s2, s3]) {
            self.e.b().build_store(*p, v).unwrap();
        }
        let b = self.e.b();
        let bits = b.build_right_shift(result, i64t.const_int(11, false), false, "bits").unwrap();
        let x = b.build_unsigned_int_to_float(bits, self.e.cg.ctx.f64_type(), "x").unwrap();
        b.build_float_mul(x, self.e.cg.ctx.f64_type().const_float(1.0 / (1u64 << 53) as f64), "u").unwrap().into()
    }

    /// `np.random.*`: one number, or an array of them filled in C order.
    pub fn random(&mut self, id: ExprId, kind: Random, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let n = kind.params();
        let target = match kind {
            Random::Seed => Scalar::U64,
            Random::Randint => Scalar::I64,
            _ => Scalar::F64,
        };
        let mut vals = Vec::new();
        for a in &args[..n] {
            vals.push(self.scalar_value(*a, &Ty::Scalar(target))?);
        }
        if kind == Random::Seed {
            let f = self.e.cg.helper("rjit_random_seed");
            self.e.b().build_call(f, &[vals[0].into()], "").unwrap();
            return None;
        }
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        if kind == Random::Randint {
            let (lo, hi) = (vals[0].into_int_value(), vals[1].into_int_value());
            let bad = self.e.b().build_int_compare(IntPredicate::SGE, lo, hi, "empty").unwrap();
            let z = self.e.i64c(0);
            self.e.fail_if(bad, site, kind::EMPTY_RANGE, [lo, hi, z]);
        }
        let draw = |cx: &mut Self| -> BasicValueEnum<'static> {
            let call = |cx: &mut Self, name: &str, args: &[BasicValueEnum<'static>]| {
                let f = cx.e.cg.helper(name);
                cx.call_value(f, args)
            };
            match kind {
                Random::Random => cx.uniform01(),
                Random::Uniform => {
                    let u = cx.uniform01();
                    let width = cx.scalar_op(BinOp::Sub, vals[1], vals[0], Scalar::F64, span);
                    let x = cx.scalar_op(BinOp::Mul, width, u, Scalar::F64, span);
                    cx.scalar_op(BinOp::Add, vals[0], x, Scalar::F64, span)
                }
                Random::Normal => {
                    let z = call(cx, "rjit_normal", &[]);
                    let x = cx.scalar_op(BinOp::Mul, vals[1], z, Scalar::F64, span);
                    cx.scalar_op(BinOp::Add, vals[0], x, Scalar::F64, span)
                }
                Random::Randint => call(cx, "rjit_randint", &[vals[0], vals[1]]),
                Random::Seed => unreachable!("handled above"),
            }
        };
        let Some(size) = args.get(n) else { return Some(draw(self)) };
        let shape = self.shape_arg(*size)?;
        let out = self.e.alloc(target, &shape, false, site);
        let ot = ArrayTy { elem: target, ndim: shape.len() as u8, layout: Layout::C, mutable: true };
        for_each(self, &[(out, ot)], &mut |cx, p| {
            let x = draw(cx);
            cx.e.store_elem(p[0], x, target);
        });
        Some(out.into())
    }

    pub(crate) fn const_one(&self, s: Scalar) -> BasicValueEnum<'static> {
        let t = self.e.cg.scalar_ty(s);
        match s {
            s if s.is_float() => t.into_float_type().const_float(1.0).into(),
            s if s.is_complex() => {
                let p = self.e.cg.scalar_ty(s.real_part()).into_float_type();
                t.into_struct_type().const_named_struct(&[p.const_float(1.0).into(), p.const_zero().into()]).into()
            }
            _ => t.into_int_type().const_int(1, false).into(),
        }
    }

    pub fn array_method(
        &mut self,
        id: ExprId,
        m: Method,
        a: BasicValueEnum<'static>,
        rt: &Ty,
    ) -> BasicValueEnum<'static> {
        let at = rt.array().expect("array");
        let a = a.into_struct_value();
        match m {
            Method::Len => self.e.dim(a, 1, 0).into(),
            Method::Ndim => self.e.i64c(i64::from(at.ndim)).into(),
            Method::Size => self.e.size(a, &at).into(),
            Method::Shape => {
                let st = self.e.cg.llty(&self.ty(id)).into_struct_type();
                let mut agg = st.get_undef();
                for (k, d) in self.e.shape(a, &at).into_iter().enumerate() {
                    agg = self.e.b().build_insert_value(agg, d, k as u32, "shape").unwrap().into_struct_value();
                }
                agg.into()
            }
            Method::Reduce(r) => self.reduce(id, r, a.into(), rt),
            Method::Copy => {
                let shape = self.e.shape(a, &at);
                let site = self.e.site(self.f.expr(id).span, "");
                let out = self.e.alloc(at.elem, &shape, false, site);
                let c = ArrayTy { layout: Layout::C, ..at };
                for_each(self, &[(a, at), (out, c)], &mut |cx, p| {
                    let x = cx.e.b().build_load(p[0], "x").unwrap();
                    let store = cx.e.b().build_store(p[1], x).unwrap();
                    super::alias::tag_fresh_copy(cx.e.cg, x.as_instruction_value(), store);
                });
                out.into()
            }
            Method::Argmin | Method::Argmax => self.arg_extreme(id, m == Method::Argmax, a, &at),
            Method::T => {
                let vt = self.ty(id).array().expect("an array");
                let mut shape = self.e.shape(a, &at);
                let mut strides = self.e.strides(a, &at);
                shape.reverse();
                strides.reverse();
                let data = self.e.data(a);
                let m = self.e.meminfo(a);
                self.e.descriptor(data, &shape, &strides, m, &vt).into()
            }
            other => unreachable!("method {other:?} on an array; are we missing a diagnostic?"),
        }
    }

    /// `a.fill(x)`.
    pub fn fill(&mut self, a: StructValue<'static>, at: &ArrayTy, x: BasicValueEnum<'static>) {
        let elem = at.elem;
        for_each(self, &[(a, *at)], &mut |cx, p| {
            cx.e.store_elem(p[0], x, elem);
        });
    }

    /// The flat C-order index of the first minimum or maximum (a NaN counts as the extreme, as in NumPy).
    pub fn arg_extreme(
        &mut self,
        id: ExprId,
        max: bool,
        a: StructValue<'static>,
        at: &ArrayTy,
    ) -> BasicValueEnum<'static> {
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let n = self.e.size(a, at);
        let empty = self.e.b().build_int_compare(IntPredicate::EQ, n, self.e.i64c(0), "empty").unwrap();
        let z = self.e.i64c(0);
        self.e.fail_if(empty, site, kind::EMPTY, [z, z, z]);
        let elem = at.elem;
        let best = self.e.alloca(self.e.cg.scalar_ty(elem), "best");
        let best_i = self.e.alloca(self.e.cg.i64().into(), "best_i");
        let k = self.e.alloca(self.e.cg.i64().into(), "k");
        let first = vec![self.e.i64c(0); usize::from(at.ndim)];
        let p0 = self.e.elem_at(a, at, &first);
        let v0 = self.e.load_elem(p0, elem);
        self.e.b().build_store(best, v0).unwrap();
        self.e.b().build_store(best_i, z).unwrap();
        self.e.b().build_store(k, z).unwrap();
        for_each(self, &[(a, *at)], &mut |cx, p| {
            let x = cx.e.load_elem(p[0], elem);
            let cur = cx.e.b().build_load(best, "best").unwrap();
            let i = cx.e.b().build_load(k, "k").unwrap().into_int_value();
            let better = if elem.is_float() {
                let (xf, cf) = (x.into_float_value(), cur.into_float_value());
                let b = cx.e.b();
                let p = if max { inkwell::FloatPredicate::OGT } else { inkwell::FloatPredicate::OLT };
                let strictly = b.build_float_compare(p, xf, cf, "better").unwrap();
                let xnan = b.build_float_compare(inkwell::FloatPredicate::UNO, xf, xf, "xnan").unwrap();
                let cnan = b.build_float_compare(inkwell::FloatPredicate::UNO, cf, cf, "cnan").unwrap();
                let not_cnan = b.build_not(cnan, "not_cnan").unwrap();
                let nan_first = b.build_and(xnan, not_cnan, "nan_first").unwrap();
                b.build_or(strictly, nan_first, "better").unwrap()
            } else {
                let op = if max { BinOp::Gt } else { BinOp::Lt };
                cx.scalar_op(op, x, cur, elem, span).into_int_value()
            };
            let b = cx.e.b();
            let nb = b.build_select(better, x, cur, "best").unwrap();
            let bi = b.build_load(best_i, "best_i").unwrap().into_int_value();
            let ni = b.build_select(better, i, bi, "best_i").unwrap();
            b.build_store(best, nb).unwrap();
            b.build_store(best_i, ni).unwrap();
            let next = b.build_int_add(i, cx.e.i64c(1), "k").unwrap();
            cx.e.b().build_store(k, next).unwrap();
        });
        self.e.b().build_load(best_i, "argextreme").unwrap()
    }

    /// `np.arange(stop)`, `(start, stop)`, `(start, stop, step)`: `ceil((stop - start) / step)` values.
    pub fn arange(&mut self, id: ExprId, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let at = self.ty(id).array().expect("an array");
        let t = Ty::Scalar(at.elem);
        let mut vals = Vec::new();
        for a in args {
            let v = self.expr(*a)?;
            let from = self.ty(*a);
            vals.push(self.coerce(v, &from, &t));
        }
        let s = at.elem;
        let ty = self.e.cg.scalar_ty(s);
        let (start, stop, step) = match vals.as_slice() {
            [stop] => (ty.const_zero(), *stop, self.const_one(s)),
            [start, stop] => (*start, *stop, self.const_one(s)),
            [start, stop, step] => (*start, *stop, *step),
            _ => unreachable!("checked: 1 to 3 arguments"),
        };
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let n = if s.is_float() {
            let (a, b, c) = (start.into_float_value(), stop.into_float_value(), step.into_float_value());
            let zero = c.get_type().const_zero();
            let is_zero = self.e.b().build_float_compare(inkwell::FloatPredicate::OEQ, c, zero, "zero").unwrap();
            let z = self.e.i64c(0);
            self.e.fail_if(is_zero, site, kind::ZERO_STEP, [z, z, z]);
            let b_ = self.e.b();
            let d = b_.build_float_sub(b, a, "span").unwrap();
            let q = b_.build_float_div(d, c, "q").unwrap();
            let ceil = super::expr::intrinsic(self.e.cg, "llvm.ceil", &[ty]);
            let q = self.call_value(ceil, &[q.into()]);
            let nan = self
                .e
                .b()
                .build_float_compare(inkwell::FloatPredicate::UNO, q.into_float_value(), q.into_float_value(), "nan")
                .unwrap();
            self.e.fail_if(nan, site, kind::NAN_LENGTH, [z, z, z]);
            let n = self.convert(q, s, Scalar::I64).into_int_value();
            // A negative count means empty.
            let neg = self.e.b().build_int_compare(IntPredicate::SLT, n, self.e.i64c(0), "neg").unwrap();
            self.e.b().build_select(neg, self.e.i64c(0), n, "n").unwrap().into_int_value()
        } else {
            let wide = if s.is_signed() { Scalar::I64 } else { Scalar::U64 };
            let (a, b, c) = (
                self.convert(start, s, wide).into_int_value(),
                self.convert(stop, s, wide).into_int_value(),
                self.convert(step, s, wide).into_int_value(),
            );
            let zero = self.e.i64c(0);
            let is_zero = self.e.b().build_int_compare(IntPredicate::EQ, c, zero, "zero").unwrap();
            self.e.fail_if(is_zero, site, kind::ZERO_STEP, [zero, zero, zero]);
            // Exact, in unsigned arithmetic: a count beyond `i64::MAX` then fails to allocate.
            self.e.range_count(a, b, c, s.is_signed())
        };
        let out = self.e.alloc(s, &[n], false, site);
        let data = self.e.data(out);
        super::func::counted_loop(self, n, &mut |cx, i| {
            let fi = cx.convert(i.into(), Scalar::I64, s);
            let off = cx.scalar_op(BinOp::Mul, fi, step, s, span);
            let v = cx.scalar_op(BinOp::Add, start, off, s, span);
            let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "elem") }.unwrap();
            cx.e.store_elem(p, v, s);
        });
        Some(out.into())
    }

    /// `np.linspace(start, stop, num)`: `num` evenly spaced values, the last exactly `stop`.
    pub fn linspace(&mut self, id: ExprId, args: &[ExprId]) -> Option<BasicValueEnum<'static>> {
        let at = self.ty(id).array().expect("an array");
        let s = at.elem;
        let t = Ty::Scalar(s);
        let start = self.scalar_value(args[0], &t)?;
        let stop = self.scalar_value(args[1], &t)?;
        let n = self.scalar_value(args[2], &Ty::Scalar(Scalar::I64))?.into_int_value();
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        // A negative count (or one beyond `i64::MAX`) fails to allocate, as NumPy refuses it.
        let out = self.e.alloc(s, &[n], false, site);
        let data = self.e.data(out);
        let one = self.e.i64c(1);
        let n1 = self.e.b().build_int_sub(n, one, "n1").unwrap();
        let few = self.e.b().build_int_compare(IntPredicate::SLT, n1, one, "few").unwrap();
        let n1 = self.e.b().build_select(few, one, n1, "div").unwrap().into_int_value();
        let div = self.convert(n1.into(), Scalar::I64, s);
        let span_v = self.scalar_op(BinOp::Sub, stop, start, s, span);
        let step = self.scalar_op(BinOp::Div, span_v, div, s, span);
        super::func::counted_loop(self, n, &mut |cx, i| {
            let fi = cx.convert(i.into(), Scalar::I64, s);
            let off = cx.scalar_op(BinOp::Mul, fi, step, s, span);
            let v = cx.scalar_op(BinOp::Add, start, off, s, span);
            let last = cx.e.b().build_int_compare(IntPredicate::EQ, i, n1, "last").unwrap();
            let more_than_one = cx.e.b().build_int_compare(IntPredicate::SGT, n, one, "many").unwrap();
            let is_end = cx.e.b().build_and(last, more_than_one, "end").unwrap();
            let v = cx.e.b().build_select(is_end, stop, v, "v").unwrap();
            let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "elem") }.unwrap();
            cx.e.store_elem(p, v, s);
        });
        Some(out.into())
    }

    pub fn scalar_value(&mut self, a: ExprId, t: &Ty) -> Option<BasicValueEnum<'static>> {
        let v = self.expr(a)?;
        let from = self.ty(a);
        Some(self.coerce(v, &from, t))
    }

    /// `np.cumsum(a)`: the running sums over `a` in C order, as a 1-D array.
    pub fn cumsum(&mut self, id: ExprId, a: BasicValueEnum<'static>, at: &Ty) -> BasicValueEnum<'static> {
        let at = at.array().expect("an array");
        let a = a.into_struct_value();
        let s = self.ty(id).array().expect("an array").elem;
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let n = self.e.size(a, &at);
        let out = self.e.alloc(s, &[n], false, site);
        let data = self.e.data(out);
        let acc = self.e.alloca(self.e.cg.scalar_ty(s), "acc");
        self.e.b().build_store(acc, self.e.cg.scalar_ty(s).const_zero()).unwrap();
        let k = self.e.alloca(self.e.cg.i64().into(), "k");
        self.e.b().build_store(k, self.e.i64c(0)).unwrap();
        let elem = at.elem;
        for_each(self, &[(a, at)], &mut |cx, p| {
            let x = cx.e.load_elem(p[0], elem);
            let x = cx.convert(x, elem, s);
            let cur = cx.e.b().build_load(acc, "acc").unwrap();
            let next = cx.scalar_op(BinOp::Add, cur, x, s, span);
            cx.e.b().build_store(acc, next).unwrap();
            let i = cx.e.b().build_load(k, "k").unwrap().into_int_value();
            let q = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "out") }.unwrap();
            cx.e.store_elem(q, next, s);
            let i1 = cx.e.b().build_int_add(i, cx.e.i64c(1), "k").unwrap();
            cx.e.b().build_store(k, i1).unwrap();
        });
        out.into()
    }

    /// `np.dot(a, b)`: sums of products in order; shapes must agree.
    pub fn dot(
        &mut self,
        id: ExprId,
        a: BasicValueEnum<'static>,
        at: &Ty,
        b: BasicValueEnum<'static>,
        bt: &Ty,
    ) -> BasicValueEnum<'static> {
        let (at, bt) = (at.array().expect("array"), bt.array().expect("array"));
        let (a, b) = (a.into_struct_value(), b.into_struct_value());
        let t = self.ty(id);
        let span = self.f.expr(id).span;
        let site = self.e.site(span, "");
        let s = match &t {
            Ty::Scalar(s) => *s,
            Ty::Array(x) => x.elem,
            _ => unreachable!("dot gives a number or an array"),
        };
        // The contracted axis: the last of `a`, the first of `b`.
        let k_a = self.e.dim(a, 1, u32::from(at.ndim) - 1);
        let k_b = self.e.dim(b, 1, 0);
        let differs = self.e.b().build_int_compare(IntPredicate::NE, k_a, k_b, "differs").unwrap();
        let axis = self.e.i64c(i64::from(at.ndim) - 1);
        self.e.fail_if(differs, site, kind::SHAPE, [axis, k_a, k_b]);
        let zero = self.e.cg.scalar_ty(s).const_zero();
        let (ea, eb) = (at.elem, bt.elem);
        // One dot product of `a[i, :]` (or `a`) and `b[:, j]` (or `b`).
        let inner =
            |cx: &mut Self, ia: Option<IntValue<'static>>, jb: Option<IntValue<'static>>| -> BasicValueEnum<'static> {
                let acc = cx.e.alloca(cx.e.cg.scalar_ty(s), "acc");
                cx.e.b().build_store(acc, zero).unwrap();
                super::func::counted_loop(cx, k_a, &mut |cx, k| {
                    let pa = cx.e.elem_at(a, &at, &ia.map_or(vec![k], |i| vec![i, k]));
                    let pb = cx.e.elem_at(b, &bt, &jb.map_or(vec![k], |j| vec![k, j]));
                    let x = cx.e.load_elem(pa, ea);
                    let x = cx.convert(x, ea, s);
                    let y = cx.e.load_elem(pb, eb);
                    let y = cx.convert(y, eb, s);
                    let prod = cx.scalar_op(BinOp::Mul, x, y, s, span);
                    let cur = cx.e.b().build_load(acc, "acc").unwrap();
                    let next = cx.scalar_op(BinOp::Add, cur, prod, s, span);
                    cx.e.b().build_store(acc, next).unwrap();
                });
                cx.e.b().build_load(acc, "dot").unwrap()
            };
        match (at.ndim, bt.ndim) {
            (1, 1) => inner(self, None, None),
            (2, 1) => {
                let rows = self.e.dim(a, 1, 0);
                let out = self.e.alloc(s, &[rows], false, site);
                let data = self.e.data(out);
                super::func::counted_loop(self, rows, &mut |cx, i| {
                    let v = inner(cx, Some(i), None);
                    let p = unsafe { cx.e.b().build_in_bounds_gep(data, &[i], "out") }.unwrap();
                    cx.e.store_elem(p, v, s);
                });
                out.into()
            }
            _ => {
                let rows = self.e.dim(a, 1, 0);
                let cols = self.e.dim(b, 1, 1);
                let out = self.e.alloc(s, &[rows, cols], false, site);
                let ot = ArrayTy { elem: s, ndim: 2, layout: Layout::C, mutable: true };
                super::func::counted_loop(self, rows, &mut |cx, i| {
                    super::func::counted_loop(cx, cols, &mut |cx, j| {
                        let v = inner(cx, Some(i), Some(j));
                        let p = cx.e.elem_at(out, &ot, &[i, j]);
                        cx.e.store_elem(p, v, s);
                    });
                });
                out.into()
            }
        }
    }

    /// `sum`, `prod`, `min`, `max`, `mean` over every element, in C order.
    pub fn reduce(&mut self, id: ExprId, r: Reduce, a: BasicValueEnum<'static>, at: &Ty) -> BasicValueEnum<'static> {
        let at = at.array().expect("array");
        let a = a.into_struct_value();
        let out = self.ty(id).scalar().expect("scalar");
        let acc_s = r.accumulator(at.elem, out);
        let acc_t = self.e.cg.scalar_ty(acc_s);
        let span = self.f.expr(id).span;
        let total = if self.may_split() {
            // Large arrays: each chunk of rows reduces on its own, and the chunks combine in order.
            let slot = self.e.alloca(acc_t, "total");
            let size = self.e.size(a, &at);
            let rows = self.e.dim(a, 1, 0);
            self.if_worth_splitting(size, rows, &mut |cx, split| {
                let v = if split {
                    let (partials, chunks) = cx.split_rows(
                        "reduce",
                        &[(a.into(), Ty::Array(at))],
                        rows,
                        &mut |cx, vals, lo, hi, partial| {
                            let whole = vals[0].into_struct_value();
                            let rows = cx.e.dim(whole, 1, 0);
                            let (part, pt) = cx.slice_rows(whole, at, at.ndim, rows, lo, hi);
                            let v = cx.reduce_serial(r, part, &pt, acc_s, span);
                            let p =
                                cx.e.b()
                                    .build_pointer_cast(partial, acc_t.ptr_type(AddressSpace::default()), "partial")
                                    .unwrap();
                            cx.e.b().build_store(p, v).unwrap();
                        },
                    );
                    cx.combine_partials(partials, chunks, acc_t, &mut |cx, a, b| cx.reduce_step(r, a, b, acc_s, span))
                } else {
                    cx.reduce_serial(r, a, &at, acc_s, span)
                };
                cx.e.b().build_store(slot, v).unwrap();
            });
            self.e.b().build_load(slot, "total").unwrap()
        } else {
            self.reduce_serial(r, a, &at, acc_s, span)
        };
        if r == Reduce::Mean {
            let n = self.e.size(a, &at);
            let n = self.convert(n.into(), Scalar::I64, acc_s);
            return self.scalar_op(BinOp::Div, total, n, acc_s, span);
        }
        total
    }

    /// One step of a reduction: the accumulator `cur` with `x` (both of the accumulator's type).
    pub(crate) fn reduce_step(
        &mut self,
        r: Reduce,
        cur: BasicValueEnum<'static>,
        x: BasicValueEnum<'static>,
        acc_s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        match r {
            Reduce::Sum | Reduce::Mean => self.scalar_op(BinOp::Add, cur, x, acc_s, span),
            Reduce::Prod => self.scalar_op(BinOp::Mul, cur, x, acc_s, span),
            Reduce::Min => self.min_max(false, cur, x, acc_s, true),
            Reduce::Max => self.min_max(true, cur, x, acc_s, true),
        }
    }

    /// The reduction of `a` on this thread, in C order (a mean's sum, for `Mean`).
    fn reduce_serial(
        &mut self,
        r: Reduce,
        a: StructValue<'static>,
        at: &ArrayTy,
        acc_s: Scalar,
        span: Span,
    ) -> BasicValueEnum<'static> {
        let acc_t = self.e.cg.scalar_ty(acc_s);
        let acc = self.e.alloca(acc_t, "acc");
        let init = match r {
            Reduce::Sum | Reduce::Mean => acc_t.const_zero(),
            Reduce::Prod => self.const_one(acc_s),
            Reduce::Min | Reduce::Max => {
                let site = self.e.site(span, "");
                let n = self.e.size(a, at);
                let empty = self.e.b().build_int_compare(IntPredicate::EQ, n, self.e.i64c(0), "empty").unwrap();
                let z = self.e.i64c(0);
                self.e.fail_if(empty, site, kind::EMPTY, [z, z, z]);
                let first = vec![self.e.i64c(0); usize::from(at.ndim)];
                let p = self.e.elem_at(a, at, &first);
                self.e.load_elem(p, at.elem)
            }
        };
        self.e.b().build_store(acc, init).unwrap();
        let elem = at.elem;
        let mut body = |cx: &mut Self, p: &[PointerValue<'static>]| {
            let x = cx.e.load_elem(p[0], elem);
            let x = cx.convert(x, elem, acc_s);
            let cur = cx.e.b().build_load(acc, "acc").unwrap();
            let next = cx.reduce_step(r, cur, x, acc_s, span);
            cx.e.b().build_store(acc, next).unwrap();
        };
        for_each(self, &[(a, *at)], &mut body);
        self.e.b().build_load(acc, "total").unwrap()
    }
}
