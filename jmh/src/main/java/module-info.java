/**
 * JMH benchmarks of Elman's kernels, training and streaming inference.
 *
 * <p>Built into {@code jmh/target/benchmarks.jar} and run from it on the class path
 * ({@code java -jar jmh/target/benchmarks.jar}), and as a module beside the command line, to which
 * it adds the {@code bench} subcommand ({@code ./rnn bench}).
 */
module dev.elman.jmh {
    requires dev.elman.engine;
    requires dev.elman.cli;
    requires dev.elman.simd;
    // The ONNX Runtime benchmarks: the exporter writes the models, ONNX Runtime (an automatic
    // module, named in its jar's manifest) runs them.
    requires dev.elman.onnx;
    requires com.microsoft.onnxruntime;
    // BareRnnGraph rewrites the exported model on the protobuf wire format.
    requires com.google.protobuf;
    requires jmh.core;
    // JitWarmup reads per-thread allocation (com.sun.management.ThreadMXBean).
    requires jdk.management;
    // JMH reads fields through sun.misc.Unsafe; on the module path (./rnn bench) nothing else
    // resolves the module that holds it.
    requires jdk.unsupported;

    // JMH's generated harness and its runner reach the benchmark classes reflectively.
    opens dev.elman.jmh;
    // picocli fills bench's @Option fields.
    opens dev.elman.jmh.report to info.picocli;

    provides dev.elman.cli.Subcommand with dev.elman.jmh.report.BenchCommand;
}
