//! The boundary between Rust values and compiled code.
//!
//! Each argument becomes an ABI value (`Arg::abi`): a scalar as itself, an array as an `ArrayDesc`
//! (data pointer, shape, strides in elements). The compiled entry receives an array of pointers to
//! these values. Each ABI value also says which specialization it needs (`AbiValue::code`: dtype,
//! layout, mutability) and, on the slow path only, its full DSL type. Return values come back through
//! a buffer of `Ret::Abi`, laid out with `repr(C)` exactly as codegen lays out the LLVM struct.

use crate::helpers::{ArrayMemory, CallEnv};
use ndarray::{Array, ArrayView, ArrayViewMut, Dim, Ix};
use num_complex::{Complex32, Complex64};
use rjit_front::{ArrayTy, Layout, Scalar, Ty};

/// An array as compiled code sees it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ArrayDesc<T, const N: usize, const MUT: bool> {
    pub data: *mut T,
    pub shape: [usize; N],
    pub strides: [isize; N],
}

/// `bool` crosses the boundary as a byte.
#[repr(transparent)]
#[derive(Clone, Copy, Debug)]
pub struct BoolAbi(pub u8);

/// Set in a code that does not say everything about its type (a tuple returned under `-> _`): such
/// calls take the slow path, which also compares the full types.
pub const PARTIAL: u16 = 0x8000;

/// A value handed to compiled code.
pub trait AbiValue {
    /// Dtype, rank, layout and mutability packed in 9 bits: the part of the dispatch key for this
    /// argument. Everything that shapes the machine code (and the ABI value's size) is in it: a `_`
    /// parameter takes arrays of any rank, and a 1-D and a 2-D view must never share an entry.
    fn code(&self) -> u16;
    /// The full DSL type (slow path only).
    fn ty(&self) -> Ty;
}

/// A Rust parameter type that njit functions accept.
pub trait Arg {
    type Abi: AbiValue;
    fn abi(&mut self) -> Self::Abi;
}

/// Element types of arrays.
pub trait Element: Copy + 'static {
    const SCALAR: Scalar;
}

macro_rules! scalars {
    ($($t:ty => $s:ident),*) => {$(
        impl Element for $t {
            const SCALAR: Scalar = Scalar::$s;
        }
        impl AbiValue for $t {
            fn code(&self) -> u16 {
                scalar_code(Scalar::$s)
            }
            fn ty(&self) -> Ty {
                Ty::Scalar(Scalar::$s)
            }
        }
        impl Arg for $t {
            type Abi = $t;
            #[inline(always)]
            fn abi(&mut self) -> $t {
                *self
            }
        }
        unsafe impl Ret for $t {
            type Abi = $t;
            const CODE: u16 = Scalar::$s as u16;
            fn ty() -> Ty {
                Ty::Scalar(Scalar::$s)
            }
            #[inline(always)]
            unsafe fn from_abi(abi: $t) -> $t {
                abi
            }
        }
    )*};
}
scalars!(i8 => I8, i16 => I16, i32 => I32, i64 => I64, isize => Isize, u8 => U8, u16 => U16, u32 => U32,
         u64 => U64, usize => Usize, f32 => F32, f64 => F64, Complex32 => C64, Complex64 => C128);

impl Element for bool {
    const SCALAR: Scalar = Scalar::Bool;
}
impl AbiValue for BoolAbi {
    fn code(&self) -> u16 {
        scalar_code(Scalar::Bool)
    }
    fn ty(&self) -> Ty {
        Ty::Scalar(Scalar::Bool)
    }
}
impl Arg for bool {
    type Abi = BoolAbi;
    #[inline(always)]
    fn abi(&mut self) -> BoolAbi {
        BoolAbi(u8::from(*self))
    }
}
unsafe impl Ret for bool {
    type Abi = BoolAbi;
    const CODE: u16 = Scalar::Bool as u16;
    fn ty() -> Ty {
        Ty::Scalar(Scalar::Bool)
    }
    #[inline(always)]
    unsafe fn from_abi(abi: BoolAbi) -> bool {
        abi.0 != 0
    }
}

/// A scalar: its dtype, layout bits `11` and the mutable bit set (no array has that layout code),
/// rank bits 0.
#[inline(always)]
fn scalar_code(s: Scalar) -> u16 {
    u16::from((s.code() << 3) | 0b111)
}

/// The layout of an array from its shape and strides (in elements). Empty arrays and arrays that
/// are contiguous in both orders count as C.
#[inline(always)]
pub fn layout_of<const N: usize>(shape: &[usize; N], strides: &[isize; N]) -> Layout {
    if shape.contains(&0) {
        return Layout::C;
    }
    let mut expect: isize = 1;
    let mut c = true;
    for k in (0..N).rev() {
        if shape[k] != 1 && strides[k] != expect {
            c = false;
            break;
        }
        expect = expect.wrapping_mul(shape[k] as isize);
    }
    if c {
        return Layout::C;
    }
    let mut expect: isize = 1;
    for k in 0..N {
        if shape[k] != 1 && strides[k] != expect {
            return Layout::Any;
        }
        expect = expect.wrapping_mul(shape[k] as isize);
    }
    Layout::F
}

impl<T: Element, const N: usize, const MUT: bool> AbiValue for ArrayDesc<T, N, MUT> {
    #[inline(always)]
    fn code(&self) -> u16 {
        let low = (T::SCALAR.code() << 3) | (layout_of(&self.shape, &self.strides).code() << 1) | u8::from(MUT);
        u16::from(low) | (((N as u16) - 1) << 7)
    }
    fn ty(&self) -> Ty {
        Ty::Array(ArrayTy {
            elem: T::SCALAR,
            ndim: N as u8,
            layout: layout_of(&self.shape, &self.strides),
            mutable: MUT,
        })
    }
}

macro_rules! arrays {
    ($($n:literal),*) => {$(
        impl<'a, T: Element> Arg for ArrayView<'a, T, Dim<[Ix; $n]>> {
            type Abi = ArrayDesc<T, $n, false>;
            #[inline(always)]
            fn abi(&mut self) -> Self::Abi {
                desc(self.as_ptr() as *mut T, self.shape(), self.strides())
            }
        }
        impl<'a, T: Element> Arg for ArrayViewMut<'a, T, Dim<[Ix; $n]>> {
            type Abi = ArrayDesc<T, $n, true>;
            #[inline(always)]
            fn abi(&mut self) -> Self::Abi {
                let data = self.as_mut_ptr();
                desc(data, self.shape(), self.strides())
            }
        }
        impl<'a, T: Element> Arg for &'a Array<T, Dim<[Ix; $n]>> {
            type Abi = ArrayDesc<T, $n, false>;
            #[inline(always)]
            fn abi(&mut self) -> Self::Abi {
                desc(self.as_ptr() as *mut T, self.shape(), self.strides())
            }
        }
        impl<'a, T: Element> Arg for &'a mut Array<T, Dim<[Ix; $n]>> {
            type Abi = ArrayDesc<T, $n, true>;
            #[inline(always)]
            fn abi(&mut self) -> Self::Abi {
                let data = self.as_mut_ptr();
                desc(data, self.shape(), self.strides())
            }
        }
        unsafe impl<T: Element> Ret for Array<T, Dim<[Ix; $n]>> {
            type Abi = ArrayDesc<T, $n, true>;
            const CODE: u16 = 0x100 | ((T::SCALAR as u16) << 2) | ($n - 1);
            fn ty() -> Ty {
                Ty::Array(ArrayTy { elem: T::SCALAR, ndim: $n, layout: Layout::Any, mutable: true })
            }
            unsafe fn from_abi(abi: Self::Abi) -> Self {
                let len: usize = abi.shape.iter().product();
                let size = std::mem::size_of::<T>();
                // SAFETY: the kernel allocated the array with `env::ArrayMemory::alloc` for `len`
                // elements of `T` (its size and alignment) and handed it over (`env::rjit_take`).
                let (offset, total) = unsafe { ArrayMemory::offset_of(abi.data as *const u8, len * size, size, std::mem::align_of::<T>()) };
                if total == 0 {
                    return Array::from_shape_vec(abi.shape, Vec::new()).expect("rjit: an empty array's shape");
                }
                // SAFETY: the allocation is `total` bytes of initialized `T`s (the padding is
                // zeroed elements) starting `offset` bytes before the data, laid out as
                // `Layout::array::<T>(total / size)`; the `len` from `offset` are C-ordered.
                let v = unsafe { Vec::from_raw_parts(abi.data.byte_sub(offset), total / size, total / size) };
                let first = offset / size;
                let flat = Array::from_vec(v).slice_move(ndarray::s![first..first + len]);
                flat.into_shape_with_order(abi.shape).expect("rjit: a returned array's shape matches its length")
            }
        }
    )*};
}
arrays!(1, 2, 3, 4);

#[inline(always)]
fn desc<T, const N: usize, const MUT: bool>(data: *mut T, shape: &[usize], strides: &[isize]) -> ArrayDesc<T, N, MUT> {
    let mut d = ArrayDesc { data, shape: [0; N], strides: [0; N] };
    d.shape.copy_from_slice(shape);
    d.strides.copy_from_slice(strides);
    d
}

impl<T: Element> Arg for &[T] {
    type Abi = ArrayDesc<T, 1, false>;
    #[inline(always)]
    fn abi(&mut self) -> Self::Abi {
        ArrayDesc { data: self.as_ptr() as *mut T, shape: [self.len()], strides: [1] }
    }
}
impl<T: Element> Arg for &mut [T] {
    type Abi = ArrayDesc<T, 1, true>;
    #[inline(always)]
    fn abi(&mut self) -> Self::Abi {
        ArrayDesc { data: self.as_mut_ptr(), shape: [self.len()], strides: [1] }
    }
}

/// A type an njit function can return.
///
/// # Safety
/// `Abi` must be laid out as codegen lays out the DSL type (`repr(C)`), and `from_abi` may assume
/// the compiled code filled it.
pub unsafe trait Ret: Sized {
    type Abi: Copy;
    /// A code distinguishing return types, for kernels whose return type the caller chooses (`-> _`).
    const CODE: u16;
    /// The DSL type this Rust type receives (layouts are not part of it).
    fn ty() -> Ty;
    /// # Safety
    /// `abi` was written by compiled code for this return type.
    unsafe fn from_abi(abi: Self::Abi) -> Self;
}

unsafe impl Ret for () {
    type Abi = ();
    const CODE: u16 = 0x1ff;
    fn ty() -> Ty {
        Ty::Unit
    }
    unsafe fn from_abi(_: ()) {}
}

macro_rules! tuples {
    ($($name:ident: $($t:ident $i:tt),*;)*) => {$(
        #[repr(C)]
        #[derive(Clone, Copy)]
        pub struct $name<$($t),*>($(pub $t),*);
        unsafe impl<$($t: Ret),*> Ret for ($($t,)*) {
            type Abi = $name<$($t::Abi),*>;
            // Tuples under `-> _` are told apart by `ty()` on the slow path: this code keeps them off
            // the fast path.
            const CODE: u16 = PARTIAL;
            fn ty() -> Ty {
                Ty::Tuple(vec![$($t::ty()),*])
            }
            unsafe fn from_abi(abi: Self::Abi) -> Self {
                // SAFETY: each part was written by compiled code for its own type.
                unsafe { ($($t::from_abi(abi.$i),)*) }
            }
        }
    )*};
}
tuples! {
    Tup1: A 0;
    Tup2: A 0, B 1;
    Tup3: A 0, B 1, C 2;
    Tup4: A 0, B 1, C 2, D 3;
    Tup5: A 0, B 1, C 2, D 3, E 4;
    Tup6: A 0, B 1, C 2, D 3, E 4, F 5;
    Tup7: A 0, B 1, C 2, D 3, E 4, F 5, G 6;
    Tup8: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7;
    Tup9: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8;
    Tup10: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9;
    Tup11: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10;
    Tup12: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11;
}

/// A compiled entry: arguments (pointers to ABI values), return buffer, environment.
pub type Entry = unsafe extern "C" fn(*const *const u8, *mut u8, *mut CallEnv);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_found_from_strides() {
        assert_eq!(layout_of(&[3, 4], &[4, 1]), Layout::C);
        assert_eq!(layout_of(&[3, 4], &[1, 3]), Layout::F);
        assert_eq!(layout_of(&[3, 4], &[8, 2]), Layout::Any);
        assert_eq!(layout_of(&[5], &[-1]), Layout::Any);
        assert_eq!(layout_of(&[1, 4], &[99, 1]), Layout::C);
        assert_eq!(layout_of(&[0, 4], &[7, 7]), Layout::C);
    }
}
