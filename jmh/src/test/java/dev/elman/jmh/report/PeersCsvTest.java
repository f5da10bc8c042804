package dev.elman.jmh.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PeersCsvTest {
    /** Lines as the kit prints them (onednn_rnn_bench, then torch_rnn_bench.py). */
    private static final String ONEDNN = """
            # onednn-2.6.3 cpu_runtime=OpenMP threads=1; FLOPs: fwd 2*B*H*(I+H) per step, train (fwd+bwd) = 3x fwd
            # system,threads,B,H,I,T,K,mode,ms_per_seq,us_per_step,gflops,reps,iqr_pct,p99_us_per_step
            # impl fwd: brgemm
            onednn-2.6.3,1,1,64,64,256,256,fwd,0.1664,0.650,25.20,5741,8.6,0.997

            onednn-2.6.3,1,32,512,512,256,64,train,299.0431,1168.137,86.17,5,8.2,1287.488
            onednn-2.6.3,1,1,64,64,1,1,step,0.0012,1.233,13.29,1000000,2.4,1.623
            """;

    @Test
    void readsEveryResultLineAndSkipsCommentsAndBlankLines(@TempDir Path folder) throws IOException {
        Path file = write(folder, "onednn.csv", ONEDNN);
        List<PeerRow> rows = PeersCsv.read(file);
        assertEquals(3, rows.size());
        PeerRow train = rows.get(1);
        assertEquals(new PeerRow("onednn-2.6.3", 1, 32, 512, 512, 256, 64, "train", 299.0431, 1168.137, 86.17, 5, 8.2,
                1287.488), train);
        assertEquals("onednn-2.6.3 1t", train.label());
        // 3 · 2·32·512·(512+512) FLOP in 1168.137 µs: the kit's own 86.17 GFLOP/s.
        assertEquals(3 * 2.0 * 32 * 512 * 1024, train.flopPerStep());
        assertEquals(86.17, train.flopPerStep() / (train.microsPerStep() * 1e3), 0.005);
        assertEquals("step", rows.get(2).mode());
    }

    /** run-peers.sh writes the sgemm rates in their own lines; they are kept apart from the RNN rows. */
    @Test
    void sgemmLinesAreRatesNotRows(@TempDir Path folder) throws IOException {
        Path file = write(folder, "sgemm.csv", """
                # run-peers sgemm: OpenBLAS 0.3.21
                # sgemm,threads,n,median_gflops,best_gflops,reps
                sgemm,1,1024,197.5,203.1,120
                sgemm,2,1024,301.4,318.0,52
                """);
        PeerResults contents = PeersCsv.readContents(file);
        assertEquals(List.of(), contents.rows());
        assertEquals(List.of(new SgemmRate(1, 1024, 197.5, 203.1, 120), new SgemmRate(2, 1024, 301.4, 318.0, 52)),
                contents.sgemm());
        PeerResults both = PeersCsv.readAllContents(List.of(write(folder, "onednn.csv", ONEDNN), file));
        assertEquals(3, both.rows().size());
        assertEquals(2, both.sgemm().size());
    }

    @Test
    void aBadSgemmLineIsNamedByFileLineAndField(@TempDir Path folder) throws IOException {
        Path file = write(folder, "sgemm.csv", "sgemm,2,1024,fast,318.0,52\n");
        PeersFormatException e = assertThrows(PeersFormatException.class, () -> PeersCsv.read(file));
        assertEquals(file + ":1: field median_gflops: expected a number, got 'fast'", e.getMessage());
        Path short_ = write(folder, "short.csv", "sgemm,2,1024\n");
        e = assertThrows(PeersFormatException.class, () -> PeersCsv.read(short_));
        assertEquals(short_ + ":1: expected 6 comma-separated fields (" + SgemmRate.HEADER + "), got 3: 'sgemm,2,1024'",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            too few fields      | onednn-2.6.3,1,1,64,64,256,256,fwd,0.1664,0.650   | expected 14 comma-separated fields
            not a number        | onednn,1,1,64,64,256,256,fwd,0.1664,fast,25.2,5,8.6,0.9 | field us_per_step: expected a number, got 'fast'
            NaN is no number    | onednn,1,1,64,64,256,256,fwd,0.1664,NaN,25.2,5,8.6,0.9 | field us_per_step: expected a number, got 'NaN'
            zero time           | onednn,1,1,64,64,256,256,fwd,0.1664,0,25.2,5,8.6,0.9 | field us_per_step: expected a positive number
            fractional batch    | onednn,1,1.5,64,64,256,256,fwd,0.1664,0.65,25.2,5,8.6,0.9 | field B: expected a whole number, got '1.5'
            zero hidden         | onednn,1,1,0,64,256,256,fwd,0.1664,0.65,25.2,5,8.6,0.9 | field H: expected at least 1, got 0
            unknown mode        | onednn,1,1,64,64,256,256,infer,0.1664,0.65,25.2,5,8.6,0.9 | field mode: expected fwd, train or step, got 'infer'
            empty system        | ,1,1,64,64,256,256,fwd,0.1664,0.65,25.2,5,8.6,0.9 | field system is empty
            """)
    void aBadLineIsNamedByFileAndLine(String name, String line, String problem, @TempDir Path folder) throws IOException {
        Path file = write(folder, "peers.csv", ONEDNN + line + "\n");
        PeersFormatException e = assertThrows(PeersFormatException.class, () -> PeersCsv.read(file));
        // The bad line is the 8th: ONEDNN has 7 lines (3 comments, 3 results, 1 blank).
        String prefix = file + ":8: ";
        assertEquals(prefix, e.getMessage().substring(0, prefix.length()), e.getMessage());
        assertEquals(true, e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void aFileWithoutResultsIsRejected(@TempDir Path folder) throws IOException {
        Path file = write(folder, "empty.csv", "# system,threads,B,H,I,T,K,mode\n\n");
        PeersFormatException e = assertThrows(PeersFormatException.class, () -> PeersCsv.read(file));
        assertEquals(file + ": no result lines; expected lines of " + PeersCsv.HEADER + " or " + SgemmRate.HEADER,
                e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path folder) {
        Path file = folder.resolve("absent.csv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> PeersCsv.readAll(List.of(file)));
        assertEquals(file.toString(), e.getFile());
    }

    @Test
    void binaryIsNotTakenForCsv(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("image.png");
        Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, (byte) 0xfe, 0});
        PeersFormatException e = assertThrows(PeersFormatException.class, () -> PeersCsv.read(file));
        assertEquals(file + ": not UTF-8 text; expected the CSV lines of the peers kit", e.getMessage());
    }

    private static Path write(Path folder, String name, String text) throws IOException {
        Path file = folder.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
