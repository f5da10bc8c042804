package dev.elman.jmh.report;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the CSV lines the peers kit prints ({@code torch_rnn_bench.py}, {@code onednn_rnn_bench}):
 * <pre>
 * # system,threads,B,H,I,T,K,mode,ms_per_seq,us_per_step,gflops,reps,iqr_pct,p99_us_per_step
 * onednn-2.6.3,1,32,512,512,256,64,train,299.0431,1168.137,86.17,5,8.2,1287.488
 * </pre>
 * and the machine's sgemm rate as {@code jmh/run-peers.sh} writes it beside them ({@link SgemmRate}):
 * <pre>
 * sgemm,2,1024,301.4,318.0,52
 * </pre>
 * Lines starting with {@code #} and blank lines are skipped; every other line must be a complete
 * result. A file with no result at all is an error too (it is almost certainly the wrong file).
 */
public final class PeersCsv {
    /** The kit's column header, for messages. */
    public static final String HEADER = "system,threads,B,H,I,T,K,mode,ms_per_seq,us_per_step,gflops,reps,iqr_pct,"
            + "p99_us_per_step";
    private static final String[] COLUMNS = HEADER.split(",");
    private static final Set<String> MODES = Set.of("fwd", "train", "step");

    private PeersCsv() {
    }

    /**
     * Reads one file.
     *
     * @param file a CSV file of the peers kit
     * @return its results, in file order
     * @throws PeersFormatException naming the file and line of the first line that is not a result
     * @throws IOException when the file cannot be read
     */
    public static List<PeerRow> read(Path file) throws IOException {
        return readContents(file).rows();
    }

    /**
     * Reads one file, RNN rows and sgemm rates.
     *
     * @param file a CSV file of the peers kit or of {@code run-peers.sh}'s sgemm run
     * @return its results, in file order
     * @throws PeersFormatException naming the file and line of the first line that is not a result
     * @throws IOException when the file cannot be read
     */
    public static PeerResults readContents(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such peers file");
        } catch (MalformedInputException e) {
            throw new PeersFormatException(file, 0, "not UTF-8 text; expected the CSV lines of the peers kit");
        }
        List<PeerRow> rows = new ArrayList<>();
        List<SgemmRate> rates = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith(SgemmRate.TAG + ",")) {
                rates.add(parseSgemm(file, n + 1, line));
            } else {
                rows.add(parse(file, n + 1, line));
            }
        }
        if (rows.isEmpty() && rates.isEmpty()) {
            throw new PeersFormatException(file, 0, "no result lines; expected lines of " + HEADER + " or "
                    + SgemmRate.HEADER);
        }
        return new PeerResults(rows, rates);
    }

    /**
     * Reads several files.
     *
     * @param files CSV files of the peers kit
     * @return all their results, file by file
     * @throws IOException as {@link #read(Path)}
     */
    public static List<PeerRow> readAll(List<Path> files) throws IOException {
        return readAllContents(files).rows();
    }

    /**
     * Reads several files, RNN rows and sgemm rates.
     *
     * @param files CSV files of the peers kit or of {@code run-peers.sh}'s sgemm run
     * @return all their results, file by file
     * @throws IOException as {@link #read(Path)}
     */
    public static PeerResults readAllContents(List<Path> files) throws IOException {
        List<PeerRow> rows = new ArrayList<>();
        List<SgemmRate> rates = new ArrayList<>();
        for (Path file : files) {
            PeerResults contents = readContents(file);
            rows.addAll(contents.rows());
            rates.addAll(contents.sgemm());
        }
        return new PeerResults(rows, rates);
    }

    static SgemmRate parseSgemm(Path file, int lineNumber, String line) throws PeersFormatException {
        String[] fields = line.split(",", -1);
        String[] columns = SgemmRate.HEADER.split(",");
        if (fields.length != columns.length) {
            throw new PeersFormatException(file, lineNumber, "expected " + columns.length + " comma-separated fields ("
                    + SgemmRate.HEADER + "), got " + fields.length + ": '" + abbreviate(line) + "'");
        }
        Fields f = new Fields(file, lineNumber, fields, columns);
        return new SgemmRate(f.positiveInt(1), f.positiveInt(2), f.positive(3), f.positive(4), f.positiveInt(5));
    }

    static PeerRow parse(Path file, int lineNumber, String line) throws PeersFormatException {
        String[] fields = line.split(",", -1);
        if (fields.length != COLUMNS.length) {
            throw new PeersFormatException(file, lineNumber, "expected " + COLUMNS.length + " comma-separated fields ("
                    + HEADER + "), got " + fields.length + ": '" + abbreviate(line) + "'");
        }
        Fields f = new Fields(file, lineNumber, fields, COLUMNS);
        String system = f.text(0);
        int threads = f.positiveInt(1);
        int batch = f.positiveInt(2);
        int hidden = f.positiveInt(3);
        int input = f.positiveInt(4);
        int steps = f.positiveInt(5);
        int window = f.positiveInt(6);
        String mode = f.text(7);
        if (!MODES.contains(mode)) {
            throw new PeersFormatException(file, lineNumber, "field mode: expected fwd, train or step, got '" + mode + "'");
        }
        return new PeerRow(system, threads, batch, hidden, input, steps, window, mode, f.positive(8), f.positive(9),
                f.nonNegative(10), f.positiveInt(11), f.nonNegative(12), f.nonNegative(13));
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }

    /** The fields of one line, converted with messages naming the column. */
    private record Fields(Path file, int line, String[] values, String[] columns) {
        String text(int column) throws PeersFormatException {
            String value = values[column].strip();
            if (value.isEmpty()) {
                throw new PeersFormatException(file, line, "field " + columns[column] + " is empty");
            }
            return value;
        }

        int positiveInt(int column) throws PeersFormatException {
            String value = text(column);
            int parsed;
            try {
                parsed = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new PeersFormatException(file, line, "field " + columns[column] + ": expected a whole number, got '"
                        + value + "'");
            }
            if (parsed < 1) {
                throw new PeersFormatException(file, line, "field " + columns[column] + ": expected at least 1, got "
                        + parsed);
            }
            return parsed;
        }

        double positive(int column) throws PeersFormatException {
            double parsed = number(column);
            if (!(parsed > 0)) {
                throw new PeersFormatException(file, line, "field " + columns[column] + ": expected a positive number, got "
                        + values[column].strip());
            }
            return parsed;
        }

        double nonNegative(int column) throws PeersFormatException {
            double parsed = number(column);
            if (parsed < 0) {
                throw new PeersFormatException(file, line, "field " + columns[column] + ": expected a number ≥ 0, got "
                        + values[column].strip());
            }
            return parsed;
        }

        private double number(int column) throws PeersFormatException {
            String value = text(column);
            double parsed;
            try {
                parsed = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                parsed = Double.NaN;
            }
            // parseDouble also takes "NaN", "Infinity" and hex forms; none is a measurement.
            if (!Double.isFinite(parsed) || !value.matches("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?")) {
                throw new PeersFormatException(file, line, "field " + columns[column] + ": expected a number, got '"
                        + value + "'");
            }
            return parsed;
        }
    }
}
