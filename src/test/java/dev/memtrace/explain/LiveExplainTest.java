package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.run.LiveAssumptions;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.SyscallEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explanations on traces made now, of programs that are not in the corpus: cat with buffer
 * addresses shown, and a small C program with threads, fork, file and shared mappings, realloc and
 * a stack overflow into a guard page. Skipped when strace or gcc are missing.
 */
class LiveExplainTest {

  @TempDir Path dir;

  @Test
  void catsReadsAndWritesAreTiedToTheIoBufferByAddress() throws Exception {
    LiveAssumptions.assumeStrace();
    Path big = dir.resolve("big.txt");
    Files.writeString(big, "0123456789abcdef\n".repeat(20000));
    Path log =
        Live.trace(
            dir, List.of("-e", "raw=read,write"), "sh", "-c", "exec cat " + big + " > /dev/null");
    Run.Out out = Run.explain(log);
    AnnotatedEvent mmap = first(out, "mmap", "139264");
    assumeTrue(mmap != null, "this cat does not use a 139264-byte buffer");
    int line = mmap.event().line();
    String why = out.why(line);
    assertThat(why)
        .contains("cat's 131072-byte I/O buffer")
        .contains("(seen in the trace)")
        .contains("139264 (34 pages)");
    AnnotatedEvent read =
        out.events().stream()
            .filter(
                e ->
                    e.event() instanceof SyscallEvent s
                        && s.name().equals("read")
                        && e.event().line() > line)
            .findFirst()
            .orElseThrow();
    assertThat(read.buffer()).isNotNull();
    assertThat(read.buffer().offset()).isEqualTo(4096);
    assertThat(read.buffer().region().originLine()).isEqualTo(line);
    assertThat(out.why(read.event().line()))
        .contains("is 4096 bytes into cat's 131072-byte I/O buffer made at line " + line);
    AnnotatedEvent munmap = first(out, "munmap", "139264");
    assertThat(out.why(munmap.event().line())).contains("made at line " + line).contains("135184");
  }

  @Test
  void threadsArenasForkFileMappingsReallocAndAGuardPageFault() throws Exception {
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
    Path bin = LiveAssumptions.compile("workers", dir);
    Path log = Live.trace(dir, List.of("-f"), bin.toString(), "crash");
    Run.Out out = Run.explain(log);
    assertThat(out.why(first(out, "mmap", "8392704").event().line()))
        .contains("8388608 (from RLIMIT_STACK, seen at startup) + a 4096-byte guard = 8392704");
    assertThat(out.why(first(out, "mmap", "134217728").event().line()))
        .contains("a new per-thread malloc arena");
    assertThat(out.why(first(out, "mmap", "MAP_SHARED|MAP_ANONYMOUS").event().line()))
        .contains("a child made by fork shares the same pages");
    assertThat(out.why(first(out, "mmap", "8192, PROT_READ, MAP_PRIVATE").event().line()))
        .contains("bytes of " + bin + " from offset 0");
    assertThat(out.why(first(out, "mremap", "MREMAP_MAYMOVE").event().line()))
        .contains("realloc of an mmapped malloc chunk");
    AnnotatedEvent segv =
        out.events().stream()
            .filter(e -> e.event() instanceof SignalEvent s && s.signal().equals("SIGSEGV"))
            .findFirst()
            .orElseThrow();
    assertThat(out.why(segv.event().line()))
        .contains("thread stack guard")
        .contains("overflowed its stack")
        .contains("SEGV_ACCERR");
    assertThat(out.stats().explainedPercent()).isGreaterThanOrEqualTo(90.0);
  }

  @Test
  void sharedMemoryPopulateAndAThresholdRaisedByFreesAllHaveReasons() throws Exception {
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
    Path bin = LiveAssumptions.compile("zoo", dir);
    Run.Out out = Run.explain(Live.trace(dir, List.of("-f"), bin.toString()));
    assertThat(out.why(first(out, "shmat", "").event().line()))
        .contains("System V shared memory segment")
        .contains("65536 bytes, from the shmget");
    assertThat(out.why(first(out, "mmap", "MAP_POPULATE").event().line()))
        .contains("glibc malloc never passes")
        .contains("fault every page in now");
    assertThat(out.why(first(out, "mmap", "MAP_SHARED, 3").event().line())).contains("/memfd:zoo");
    assertThat(
            out.events().stream()
                .filter(e -> e.event() instanceof SyscallEvent s && s.name().equals("brk"))
                .map(e -> out.why(e.event().line())))
        .anyMatch(w -> w.contains("The mmap threshold is 1052672 since a free raised it"));
    assertThat(out.stats().unexplained()).isZero();
  }

  @Test
  void aStaticBinarysTlsBlockAndBreakAlignmentAreRead() throws Exception {
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
    Path src = dir.resolve("static_tls.c");
    try (var in = getClass().getResourceAsStream("/live/static_tls.c")) {
      Files.copy(in, src);
    }
    Path bin = dir.resolve("static_tls");
    int rc = Live.run(List.of("gcc", "-static", "-o", bin.toString(), src.toString()), dir);
    assumeTrue(rc == 0, "no static libc to link with");
    Run.Out out = Run.explain(Live.trace(dir, List.of(), bin.toString()));
    assertThat(out.why(first(out, "arch_prctl", "ARCH_SET_FS").event().line()))
        .contains("sit at the start of [heap]");
    assertThat(
            out.events().stream()
                .filter(e -> e.event() instanceof SyscallEvent s && s.name().equals("brk"))
                .map(e -> out.why(e.event().line())))
        .anyMatch(w -> w.contains("to the next page boundary"));
    assertThat(out.stats().unexplained()).isZero();
  }

  @Test
  void anMremapMoveIsAMoveAndAReallocIsToldAsARange() throws Exception {
    LiveAssumptions.assumeStrace();
    Path bin = LiveAssumptions.compile("remap", dir);
    Path log = Live.trace(dir, List.of(), bin.toString());
    Run.Out out = Run.explain(log);
    AnnotatedEvent move = first(out, "mremap", "MREMAP_FIXED");
    String to = ((SyscallEvent) move.event()).result().text();
    assertThat(out.why(move.event().line()))
        .contains("moves the ")
        .contains("the same size) to " + to)
        .contains("MREMAP_FIXED")
        .doesNotContain("resizes")
        .doesNotContain("from 131072 to");
    AnnotatedEvent grow =
        out.events().stream()
            .filter(
                e ->
                    e.event() instanceof SyscallEvent s
                        && s.name().equals("mremap")
                        && !s.args().text().contains("MREMAP_FIXED"))
            .findFirst()
            .orElseThrow();
    long newLen = Long.parseLong(((SyscallEvent) grow.event()).args().texts().get(2));
    // mremap_chunk: new size = ALIGN_UP(nb + 8, 4096); realloc(p, 600000) is inside the range
    long lo = newLen - 4096 - 8 - 15;
    long hi = newLen - 16 - 8;
    assertThat(out.why(grow.event().line()))
        .contains("realloc of an mmapped malloc chunk")
        .contains("realloc(p, n) for n from " + lo + " to " + hi)
        .doesNotContain("a request of about");
    assertThat(600000L).isBetween(lo, hi);
    assertThat(Glibc.mallocMmap(lo).value()).isEqualTo(newLen);
    assertThat(Glibc.mallocMmap(hi).value()).isEqualTo(newLen);
  }

  private static AnnotatedEvent first(Run.Out out, String name, String argPart) {
    return out.events().stream()
        .filter(
            e ->
                e.event() instanceof SyscallEvent s
                    && s.name().equals(name)
                    && s.args().text().contains(argPart))
        .findFirst()
        .orElse(null);
  }
}
