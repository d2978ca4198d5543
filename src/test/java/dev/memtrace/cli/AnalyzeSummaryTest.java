package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memtrace.trace.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code memtrace analyze} with explanations, region classes and the summary, in-process. */
class AnalyzeSummaryTest {

  private static Path log(String name) {
    return Corpus.log(name);
  }

  private record Result(int status, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void summaryAloneTablesTheAddressSpaceAndCountsEvents() {
    Path cat = log("cat_big_devnull_yy.log");
    Result r = run("analyze", "--summary", cat.toString());
    assertThat(r.status()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .startsWith("== summary ==")
        .contains("cat: ")
        .contains("peak 2.18 MiB at line 37")
        .containsPattern("malloc mmap chunk\\s+-\\s+-\\s+-\\s+136 KiB\\s+1\\s+136 KiB")
        .containsPattern("heap \\(brk\\)\\s+132 KiB\\s+1\\s+132 KiB")
        .containsPattern("mmap\\s+9\\s+0")
        .containsPattern("access\\s+1\\s+1")
        .contains("memory events: 17, explained 17 (100.0%), unexplained 0")
        .doesNotContain("why:");
  }

  @Test
  void theTimelineCarriesReasonsAndClassesAndCanEndWithTheSummary() {
    Path cat = log("cat_big_devnull_yy.log");
    Result r = run("analyze", "--with-summary", "--color", "never", cat.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("why: cat's 131072-byte I/O buffer")
        .contains("[malloc mmap chunk]")
        .contains(
            "why: read of 131072 bytes, likely through cat's 131072-byte I/O buffer made "
                + "at line 37")
        .contains("== summary ==");
    assertThat(r.out().indexOf("== summary ==")).isGreaterThan(r.out().indexOf("exit_group"));
  }

  @Test
  void withSnapshotsTheKernelsRegionsAreExplainedAndCounted() {
    Path maps = Corpus.maps();
    Result r =
        run(
            "analyze",
            "--with-summary",
            "--color",
            "never",
            "--snapshots",
            maps.resolve("cat_big.maps.jsonl").toString(),
            maps.resolve("cat_big.log").toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("why: [vdso]: a small shared object the kernel maps into every process")
        .contains("why: [vvar]: read-only kernel data pages")
        .containsPattern("why: \\[stack\\]: the main thread's stack, \\d+ bytes now")
        .containsPattern("main stack\\s+132 KiB\\s+1")
        .containsPattern("\\n  cat\\s+48 KiB\\s+5")
        .containsPattern("\\n  libc.so.6\\s+1.88 MiB\\s+6");
  }

  @Test
  void inJsonLinesTheSummaryIsOneLastObject() throws Exception {
    Path cat = log("cat_big_devnull_yy.log");
    Result r = run("analyze", "--format", "jsonl", "--with-summary", cat.toString());
    assertThat(r.status()).isZero();
    String[] lines = r.out().split("\n");
    var json = new ObjectMapper();
    for (String l : lines) {
      json.readTree(l);
    }
    var last = json.readTree(lines[lines.length - 1]);
    assertThat(last.get("kind").asText()).isEqualTo("summary");
    assertThat(last.get("memory_events").asInt()).isEqualTo(17);
    assertThat(last.get("unexplained").asInt()).isZero();
    assertThat(last.at("/spaces/0/peak/classes/malloc mmap chunk/size").asLong()).isEqualTo(139264);
    assertThat(last.at("/syscalls/mmap/calls").asInt()).isEqualTo(9);
  }

  @Test
  void jsonlCarriesTheClassOfEachChange() {
    Path py = log("python_threads_f.log");
    Result r = run("analyze", "--format", "jsonl", py.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .contains("\"class\":\"thread stack\"")
        .contains("\"class\":\"guard page\"")
        .contains("\"class\":\"malloc arena\"");
  }

  @Test
  void sharedMemoryIsOneObjectRowAtTheEndAndAtThePeak(@TempDir Path dir) throws Exception {
    // shm_open then shm_unlink: maps adds " (deleted)" to the name (d_path), which is no new
    // object; shared anonymous memory (/dev/zero (deleted), shmem_zero_setup) is no file and is
    // counted in its class row only, at the end as at the peak; both are shared memory
    Path log = dir.resolve("shm.log");
    Files.writeString(
        log,
        """
        14861 00:02:25.819700 brk(NULL)         = 0x55c295648000 <0.000040>
        14861 00:02:25.819872 brk(NULL)         = 0x55c295648000 <0.000040>
        14861 00:02:25.819975 brk(0x55c295669000) = 0x55c295669000 <0.000130>
        14861 00:02:25.828347 openat(AT_FDCWD, "/dev/shm/mtshm", O_RDWR|O_CREAT|O_NOFOLLOW|O_CLOEXEC, 0600) = 4 <0.000094>
        14861 00:02:25.828520 ftruncate(4, 8192) = 0 <0.000035>
        14861 00:02:25.828592 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 4, 0) = 0x7fe3675f6000 <0.000032>
        14861 00:02:25.828699 unlink("/dev/shm/mtshm") = 0 <0.000041>
        14861 00:02:25.828863 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = 0x7fe3675f1000 <0.000038>
        """);
    Result r = run("analyze", "--summary", log.toString());
    assertThat(r.status()).isZero();
    assertThat(r.out())
        .containsPattern("\\n  /dev/shm/mtshm\\s+8 KiB\\s+1\\s+8 KiB\\s+8 KiB\\s+1\\s+8 KiB\\n")
        .containsPattern("shared memory\\s+24 KiB\\s+2\\s+16 KiB\\s+24 KiB\\s+2\\s+16 KiB")
        .doesNotContain("file mapping (shared)")
        .doesNotContain("(deleted)");
  }
}
