package dev.elman.jmh.report;

import dev.elman.jmh.ReferenceBudget;
import dev.elman.jmh.SpanBenchmark;
import dev.elman.kernels.WeightPrecision;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepPlanTest {
    @Test
    void theFullSweepIsTheIssuesGrid() {
        SweepPlan full = SweepPlan.full();
        // Spans with SIMD: 6 H × 6 windows × 2 B × 2 passes × 2 thread counts.
        assertEquals(288, count(full, g -> List.of("simd").equals(g.params().get("kernels"))
                && (g.workload() == Workload.SPAN_FORWARD || g.workload() == Workload.SPAN_FORWARD_BACKWARD)));
        assertEquals(72, count(full, g -> g.workload() == Workload.TRAINING), "6 H × 6 windows at B = 32, 1 and 2 threads");
        assertEquals(12 + 12, count(full, g -> g.workload() == Workload.STREAMING_STEP),
                "f32: H ∈ {64, 256, 1024} × 2 kernels × 2 thread counts; SIMD in bf16 and int8: 3 H × 2 × 2 thread counts");
        assertEquals(List.of("32"), full.groups().stream().filter(g -> g.workload() == Workload.TRAINING).findFirst()
                .orElseThrow().params().get("batch"));
    }

    @Test
    void theReferenceStaysWithinItsBudgetAndStillCoversEveryWindow() {
        for (SweepPlan plan : List.of(SweepPlan.full(), SweepPlan.quick())) {
            int referenceRuns = 0;
            for (RunGroup group : plan.groups()) {
                if (!group.params().getOrDefault("kernels", List.of()).contains(ReferenceBudget.REFERENCE)
                        || group.workload().steps() == 1) {
                    continue;
                }
                for (String hidden : group.params().get("hidden")) {
                    for (String batch : group.params().get("batch")) {
                        int h = Integer.parseInt(hidden);
                        double flop = SpanBenchmark.STEPS * group.workload().flopPerStep(Integer.parseInt(batch), h, h);
                        assertTrue(ReferenceBudget.allows(flop), plan.name() + ": " + group + " costs " + flop);
                        referenceRuns++;
                    }
                }
            }
            assertTrue(referenceRuns > 0, plan.name() + " runs the reference somewhere");
        }
        // At B = 1 the budget (2e9) admits forward up to H = 512: 512 · 2·512·1024 ≈ 5.4e8; H = 1024 costs 2.1e9.
        RunGroup forwardB1 = SweepPlan.full().groups().stream().filter(g -> g.workload() == Workload.SPAN_FORWARD
                && g.params().get("kernels").equals(List.of("reference")) && g.params().get("batch").equals(List.of("1")))
                .findFirst().orElseThrow();
        assertEquals(List.of("32", "64", "128", "256", "512"), forwardB1.params().get("hidden"));
        assertEquals(6, forwardB1.params().get("window").size());
    }

    @Test
    void everyPlanRunsEveryBenchmark() {
        for (SweepPlan plan : List.of(SweepPlan.full(), SweepPlan.quick(), SweepPlan.smoke())) {
            Set<Workload> covered = EnumSet.noneOf(Workload.class);
            plan.groups().forEach(g -> covered.add(g.workload()));
            assertEquals(EnumSet.allOf(Workload.class), covered, plan.name());
        }
        assertTrue(SweepPlan.quick().configurations() < SweepPlan.full().configurations() / 3);
    }

    @Test
    void everyConfigurationRunsAtEveryThreadCountAskedFor() {
        for (SweepPlan plan : List.of(SweepPlan.full(), SweepPlan.quick(), SweepPlan.smoke())) {
            for (RunGroup group : plan.groups()) {
                assertEquals(List.of("1", "2"), group.params().get("threads"), plan.name() + ": " + group);
            }
        }
        assertEquals(SweepPlan.full().configurations(), 2 * SweepPlan.full(List.of(1)).configurations());
        assertEquals(List.of("4", "1"), SweepPlan.quick(List.of(4, 1)).groups().getFirst().params().get("threads"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> SweepPlan.quick(List.of()));
        assertTrue(none.getMessage().contains("thread counts"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SweepPlan.full(List.of(1, 0)));
    }

    /** ONNX Runtime runs on exactly the cells Elman's fwd and step units run on in f32, at the same thread counts. */
    @Test
    void ortRunsBesideElmansWorkUnits() {
        for (SweepPlan plan : List.of(SweepPlan.full(), SweepPlan.quick(), SweepPlan.full(List.of(2)))) {
            RunGroup elmanForward = f32(plan, Workload.PEER_FORWARD);
            RunGroup ortForward = only(plan, Workload.ORT_FORWARD);
            assertEquals(elmanForward.params().get("hidden"), ortForward.params().get("hidden"), plan.name());
            assertEquals(elmanForward.params().get("batch"), ortForward.params().get("batch"), plan.name());
            assertEquals(elmanForward.params().get("threads"), ortForward.params().get("threads"), plan.name());
            RunGroup elmanStep = f32(plan, Workload.STREAMING_STEP);
            RunGroup ortStep = only(plan, Workload.ORT_STEP);
            assertEquals(elmanStep.params().get("hidden"), ortStep.params().get("hidden"), plan.name());
            assertEquals(elmanStep.params().get("threads"), ortStep.params().get("threads"), plan.name());
            // ORT has no kernels to choose and no window (fwd is the whole sequence; the step has none).
            for (RunGroup ort : List.of(ortForward, ortStep)) {
                assertFalse(ort.params().containsKey("kernels") || ort.params().containsKey("window"), ort.toString());
            }
            assertFalse(ortStep.params().containsKey("batch"), "the step is B = 1");
        }
        // 6 H × 2 B × 2 thread counts, and 3 H × 2 thread counts.
        assertEquals(24, count(SweepPlan.full(), g -> g.workload() == Workload.ORT_FORWARD));
        assertEquals(6, count(SweepPlan.full(), g -> g.workload() == Workload.ORT_STEP));
        assertEquals(12 + 6, count(SweepPlan.quick(), g -> !g.workload().elman()));
        assertEquals(2 + 2, count(SweepPlan.smoke(), g -> !g.workload().elman()), "smallest size, 1 and 2 threads");
    }

    /**
     * The reduced precisions run where they are for — the fwd unit at B = 1 and the streaming step,
     * SIMD, at every thread count — beside an f32 row of the same cell, and nowhere else.
     */
    @Test
    void reducedPrecisionsRunBesideF32OnTheirCells() {
        for (SweepPlan plan : List.of(SweepPlan.full(), SweepPlan.quick(), SweepPlan.smoke(), SweepPlan.quick(List.of(2)))) {
            Set<String> f32Cells = new TreeSet<>();
            List<String> reducedCells = new ArrayList<>();
            for (RunGroup group : plan.groups()) {
                List<String> precisions = group.params().get("precision");
                assertEquals(group.workload().hasPrecision(), precisions != null,
                        plan.name() + ": a benchmark with a precision parameter names its values, one without none: " + group);
                if (precisions == null) {
                    continue;
                }
                for (String cell : cells(group)) {
                    for (String precision : precisions) {
                        (precision.equals("f32") ? f32Cells : reducedCells).add(cell + " " + precision);
                    }
                }
                if (!precisions.equals(List.of("f32"))) {
                    assertFalse(precisions.contains("f32"), plan.name() + ": reduced groups hold the reduced only " + group);
                    assertEquals(List.of("simd"), group.params().get("kernels"), plan.name() + ": " + group);
                    if (group.workload() == Workload.PEER_FORWARD) {
                        assertEquals(List.of("1"), group.params().get("batch"), plan.name() + ": B = 1 only " + group);
                    }
                }
            }
            assertFalse(reducedCells.isEmpty(), plan.name());
            Set<Workload> reducedWorkloads = EnumSet.noneOf(Workload.class);
            for (String cell : reducedCells) {
                String f32 = cell.substring(0, cell.lastIndexOf(' ')) + " f32";
                assertTrue(f32Cells.contains(f32), plan.name() + ": " + cell + " has no f32 row " + f32);
                reducedWorkloads.add(Workload.valueOf(cell.substring(0, cell.indexOf(' '))));
            }
            assertEquals(new LinkedHashSet<>(reducedCells).size(), reducedCells.size(), plan.name() + ": a cell twice");
            Set<Workload> expected = plan.name().equals("smoke")
                    ? EnumSet.of(Workload.PEER_FORWARD, Workload.STREAMING_STEP, Workload.STREAM_GROUP_STEP)
                    : EnumSet.of(Workload.PEER_FORWARD, Workload.STREAMING_STEP);
            assertEquals(expected, reducedWorkloads, plan.name());
        }
        // Full: fwd at B = 1, H ∈ {64, 256, 512, 1024}, and the step at H ∈ {64, 256, 1024}, in bf16 and int8 at 1 and 2 threads.
        assertEquals((4 + 3) * 2 * 2, reducedConfigurations(SweepPlan.full()));
        // Quick: fwd at H ∈ {256, 1024} and the step at its 3 H: 20, the cost the quick sweep can carry.
        assertEquals((2 + 3) * 2 * 2, reducedConfigurations(SweepPlan.quick()));
        assertEquals(SweepPlan.quick().configurations(),
                SweepPlan.quick(List.of(1, 2), List.of(WeightPrecision.F32)).configurations() + 20);
    }

    @Test
    void thePrecisionListChoosesTheReducedCells() {
        List<WeightPrecision> f32AndInt8 = List.of(WeightPrecision.F32, WeightPrecision.INT8);
        SweepPlan plan = SweepPlan.quick(List.of(1, 2), f32AndInt8);
        assertEquals((2 + 3) * 2, reducedConfigurations(plan));
        assertTrue(plan.groups().stream().map(g -> g.params().get("precision")).filter(p -> p != null)
                .allMatch(p -> p.equals(List.of("f32")) || p.equals(List.of("int8"))), plan.groups().toString());
        SweepPlan f32Only = SweepPlan.full(List.of(1, 2), List.of(WeightPrecision.F32));
        assertEquals(0, reducedConfigurations(f32Only));
        // Only f32: the sweep as it was before precisions, each group of a precision benchmark naming f32.
        assertEquals(SweepPlan.full().configurations() - (4 + 3) * 2 * 2, f32Only.configurations());
        for (List<WeightPrecision> bad : List.of(List.<WeightPrecision>of(), List.of(WeightPrecision.INT8),
                List.of(WeightPrecision.F32, WeightPrecision.F32))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepPlan.quick(List.of(1), bad));
            assertTrue(e.getMessage().contains("f32 among them"), e.getMessage());
        }
    }

    private static int reducedConfigurations(SweepPlan plan) {
        return count(plan, g -> g.params().containsKey("precision") && !g.params().get("precision").equals(List.of("f32")));
    }

    /** @return the group's configurations without their precision, as {@code WORKLOAD name=value…} */
    private static List<String> cells(RunGroup group) {
        List<String> cells = new ArrayList<>(List.of(group.workload().name()));
        group.params().forEach((name, values) -> {
            if (name.equals("precision")) {
                return;
            }
            List<String> longer = new ArrayList<>();
            for (String cell : cells) {
                for (String value : values) {
                    longer.add(cell + " " + name + "=" + value);
                }
            }
            cells.clear();
            cells.addAll(longer);
        });
        return cells;
    }

    /** @return the plan's one group of the workload in f32 only */
    private static RunGroup f32(SweepPlan plan, Workload workload) {
        List<RunGroup> groups = plan.groups().stream().filter(g -> g.workload() == workload
                && g.params().get("precision").equals(List.of("f32"))).toList();
        assertEquals(1, groups.size(), plan.name() + ": " + workload);
        return groups.getFirst();
    }

    private static RunGroup only(SweepPlan plan, Workload workload) {
        List<RunGroup> groups = plan.groups().stream().filter(g -> g.workload() == workload).toList();
        assertEquals(1, groups.size(), plan.name() + ": " + workload);
        return groups.getFirst();
    }

    private static int count(SweepPlan plan, Predicate<RunGroup> which) {
        return plan.groups().stream().filter(which).mapToInt(RunGroup::configurations).sum();
    }
}
