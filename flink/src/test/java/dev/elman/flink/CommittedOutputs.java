package dev.elman.flink;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exactly-once test sink: a two-phase commit into a JVM-wide table of committed outputs (the
 * MiniCluster runs in the test's JVM). A writer keeps what it receives until a checkpoint's
 * barrier, then hands it over as one committable with a fresh id; the committer adds a
 * committable's outputs only when its checkpoint is complete, and only once per id (a committable
 * restored from a checkpoint after a failure may be committed again: that is a transaction id, not
 * a deduplication of outputs). Outputs received after the last completed checkpoint of a failed
 * attempt are dropped with the attempt, as a transactional sink aborts them; so the table holds
 * exactly what an exactly-once pipeline delivers.
 */
final class CommittedOutputs implements Sink<Observed>, SupportsCommitter<CommittedOutputs.Batch> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One table per name: the outputs committed, and the ids of the committed batches. */
    private static final Map<String, List<Observed>> OUTPUTS = new ConcurrentHashMap<>();
    private static final Map<String, Set<UUID>> COMMITTED = new ConcurrentHashMap<>();

    private final String name;

    private CommittedOutputs(String name) {
        this.name = name;
    }

    /** A sink committing into a new, empty table of this name. */
    static CommittedOutputs fresh(String name) {
        OUTPUTS.put(name, java.util.Collections.synchronizedList(new ArrayList<>()));
        COMMITTED.put(name, ConcurrentHashMap.newKeySet());
        return new CommittedOutputs(name);
    }

    /** A sink committing into a new table of this name that starts as a copy of another's. */
    static CommittedOutputs continuing(String name, String from) {
        CommittedOutputs sink = fresh(name);
        synchronized (OUTPUTS.get(from)) {
            OUTPUTS.get(name).addAll(OUTPUTS.get(from));
        }
        COMMITTED.get(name).addAll(COMMITTED.get(from));
        return sink;
    }

    /** @return a copy of the committed outputs of this name */
    static List<Observed> committed(String name) {
        List<Observed> outputs = OUTPUTS.get(name);
        synchronized (outputs) {
            return List.copyOf(outputs);
        }
    }

    static int count(String name) {
        return OUTPUTS.get(name).size();
    }

    /** One checkpoint's outputs of one writer. */
    record Batch(UUID id, ArrayList<Observed> outputs) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    @Override
    public SinkWriter<Observed> createWriter(WriterInitContext context) {
        return new Writer();
    }

    @Override
    public Committer<Batch> createCommitter(CommitterInitContext context) {
        return new BatchCommitter(name);
    }

    @Override
    public SimpleVersionedSerializer<Batch> getCommittableSerializer() {
        return new BatchSerializer();
    }

    private static final class Writer implements CommittingSinkWriter<Observed, Batch> {
        private ArrayList<Observed> pending = new ArrayList<>();

        @Override
        public void write(Observed element, Context context) {
            pending.add(element);
        }

        @Override
        public void flush(boolean endOfInput) {
        }

        @Override
        public Collection<Batch> prepareCommit() {
            if (pending.isEmpty()) {
                return List.of();
            }
            Batch batch = new Batch(UUID.randomUUID(), pending);
            pending = new ArrayList<>();
            return List.of(batch);
        }

        @Override
        public void close() {
        }
    }

    private static final class BatchCommitter implements Committer<Batch> {
        private final String name;

        BatchCommitter(String name) {
            this.name = name;
        }

        @Override
        public void commit(Collection<CommitRequest<Batch>> requests) {
            for (CommitRequest<Batch> request : requests) {
                Batch batch = request.getCommittable();
                if (COMMITTED.get(name).add(batch.id())) {
                    OUTPUTS.get(name).addAll(batch.outputs());
                } else {
                    request.signalAlreadyCommitted();
                }
            }
        }

        @Override
        public void close() {
        }
    }

    private static final class BatchSerializer implements SimpleVersionedSerializer<Batch> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Batch batch) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(batch);
            }
            return bytes.toByteArray();
        }

        @Override
        public Batch deserialize(int version, byte[] serialized) throws IOException {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
                return (Batch) in.readObject();
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
        }
    }
}
