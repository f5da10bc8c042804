/**
 * Interop with PyTorch: {@link dev.elman.engine.interop.TorchRnnWeights} reads an {@code nn.RNN}'s
 * {@code state_dict()} (safetensors), infers the network's shape from its keys
 * ({@link dev.elman.engine.interop.TorchRnnKeys}) and shapes into a
 * {@link dev.elman.engine.model.ModelConfig} (with the nonlinearity, which a state dict does not
 * store, given by the caller), rejects inconsistent sets naming the key, and maps it to an Elman
 * {@link dev.elman.engine.model.Model} and back (the two torch biases
 * are one sum inside; both receive its gradient). {@link dev.elman.engine.interop.TorchRnn} runs
 * such a network with torch's calling convention, which is what {@code rnn run} and
 * {@code rnn grad} do:
 *
 * <pre>{@code
 * TorchRnnWeights weights = TorchRnnWeights.read(Path.of("W.safetensors"), TorchRnn.nonlinearity("tanh"));
 * ModelConfig config = weights.config();                       // layers, sizes, directions, bias
 * TorchRnn rnn = new TorchRnn(weights);
 * Tensor x = Npy.read(Path.of("X.npy"));                     // [T, B, I]
 * TorchRnnOutput out = rnn.forward(x, null);                   // h_0 = zeros
 * Npy.write(Path.of("Y.npy"), out.output());                   // [T, B, D·H]
 * TorchRnnGradients g = rnn.gradient(x, null, Npy.read(Path.of("GY.npy")), 35);  // chunks of 35 steps
 * Safetensors.write(Path.of("G.safetensors"), g.tensors());
 * }</pre>
 *
 * <p>Elman's own model file ({@code ModelFile}) lives here too: it keeps what a torch state dict
 * cannot (the activation, an output head, merged directions).
 */
package dev.elman.engine.interop;
