package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.live.MapsCapture;
import dev.memtrace.run.LiveAssumptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples run again, live: each program (built from {@code samples/NN-.../*.c} with gcc, or the
 * system cat) under strace with maps snapshots, then {@code memtrace analyze}. Only what ASLR does
 * not change is checked: sizes, permissions, classes, which call made or removed what, the fault's
 * code and its distance past [heap].
 */
class SamplesLiveTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @BeforeEach
  void tools() {
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
  }

  private record Run(List<JsonNode> events, String summary) {
    JsonNode first(Predicate<JsonNode> p) {
      return events.stream()
          .filter(p)
          .findFirst()
          .orElseThrow(() -> new AssertionError("no such event among " + events.size()));
    }

    boolean any(Predicate<JsonNode> p) {
      return events.stream().anyMatch(p);
    }
  }

  private Run run(String sample, String program, String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (program.endsWith(".c")) {
      Path bin = MapsCapture.compileFile(dir, Path.of("samples", sample, program).toAbsolutePath());
      cmd.add("./" + bin.getFileName());
    } else {
      cmd.add(program);
    }
    cmd.addAll(List.of(args));
    MapsCapture.Capture cap = MapsCapture.run(dir, "trace", cmd);
    assertThat(cap.snapshotCount()).isPositive();
    String snaps = cap.snapshots().toString();
    Cli jsonl = Cli.run("analyze", "--format", "jsonl", "--snapshots", snaps, cap.log().toString());
    assertThat(jsonl.status()).as(jsonl.err()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : jsonl.out().split("\n")) {
      events.add(JSON.readTree(line));
    }
    Cli summary = Cli.run("analyze", "--summary", "--snapshots", snaps, cap.log().toString());
    return new Run(events, summary.out());
  }

  private static boolean call(JsonNode e, String name, String arg1) {
    return name.equals(e.path("syscall").asText())
        && (arg1 == null || arg1.equals(e.path("args").path(1).asText()));
  }

  private static JsonNode change(JsonNode e) {
    return e.path("changes").path(0);
  }

  private static String why(JsonNode e) {
    return e.path("why").toString();
  }

  private Path bigFile() throws Exception {
    byte[] data = new byte[300000];
    new Random(7).nextBytes(data);
    return Files.write(dir.resolve("big.bin"), data);
  }

  @Test
  void catMapsA139264ByteBufferReadsIntoItAndUnmapsIt() throws Exception {
    Path big = bigFile();
    Run all = run("01-cat-buffer", "sh", "-c", "cat " + big + " | cat > /dev/null");
    // the first cat, the one given the file (strace cuts its long path at 32 characters)
    int pid =
        all.first(
                e ->
                    call(e, "execve", null)
                        && e.path("args").path(1).asText().startsWith("[\"cat\", "))
            .path("pid")
            .asInt();
    Run r =
        new Run(
            all.events().stream().filter(e -> e.path("pid").asInt() == pid).toList(),
            all.summary());
    JsonNode mmap = r.first(e -> call(e, "mmap", "139264"));
    assertThat(mmap.path("args").path(3).asText()).isEqualTo("MAP_PRIVATE|MAP_ANONYMOUS");
    assertThat(change(mmap).path("class").asText()).isEqualTo("malloc mmap chunk");
    assertThat(change(mmap).path("after").path("perms").asText()).isEqualTo("rw-p");
    assertThat(why(mmap))
        .contains("cat's 131072-byte I/O buffer")
        .contains("= 139264 (34 pages)")
        .contains("not part of [heap]");
    assertThat(r.any(e -> call(e, "read", null) && "131072".equals(e.path("ret").asText())))
        .isTrue();
    JsonNode munmap = r.first(e -> call(e, "munmap", "139264"));
    assertThat(change(munmap).path("op").asText()).isEqualTo("-");
    assertThat(why(munmap)).contains("gives cat's 131072-byte I/O buffer");
  }

  @Test
  void aBigMallocIsAnMmapOutsideHeapASmallOneIsInHeap() throws Exception {
    Run r = run("02-heap-vs-mmap", "heap.c");
    JsonNode brk = r.first(e -> call(e, "brk", null) && !e.path("changes").isEmpty());
    assertThat(change(brk).path("after").path("path").asText()).isEqualTo("[heap]");
    assertThat(change(brk).path("after").path("size").asLong()).isEqualTo(135168);
    JsonNode mmap = r.first(e -> call(e, "mmap", "1052672"));
    assertThat(change(mmap).path("class").asText()).isEqualTo("malloc mmap chunk");
    assertThat(why(mmap)).contains("not part of [heap]");
    assertThat(r.any(e -> call(e, "munmap", "1052672"))).isTrue();
    assertThat(r.summary())
        .containsPattern("heap \\(brk\\)\\s+132 KiB\\s+1\\s+132 KiB")
        .containsPattern("malloc mmap chunk\\s+-\\s+-\\s+-\\s+1.00 MiB\\s+1\\s+1.00 MiB");
  }

  @Test
  void theProgramsSegmentsStackAndHeapAreSizedAndClassed() throws Exception {
    Run r = run("03-segments-and-stack", "segments.c");
    assertThat(r.summary())
        .containsPattern("main stack\\s+\\d+ KiB\\s+1")
        .containsPattern("heap \\(brk\\)\\s+132 KiB\\s+1\\s+132 KiB")
        // the program's 64 KiB static array beyond its last data page, and libc's 52 KiB
        .containsPattern("image: bss\\s+116 KiB\\s+2\\s+64 KiB")
        .containsPattern("image: text\\s+\\S+ MiB\\s+3\\s")
        .containsPattern("/segments\\s+84 KiB\\s+6\\s+64 KiB");
  }

  @Test
  void aMappedFileAppearsAtMmapStaysAfterCloseAndGoesAtMunmap() throws Exception {
    Path big = bigFile();
    Run r = run("04-mmap-a-file", "mapfile.c", big.toString());
    JsonNode mmap = r.first(e -> call(e, "mmap", "300000"));
    JsonNode added = change(mmap);
    assertThat(added.path("op").asText()).isEqualTo("+");
    assertThat(added.path("class").asText()).isEqualTo("file mapping (private)");
    assertThat(added.path("after").path("path").asText()).endsWith("/big.bin");
    assertThat(added.path("after").path("size").asLong()).isEqualTo(303104);
    assertThat(added.path("after").path("perms").asText()).isEqualTo("r--p");
    JsonNode munmap = r.first(e -> call(e, "munmap", "300000"));
    assertThat(change(munmap).path("op").asText()).isEqualTo("-");
    assertThat(change(munmap).path("before").path("path").asText()).endsWith("/big.bin");
    assertThat(
            r.events().stream()
                .filter(
                    e ->
                        call(e, "close", null)
                            && e.path("line").asInt() > mmap.path("line").asInt()
                            && e.path("line").asInt() < munmap.path("line").asInt()))
        .hasSize(1);
  }

  @Test
  void writingPastMallocBlocksIsSilentAndAPagePastHeapIsSegvMaperr() throws Exception {
    Run r = run("05-writing-past-malloc", "overflow.c");
    JsonNode segv = r.first(e -> "signal".equals(e.path("kind").asText()));
    assertThat(segv.path("signal").asText()).isEqualTo("SIGSEGV");
    assertThat(segv.path("siginfo").asText()).contains("si_code=SEGV_MAPERR");
    assertThat(why(segv))
        .contains("in unmapped space, 4096 bytes (4 KiB) beyond the end of the " + "[heap]")
        .contains("SEGV_MAPERR: no mapping at all");
    assertThat(r.any(e -> "killed".equals(e.path("exit").asText()))).isTrue();
  }

  @Test
  void theClockCallsRunInTheVdsoAndTheSpecialRegionsAreExplained() throws Exception {
    Run r = run("06-vdso-vvar-vsyscall", "clocks.c");
    assertThat(r.any(e -> e.path("syscall").asText().matches("clock_gettime|gettimeofday")))
        .isFalse();
    assertThat(r.any(e -> call(e, "getpid", null))).isTrue();
    assertThat(r.events().stream().map(SamplesLiveTest::why).reduce("", String::concat))
        .contains("[vdso]: a small shared object")
        .contains("[vvar]: read-only kernel data")
        .contains("[stack]: the main thread's stack");
    assertThat(r.summary())
        .containsPattern("vdso\\s+8 KiB\\s+1\\s+8 KiB")
        .containsPattern("vvar\\s+\\d+ KiB");
  }

  @Test
  void initialisedGlobalsAreFileBackedDataAndZeroedOnesAnAnonymousBss() throws Exception {
    Run r = run("07-static-and-global", "globals.c");
    assertThat(r.summary())
        .containsPattern("image: data\\s+1.02 MiB\\s+3\\s+1.00 MiB")
        .containsPattern("image: bss\\s+16.1 MiB\\s+2\\s+16 MiB")
        .containsPattern("/globals\\s+17.0 MiB\\s+6\\s+16 MiB")
        .doesNotContain("anonymous mmap");
  }
}
