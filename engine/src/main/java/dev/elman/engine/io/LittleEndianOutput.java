package dev.elman.engine.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.util.zip.Checksum;

/**
 * Buffered little-endian writing to a channel, optionally feeding every byte written through a
 * checksum. Counts the bytes written so that writers can check the layout they promised.
 */
final class LittleEndianOutput {
    private static final int BUFFER_BYTES = 1 << 16;

    private final WritableByteChannel channel;
    private final Checksum checksum;
    private final byte[] array = new byte[BUFFER_BYTES];
    private final ByteBuffer buffer = ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment arraySegment = MemorySegment.ofArray(array);
    private long written;

    /** @param checksum updated with every byte written, or null */
    LittleEndianOutput(WritableByteChannel channel, Checksum checksum) {
        this.channel = channel;
        this.checksum = checksum;
    }

    void writeByte(int b) throws IOException {
        room(1);
        buffer.put((byte) b);
    }

    void writeInt(int v) throws IOException {
        room(4);
        buffer.putInt(v);
    }

    void writeLong(long v) throws IOException {
        room(8);
        buffer.putLong(v);
    }

    void writeFloat(float v) throws IOException {
        room(4);
        buffer.putFloat(v);
    }

    void writeDouble(double v) throws IOException {
        room(8);
        buffer.putDouble(v);
    }

    void write(byte[] bytes) throws IOException {
        write(MemorySegment.ofArray(bytes));
    }

    /** Writes the bytes of a segment as they are. */
    void write(MemorySegment bytes) throws IOException {
        long done = 0;
        long total = bytes.byteSize();
        while (done < total) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = (int) Math.min(buffer.remaining(), total - done);
            MemorySegment.copy(bytes, done, arraySegment, buffer.position(), n);
            buffer.position(buffer.position() + n);
            done += n;
        }
    }

    /** The number of bytes written so far, including those still buffered. */
    long position() {
        return written + buffer.position();
    }

    /** Writes out everything buffered. */
    void flush() throws IOException {
        buffer.flip();
        if (checksum != null) {
            checksum.update(buffer.duplicate());
        }
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        buffer.clear();
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }
}
