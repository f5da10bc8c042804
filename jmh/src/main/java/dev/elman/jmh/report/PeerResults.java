package dev.elman.jmh.report;

import java.util.List;

/**
 * What the peers' files hold: the RNN work units PyTorch and oneDNN ran, and the machine's sgemm
 * rate at each thread count they were measured with.
 *
 * @param rows the peers' RNN rows, in file order
 * @param sgemm the sgemm rates, in file order, possibly none
 */
public record PeerResults(List<PeerRow> rows, List<SgemmRate> sgemm) {
    /** Copies both lists. */
    public PeerResults {
        rows = List.copyOf(rows);
        sgemm = List.copyOf(sgemm);
    }
}
