package dev.elman.cli;

import dev.elman.engine.interop.ModelFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rnn evaluate} on tiny models trained here: the f32 row is the held-out loss training
 * reported for the same held-out set, the reduced rows are there and finite, and mistakes are one
 * line with the documented status.
 */
class EvaluateCommandTest {
    @TempDir
    static Path folder;
    static Path adding;
    static Path chars;
    static Path text;

    @BeforeAll
    static void train() throws IOException {
        adding = folder.resolve("adding.elman");
        chars = folder.resolve("chars.elman");
        text = folder.resolve("text.txt");
        Files.writeString(text, "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Cli.Result a = Cli.run("train", "--task", "adding", "--length", "10", "--hidden", "5", "--steps", "20",
                "--evaluations", "1", "--held-out", "300", "--seed", "7", "--out", adding.toString());
        assertEquals(0, a.status(), a.err());
        Cli.Result c = Cli.run("train", "--task", "chars", "--text", text.toString(), "--length", "12", "--hidden", "8",
                "--steps", "20", "--evaluations", "1", "--held-out", "40", "--sample", "0", "--out", chars.toString());
        assertEquals(0, c.status(), c.err());
    }

    @Test
    void theF32RowIsTheHeldOutLossTrainingReportedAndTheReducedRowsAreFinite() throws IOException {
        Path csv = folder.resolve("adding.csv");
        Cli.Result result = Cli.run("evaluate", "--model", adding.toString(), "--sequences", "300", "--csv",
                csv.toString());
        assertEquals(0, result.status(), result.err());
        // 300 sequences are two batches of 256, as training measured them (with its seed, read from the file).
        assertTrue(result.out().contains("512 sequences"), result.out());
        assertTrue(result.out().contains("training seed 7, from the file"), result.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("precision,recurrent_weight_bytes,loss,loss_difference,max_abs_output_difference", lines.get(0));
        assertEquals(4, lines.size(), String.join("\n", lines));
        String[] f32 = lines.get(1).split(",");
        assertEquals("f32", f32[0]);
        // The checkpoint keeps training's last held-out loss to 6 significant digits.
        double trained = Double.parseDouble(ModelFile.load(adding).metadata().get(Checkpoints.HELD_OUT_KEY));
        assertEquals(trained, Double.parseDouble(f32[2]), 1e-5 * trained, "the f32 loss is training's held-out loss");
        assertEquals("0.0", f32[3]);
        // The adding problem reads 2 features (value, marker): Wx is 5 × 2, Wh 5 × 5.
        assertEquals(4L * (5 * 2 + 5 * 5), Long.parseLong(f32[1]), "Wx and Wh in float32");
        for (int i = 2; i <= 3; i++) {
            String[] row = lines.get(i).split(",");
            assertEquals(i == 2 ? "bf16" : "int8", row[0]);
            double loss = Double.parseDouble(row[2]);
            double deviation = Double.parseDouble(row[4]);
            assertTrue(Double.isFinite(loss) && loss > 0, lines.get(i));
            assertTrue(Double.isFinite(deviation) && deviation > 0 && deviation < 0.1, lines.get(i));
            assertEquals(loss - Double.parseDouble(f32[2]), Double.parseDouble(row[3]), 1e-12, lines.get(i));
        }
        assertEquals(2L * (10 + 25), Long.parseLong(lines.get(2).split(",")[1]), "bf16: 2 bytes a weight");
        assertEquals(10 + 25 + 2 * 5 * 4, Long.parseLong(lines.get(3).split(",")[1]), "int8: a byte a weight, a scale a row");
        // The table on standard output has the same rows, aligned.
        assertTrue(result.out().contains("precision   Wx+Wh bytes"), result.out());
        assertTrue(result.out().lines().anyMatch(line -> line.startsWith("int8 ")), result.out());
    }

    @Test
    void aCharacterModelNeedsItsTextAndReportsBitsPerCharacter() {
        Cli.Result result = Cli.run("evaluate", "--model", chars.toString(), "--text", text.toString(), "--sequences",
                "40", "--precision", "INT8");
        assertEquals(0, result.status(), result.err());
        assertTrue(result.out().contains("bits/char"), result.out());
        assertTrue(result.out().lines().anyMatch(line -> line.startsWith("f32 ")), "f32 is always the reference");
        assertTrue(result.out().lines().noneMatch(line -> line.startsWith("bf16 ")), result.out());
        Cli.Result missing = Cli.run("evaluate", "--model", chars.toString());
        assertEquals(2, missing.status());
        assertTrue(missing.errorLine().contains("--text FILE"), missing.err());
        Cli.Result wrong = Cli.run("evaluate", "--model", adding.toString(), "--text", text.toString());
        assertEquals(2, wrong.status());
        assertTrue(wrong.errorLine().contains("--text is for a character model"), wrong.err());
    }

    @Test
    void mistakesAreOneLineWithTheirStatus() throws IOException {
        Cli.Result unknown = Cli.run("evaluate", "--model", adding.toString(), "--precision", "f32,fp16");
        assertEquals(2, unknown.status());
        assertTrue(unknown.errorLine().contains("--precision") && unknown.errorLine().contains("f32, bf16, int8"),
                unknown.err());
        // As for sample and diagnose: a file that cannot be read, or is not a model, is status 1.
        Cli.Result absent = Cli.run("evaluate", "--model", folder.resolve("absent.elman").toString());
        assertEquals(1, absent.status());
        assertTrue(absent.errorLine().contains("absent.elman"), absent.err());
        Cli.Result notModel = Cli.run("evaluate", "--model", text.toString());
        assertEquals(1, notModel.status());
        assertTrue(notModel.errorLine().contains("text.txt"), notModel.err());
        Cli.Result noModel = Cli.run("evaluate");
        assertEquals(2, noModel.status());
        assertTrue(noModel.errorLine().contains("--model"), noModel.err());
    }
}
