package dev.elman.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn sample} on a tiny character model trained through {@code rnn train}. */
class SampleCommandTest {
    @TempDir
    static Path folder;
    static Path chars;
    static Path adding;

    @BeforeAll
    static void trainTinyModels() throws IOException {
        Path text = folder.resolve("text.txt");
        Files.writeString(text, "abracadabra, said the cat. ".repeat(8));
        chars = folder.resolve("chars.elman");
        adding = folder.resolve("adding.elman");
        assertEquals(0, Cli.run("train", "--task", "chars", "--text", text.toString(), "--length", "8", "--hidden", "6",
                "--steps", "3", "--evaluations", "1", "--held-out", "4", "--sample", "0", "--out", chars.toString()).status());
        assertEquals(0, Cli.run("train", "--task", "adding", "--length", "4", "--hidden", "3", "--steps", "1",
                "--evaluations", "1", "--held-out", "4", "--out", adding.toString()).status());
    }

    @Test
    void printsThePrimeAndTheRequestedCharactersReproducibly() {
        Cli.Result result = Cli.run("sample", "--model", chars.toString(), "--prime", "abra", "--length", "30", "--seed", "4");
        assertEquals(0, result.status(), result.err());
        String text = result.out().strip();
        assertTrue(text.startsWith("abra"), text);
        assertEquals(34, result.out().length() - 1, "prime, 30 characters and a newline: " + result.out());
        assertEquals(result.out(), Cli.run("sample", "--model", chars.toString(), "--prime", "abra", "--length", "30",
                "--seed", "4").out());
        assertNotEquals(result.out(), Cli.run("sample", "--model", chars.toString(), "--prime", "abra", "--length", "30",
                "--seed", "5", "--temperature", "2").out());
    }

    @Test
    void aModelOfAnotherTaskOrAForeignPrimeIsAUsageError() {
        Cli.Result wrongTask = Cli.run("sample", "--model", adding.toString());
        assertEquals(2, wrongTask.status());
        assertEquals("rnn sample: " + adding + ": not a character model: its task is 'adding' (train one with --task chars"
                + " --text FILE)", wrongTask.errorLine());
        Cli.Result prime = Cli.run("sample", "--model", chars.toString(), "--prime", "xyz");
        assertEquals(2, prime.status());
        assertEquals("rnn sample: --prime: character 'x' (U+0078) at position 0 is not in the model's vocabulary of 13"
                + " characters", prime.errorLine());
        assertEquals(2, Cli.run("sample", "--model", chars.toString(), "--temperature", "0").status());
    }

    @Test
    void unreadableFilesExitWithOne() throws IOException {
        Cli.Result missing = Cli.run("sample", "--model", folder.resolve("none.elman").toString());
        assertEquals(1, missing.status());
        assertEquals("rnn sample: no such file: " + folder.resolve("none.elman"), missing.errorLine());
        Path garbage = folder.resolve("garbage.elman");
        Files.writeString(garbage, "not a model at all, just some text");
        Cli.Result malformed = Cli.run("sample", "--model", garbage.toString());
        assertEquals(1, malformed.status());
        assertTrue(malformed.errorLine().startsWith("rnn sample: " + garbage), malformed.err());
        assertEquals(1, Cli.run("sample", "--model", folder.toString()).status(), "a directory");
    }
}
