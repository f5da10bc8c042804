/**
 * The kernel contract of Elman and its executable specification.
 *
 * <p>{@link dev.elman.kernels.RecurrentKernels} is the one interface every implementation of the
 * recurrent layer's forward and backward passes and of the output head satisfies;
 * {@link dev.elman.reference.ReferenceKernels} is the literal transcription of the equations that
 * every other implementation is tested against.
 */
module dev.elman.reference {
    exports dev.elman.kernels;
    exports dev.elman.reference;
}
