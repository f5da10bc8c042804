package dev.elman.engine.io;

/**
 * One tensor's entry in a file header: its name, element type, shape and byte range
 * {@code [begin, end)} within the file's data section. Built only by {@link TensorDirectory},
 * which has checked that the range holds exactly the shape's elements.
 */
record TensorEntry(String name, DType dtype, int[] shape, long begin, long end) {
}
