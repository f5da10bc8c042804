package dev.elman.engine.model;

/**
 * What {@link Model#gradient} returns: {@code dL/dθ} for every parameter, {@code dL/dx} and
 * {@code dL/dh0}, for a loss {@code L} whose gradient with respect to the model's outputs was given.
 *
 * @param parameters gradients named and shaped like the model's parameters
 * @param input {@code dL/dx}, {@code [T][B][I]}; zero at padding steps
 * @param initialState {@code dL/dh0}, {@code [L·D][B][H]} in PyTorch's {@code h_0} layout
 */
public record GradientResult(ModelGradients parameters, float[] input, float[] initialState) {
}
