; first_above(i64[::1], i64)
; ModuleID = 'first_above'
source_filename = "first_above"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

@site.0 = private constant [44 x i8] c"first_above\1Ftests/suite/snapshots.rs\1F29\1F11\1F\00"
@site.1 = private constant [42 x i8] c"first_above\1Ftests/suite/snapshots.rs\1F0\1F0\1F\00"

define internal i64 @first_above.0(i8* %0, { i64*, [1 x i64], [1 x i64], i8* } %1, i64 %2) {
entry:
  %i = alloca i64, align 8
  %t = alloca i64, align 8
  %v = alloca { i64*, [1 x i64], [1 x i64], i8* }, align 8
  store { i64*, [1 x i64], [1 x i64], i8* } zeroinitializer, { i64*, [1 x i64], [1 x i64], i8* }* %v, align 8
  store { i64*, [1 x i64], [1 x i64], i8* } %1, { i64*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %meminfo = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %1, 3
  %owned = icmp ne i8* %meminfo, null
  store i64 0, i64* %t, align 8
  store i64 0, i64* %i, align 8
  br i1 %owned, label %rc, label %rc.done

rc:                                               ; preds = %entry
  %count = bitcast i8* %meminfo to i64*
  %3 = atomicrmw add i64* %count, i64 1 monotonic, align 8
  br label %rc.done

rc.done:                                          ; preds = %rc, %entry
  %dims = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %1, 1
  %dim = extractvalue [1 x i64] %dims, 0
  %dim.ok = icmp sge i64 %dim, 0
  call void @llvm.assume(i1 %dim.ok)
  store i64 %2, i64* %t, align 8
  store i64 0, i64* %i, align 8
  br label %while.head

while.head:                                       ; preds = %endif, %rc.done
  %load = load i64, i64* %i, align 8
  %borrow = load { i64*, [1 x i64], [1 x i64], i8* }, { i64*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %dims1 = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %borrow, 1
  %dim2 = extractvalue [1 x i64] %dims1, 0
  %icmp = icmp slt i64 %load, %dim2
  br i1 %icmp, label %while.body, label %while.exit

while.body:                                       ; preds = %while.head
  %borrow3 = load { i64*, [1 x i64], [1 x i64], i8* }, { i64*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %dims4 = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %borrow3, 1
  %dim5 = extractvalue [1 x i64] %dims4, 0
  %load6 = load i64, i64* %i, align 8
  %neg = icmp slt i64 %load6, 0
  %wrapped = add i64 %load6, %dim5
  %idx = select i1 %neg, i64 %wrapped, i64 %load6
  %oob = icmp uge i64 %idx, %dim5
  br i1 %oob, label %fail, label %ok

while.exit:                                       ; preds = %while.head
  %local19 = load { i64*, [1 x i64], [1 x i64], i8* }, { i64*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %meminfo20 = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %local19, 3
  %owned21 = icmp ne i8* %meminfo20, null
  br i1 %owned21, label %rc22, label %rc.done23

fail:                                             ; preds = %while.body
  call void @rjit_fail(i8* %0, i8* getelementptr inbounds ([44 x i8], [44 x i8]* @site.0, i32 0, i32 0), i32 1, i64 %load6, i64 0, i64 %dim5)
  ret i64 0

ok:                                               ; preds = %while.body
  %dims7 = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %borrow3, 1
  %dim8 = extractvalue [1 x i64] %dims7, 0
  %off = mul i64 %idx, 1
  %off9 = add i64 0, %off
  %data = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %borrow3, 0
  %elem = getelementptr inbounds i64, i64* %data, i64 %off9
  %elem10 = load i64, i64* %elem, align 8
  %load11 = load i64, i64* %t, align 8
  %icmp12 = icmp sgt i64 %elem10, %load11
  br i1 %icmp12, label %then, label %else

then:                                             ; preds = %ok
  %load13 = load i64, i64* %i, align 8
  %local = load { i64*, [1 x i64], [1 x i64], i8* }, { i64*, [1 x i64], [1 x i64], i8* }* %v, align 8
  %meminfo14 = extractvalue { i64*, [1 x i64], [1 x i64], i8* } %local, 3
  %owned15 = icmp ne i8* %meminfo14, null
  br i1 %owned15, label %rc16, label %rc.done17

else:                                             ; preds = %ok
  br label %endif

endif:                                            ; preds = %else
  %cur = load i64, i64* %i, align 8
  %add = add i64 %cur, 1
  store i64 %add, i64* %i, align 8
  br label %while.head

rc16:                                             ; preds = %then
  %count18 = bitcast i8* %meminfo14 to i64*
  %4 = atomicrmw sub i64* %count18, i64 1 acq_rel, align 8
  %last = icmp eq i64 %4, 1
  br i1 %last, label %rc.free, label %rc.done17

rc.done17:                                        ; preds = %rc.free, %rc16, %then
  ret i64 %load13

rc.free:                                          ; preds = %rc16
  call void @rjit_free(i8* %0, i8* %meminfo14)
  br label %rc.done17

rc22:                                             ; preds = %while.exit
  %count24 = bitcast i8* %meminfo20 to i64*
  %5 = atomicrmw sub i64* %count24, i64 1 acq_rel, align 8
  %last25 = icmp eq i64 %5, 1
  br i1 %last25, label %rc.free26, label %rc.done23

rc.done23:                                        ; preds = %rc.free26, %rc22, %while.exit
  ret i64 -1

rc.free26:                                        ; preds = %rc22
  call void @rjit_free(i8* %0, i8* %meminfo20)
  br label %rc.done23
}

; Function Attrs: inaccessiblememonly nofree nosync nounwind willreturn
declare void @llvm.assume(i1 noundef) #0

; Function Attrs: cold
declare void @rjit_fail(i8*, i8*, i32, i64, i64, i64) #1

declare void @rjit_free(i8*, i8*)

define void @rjit_entry_first_above_3(i8** %0, i8* %1, i8* %2) {
entry:
  %arg.slot = getelementptr inbounds i8*, i8** %0, i64 0
  %arg.ptr = load i8*, i8** %arg.slot, align 8
  %arg.typed = bitcast i8* %arg.ptr to { i64*, [1 x i64], [1 x i64] }*
  %arg = load { i64*, [1 x i64], [1 x i64] }, { i64*, [1 x i64], [1 x i64] }* %arg.typed, align 8
  %f = extractvalue { i64*, [1 x i64], [1 x i64] } %arg, 0
  %arg1 = insertvalue { i64*, [1 x i64], [1 x i64], i8* } undef, i64* %f, 0
  %f2 = extractvalue { i64*, [1 x i64], [1 x i64] } %arg, 1
  %arg3 = insertvalue { i64*, [1 x i64], [1 x i64], i8* } %arg1, [1 x i64] %f2, 1
  %f4 = extractvalue { i64*, [1 x i64], [1 x i64] } %arg, 2
  %arg5 = insertvalue { i64*, [1 x i64], [1 x i64], i8* } %arg3, [1 x i64] %f4, 2
  %arg6 = insertvalue { i64*, [1 x i64], [1 x i64], i8* } %arg5, i8* null, 3
  %arg.slot7 = getelementptr inbounds i8*, i8** %0, i64 1
  %arg.ptr8 = load i8*, i8** %arg.slot7, align 8
  %arg.typed9 = bitcast i8* %arg.ptr8 to i64*
  %arg10 = load i64, i64* %arg.typed9, align 8
  %result = call i64 @first_above.0(i8* %2, { i64*, [1 x i64], [1 x i64], i8* } %arg6, i64 %arg10)
  %status.ptr = bitcast i8* %2 to i32*
  %status = load i32, i32* %status.ptr, align 4
  %failed = icmp ne i32 %status, 0
  br i1 %failed, label %done, label %ok

ok:                                               ; preds = %entry
  %ret = bitcast i8* %1 to i64*
  store i64 %result, i64* %ret, align 8
  br label %done

done:                                             ; preds = %ok, %entry
  ret void
}

attributes #0 = { inaccessiblememonly nofree nosync nounwind willreturn }
attributes #1 = { cold }

!llvm.module.flags = !{!0}

!0 = !{i32 2, !"Debug Info Version", i32 3}
