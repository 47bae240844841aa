package io.mpathfs.fuse.fuse3;

import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.HeapInvocationBuffer;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.Type;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import ru.serce.jnrfuse.FuseFillDir;

/**
 * Calls libfuse3's fuse_fill_dir_t (buf, name, stat, off, flags) — a C function pointer handed to
 * readdir, which jnr-ffi cannot turn into a callable delegate — through jffi, and presents it to
 * MpathFs as jnr-fuse's 4-argument FuseFillDir (flags 0: no attributes with the names).
 */
final class FillDirCall {
    private static final Runtime RUNTIME = Runtime.getSystemRuntime();
    /** libfuse passes one of a couple of filler functions; describe each once. */
    private static final ConcurrentHashMap<Long, Function> FUNCTIONS = new ConcurrentHashMap<>();
    private static final int NAME_MAX = 255;

    private FillDirCall() {
    }

    static FuseFillDir over(Pointer filler) {
        long address = filler.address();
        Function f = FUNCTIONS.computeIfAbsent(address, a -> new Function(a, Type.SINT,
                new Type[] {Type.POINTER, Type.POINTER, Type.POINTER, Type.SINT64, Type.SINT},
                CallingConvention.DEFAULT, false));
        Pointer name = Memory.allocateDirect(RUNTIME, NAME_MAX + 1, true);
        return (Pointer buf, ByteBuffer nameBytes, Pointer stat, long offset) -> {
            ByteBuffer n = nameBytes.duplicate();
            int len = Math.min(n.remaining(), NAME_MAX);
            byte[] bytes = new byte[len];
            n.get(bytes);
            while (len > 0 && bytes[len - 1] == 0) {
                len--;
            }
            name.put(0, bytes, 0, len);
            name.putByte(len, (byte) 0);
            HeapInvocationBuffer args = new HeapInvocationBuffer(f);
            args.putAddress(buf.address());
            args.putAddress(name.address());
            args.putAddress(stat == null ? 0 : stat.address());
            args.putLong(offset);
            args.putInt(0);
            return Invoker.getInstance().invokeInt(f, args);
        };
    }
}
