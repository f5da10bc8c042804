package dev.elman.cli.tasks;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasksTest {
    @Test
    void syntheticTasksComeBackFromTheirMetadata() {
        for (Task task : List.of(new AddingProblem(33), new SineTask(12), new CopyTask(5, 7, 9))) {
            Task back = Tasks.fromMetadata(task.metadata()).orElseThrow();
            assertEquals(task.toString(), back.toString());
            assertEquals(task.steps(), back.steps());
            assertEquals(task.inputSize(), back.inputSize());
        }
    }

    @Test
    void aCharacterModelKeepsItsVocabularyButNotItsText() {
        CharTask task = new CharTask("hello world", 4);
        assertTrue(Tasks.fromMetadata(task.metadata()).isEmpty());
        assertEquals(task.vocabulary(), Tasks.vocabulary(task.metadata()));
        assertTrue(Tasks.fromMetadata(Map.of()).isEmpty(), "no task recorded");
    }

    @Test
    void badMetadataIsNamed() {
        Map<String, String> metadata = new HashMap<>(new AddingProblem(10).metadata());
        metadata.put(Tasks.LENGTH_KEY, "ten");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(metadata));
        assertEquals("metadata: 'task.length' must be an integer, got 'ten'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(Map.of(Tasks.TASK_KEY, "juggling",
                Tasks.LENGTH_KEY, "3")));
        assertTrue(e.getMessage().startsWith("metadata: unknown task 'juggling'"), e.getMessage());
        // A negative length is named by its key, not by what a task derives from it ("count … got -4").
        for (String task : List.of("adding", "sine", "copy")) {
            Map<String, String> negative = new HashMap<>(Map.of(Tasks.TASK_KEY, task, Tasks.LENGTH_KEY, "-3",
                    Tasks.SYMBOLS_KEY, "3", Tasks.ALPHABET_KEY, "4"));
            e = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(negative));
            assertEquals("metadata: 'task.length' must be at least 1, got -3", e.getMessage());
        }
        Map<String, String> tooShort = Map.of(Tasks.TASK_KEY, "adding", Tasks.LENGTH_KEY, "1");
        e = assertThrows(IllegalArgumentException.class, () -> Tasks.fromMetadata(tooShort));
        assertTrue(e.getMessage().startsWith("metadata: the adding task of 'task.length' = 1 is invalid: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tasks.vocabulary(new AddingProblem(10).metadata()));
        assertEquals("not a character model: its task is 'adding' (train one with --task chars --text FILE)",
                e.getMessage());
    }
}
