package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every memory event in the corpus traces of cat, ls, python3 and the C programs (spawn with its
 * thread, mmapfile, mremap, sbrk, segv) is explained or counted as unexplained; at least 90% are
 * explained. The figure is printed so it can be reported.
 */
class CoverageTest {
  private static final List<String> PREFIXES =
      List.of("cat_", "ls_", "python_", "spawn_", "mmapfile_", "mremap_", "sbrk_", "segv_");

  @Test
  void atLeastNinetyPercentOfMemoryEventsAreExplained() throws IOException {
    Path logs = Corpus.logs();
    long memory = 0;
    long explained = 0;
    StringBuilder report = new StringBuilder();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        String n = f.getFileName().toString();
        if (n.endsWith(".stderr") || PREFIXES.stream().noneMatch(n::startsWith)) {
          continue;
        }
        ExplainStats s = Run.explain(f).stats();
        memory += s.memoryEvents();
        explained += s.explained();
        report.append(
            String.format(
                "%-32s %4d/%4d %s%n",
                n, s.explained(), s.memoryEvents(), s.unexplainedBySyscall()));
      }
    }
    double pct = 100.0 * explained / memory;
    report.append(String.format("total %d/%d = %.1f%% explained%n", explained, memory, pct));
    System.out.print(report);
    assertThat(memory).isGreaterThan(500);
    assertThat(pct).as(report.toString()).isGreaterThanOrEqualTo(90.0);
  }
}
