package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.correlate.AddressSpaceCheck;
import dev.memtrace.correlate.Snapshot;
import dev.memtrace.correlate.SnapshotFile;
import dev.memtrace.live.MapsCapture;
import dev.memtrace.model.Agreement;
import dev.memtrace.model.MapsFormat;
import dev.memtrace.model.Region;
import dev.memtrace.render.MapsExplainText;
import dev.memtrace.render.Synthetic;
import dev.memtrace.run.RecordingReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maps} with ELF headers, {@code maps --explain} and {@code where}, in-process, on a {@code
 * cat} traced here with snapshots as the truth, on a {@code run --save} recording and on a running
 * process.
 */
class MapsExplainTest {

  static Path dir;
  static MapsCapture.Capture cat;
  static Snapshot first;

  @BeforeAll
  static void capture() throws Exception {
    assumeTrue(MapsCapture.available("strace"), "strace is not installed");
    dir = Files.createDirectories(Path.of("target/live-captures").toAbsolutePath());
    cat = MapsCapture.run(dir, "explain-cat", List.of("/bin/cat", "/etc/services"));
    first = SnapshotFile.read(cat.snapshots()).snapshots().get(0);
  }

  @Test
  void mapsAtTheFirstSnapshotShowsTheProgramAndLoaderAsTheKernelDid() {
    Cli r = Cli.run("maps", "--at", String.valueOf(first.line()), cat.log().toString());
    assertThat(r.status()).as(r.err()).isZero();
    List<Region> mine = MapsFormat.parse(r.out());
    List<Region> kernel =
        MapsFormat.parse(first.maps()).stream()
            .filter(k -> !AddressSpaceCheck.UNPLACED.contains(k.path()))
            .toList();
    assertThat(kernel).extracting(Region::path).contains("/usr/bin/cat");
    assertThat(mine).hasSameSizeAs(kernel);
    for (Region k : kernel) {
      assertThat(mine).as("kernel line %s", MapsFormat.line(k)).anyMatch(m -> Agreement.same(m, k));
    }
  }

  @Test
  void explainAnnotatesEachRegionAndGivesTheLegendOnce() {
    Cli r = Cli.run("maps", "--explain", "--at", first.line() + ",4", cat.log().toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out().split("# How to read a line", -1)).hasSize(2);
    assertThat(r.out())
        .contains("p private (copy-on-write")
        .containsPattern(
            "r-xp [0-9a-f]{8} 00:00 0 +/usr/bin/cat\n    image: text, .*; holds" + " [^\n]*\\.text")
        .containsPattern("rw-p [^\n]*/usr/bin/cat\n    image: data, [^\n]*\\.data")
        .contains("made by the kernel at the execve on line 1")
        .contains("# [stack]: mapped by the kernel at execve; address not in the trace")
        .doesNotContain("null");
  }

  @Test
  void explainSaysWhichCallLastChangedARegionAndMarksRelro() {
    Cli r = Cli.run("maps", "--explain", cat.log().toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .containsPattern("r--p [^\n]*/usr/bin/cat\n    image: relro, [^\n]*RELRO")
        .containsPattern(
            "last changed by line \\d+: \\d+ +mprotect\\(0x[0-9a-f]+, \\d+," + " PROT_READ\\)");
  }

  @Test
  void whereNamesTheRegionSectionAndMaker() throws Exception {
    Region text =
        MapsFormat.parse(first.maps()).stream()
            .filter(k -> k.path().equals("/usr/bin/cat") && k.perms().equals("r-xp"))
            .findFirst()
            .orElseThrow();
    long addr = text.start() + 0x10;
    Cli r =
        Cli.run(
            "where",
            "0x" + Long.toHexString(addr),
            "--at",
            String.valueOf(first.line()),
            cat.log().toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "0x" + Long.toHexString(addr) + " is in " + MapsFormat.line(text).substring(0, 26))
        .contains("image: text")
        .containsPattern("section \\.\\w+")
        .contains("made by the kernel at the execve on line 1");
  }

  /** An area the kernel merged from two calls' mmaps: where names the call whose memory it is. */
  @Test
  void whereInAMergedAreaNamesTheCallWhoseMemoryHoldsTheAddress() throws Exception {
    Path log = Files.createTempFile("merged", ".log");
    Files.writeString(log, Synthetic.MERGED_MMAPS);
    Cli upper = Cli.run("where", "0x7f0000004000", log.toString());
    assertThat(upper.status()).as(upper.err()).isZero();
    assertThat(upper.out())
        .contains("made by line 2: 100 mmap(NULL, 12288")
        .contains("that made 12 KiB of it (0x7f0000000000-0x7f0000003000) and line 1 the rest")
        .contains("the address is in the part line 1 made: 100 mmap(NULL, 12288");
    Cli lower = Cli.run("where", "0x7f0000001000", log.toString());
    assertThat(lower.out()).contains("made by line 2").doesNotContain("the address is in the part");
    Files.delete(log);
  }

  /** An address a munmap gave back: where says what lay there and which line unmapped it. */
  @Test
  void whereAtAnAddressAMunmapGaveBackSaysWhatLayThere() throws Exception {
    // ./uaf: malloc(1 MiB) maps a chunk of its own, free() unmaps it, p[100] faults
    Path log = Files.createTempFile("uaf", ".log");
    Files.writeString(
        log,
        """
        24440 brk(NULL)         = 0x559cdd1e5000
        24440 brk(NULL)         = 0x559cdd1e5000
        24440 brk(0x559cdd206000) = 0x559cdd206000
        24440 mmap(NULL, 1052672, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3b948d8000
        24440 munmap(0x7f3b948d8000, 1052672) = 0
        """);
    Cli r = Cli.run("where", "0x7f3b948d8074", log.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("0x7f3b948d8074 is in no region the trace shows")
        .contains(
            "  it was 116 bytes into where the 1052672-byte malloc chunk made at line 4 lay until"
                + " the munmap at line 5 gave it back");
    Cli before = Cli.run("where", "0x7f3b948d8074", "--at", "4", log.toString());
    assertThat(before.out()).contains("is in 7f3b948d8000-").doesNotContain("it was ");
    Files.delete(log);
  }

  /**
   * A region the explanations classed (a thread stack, its guard page) is listed with that class
   * and the line whose explanation gave it, as the summary counts it; one whose protection changed
   * since (part of a PROT_NONE reservation opened with mprotect) is classed by its permissions, and
   * a class its name and permissions give anyway cites no line.
   */
  @Test
  void regionsTheExplanationsClassedCarryThatClassWhileTheirProtectionFitsIt() throws Exception {
    Path log = Files.createTempFile("stack", ".log");
    Files.writeString(
        log,
        """
        100 mmap(NULL, 8392704, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_STACK, -1, 0) = 0x7f0000000000
        100 mprotect(0x7f0000001000, 8388608, PROT_READ|PROT_WRITE) = 0
        100 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM        |CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID, child_tid=0x7f0000800910,         parent_tid=0x7f0000800910, exit_signal=0, stack=0x7f0000000000, stack_size=0x7ffe00,         tls=0x7f0000800640} => {parent_tid=[101]}, 88) = 101
        100 mmap(NULL, 1048576, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0) = 0x7f1000000000
        100 mprotect(0x7f1000000000, 65536, PROT_READ|PROT_WRITE) = 0
        """);
    Cli maps = Cli.run("maps", "--explain", log.toString());
    assertThat(maps.status()).as(maps.err()).isZero();
    assertThat(maps.out())
        .contains(
            "7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n"
                + "    guard page (as explained for the mapping made at line 1), 4 KiB (4096 bytes)")
        .contains(
            "7f0000001000-7f0000801000 rw-p 00000000 00:00 0 \n"
                + "    thread stack (as explained for the mapping made at line 1), 8 MiB (8388608 bytes)")
        .contains(
            "7f1000000000-7f1000010000 rw-p 00000000 00:00 0 \n"
                + "    anonymous mmap, 64 KiB (65536 bytes)")
        .contains(
            "7f1000010000-7f1000100000 ---p 00000000 00:00 0 \n"
                + "    reserved (PROT_NONE), 960 KiB (983040 bytes)")
        .doesNotContain("rw-p 00000000 00:00 0 \n    reserved");
    Cli where = Cli.run("where", "0x7f0000400000", log.toString());
    assertThat(where.out())
        .contains("  thread stack (as explained for the mapping made at line 1), a region of");
    Files.delete(log);
  }

  /** A call another thread interrupted is cited whole, as one line, not as its two halves. */
  @Test
  void aCallSplitIntoUnfinishedAndResumedHalvesIsCitedAsOneLine() throws Exception {
    Path log = Files.createTempFile("split", ".log");
    Files.writeString(
        log,
        """
        100 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
        100 mprotect(0x7f0000000000, 4096, PROT_READ <unfinished ...>
        101 futex(0x7f0000009000, FUTEX_WAKE_PRIVATE, 1) = 0
        100 <... mprotect resumed>) = 0
        """);
    Cli r = Cli.run("where", "0x7f0000000100", log.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .as("by default, after the line at which the log's last memory call returned")
        .startsWith("# line 4 pid 100")
        .contains("is in 7f0000000000-7f0000001000 r--p")
        .contains("last changed by line 2: 100 mprotect(0x7f0000000000, 4096, PROT_READ) = 0")
        .doesNotContain("\\012")
        .doesNotContain("unfinished");
    Files.delete(log);
  }

  @Test
  void anFfSetPrefixIsNamedAsSuchAndOneOfItsFilesOffered() throws Exception {
    Path dir = Files.createTempDirectory("ffset");
    Files.writeString(
        dir.resolve("t.100"),
        "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n");
    Files.writeString(dir.resolve("t.101"), "brk(NULL) = 0x55000000\n");
    Cli r = Cli.run("maps", "--explain", dir.resolve("t").toString());
    assertThat(r.status()).isNotZero();
    assertThat(r.err().strip())
        .isEqualTo(
            "memtrace: cannot read "
                + dir.resolve("t")
                + ": it names a strace -ff set (2 files, one per task), and this command reads one"
                + " log; name one of them, e.g. "
                + dir.resolve("t.100")
                + " (analyze reads the whole set)");
    Cli one = Cli.run("where", "0x7f0000000010", dir.resolve("t.100").toString());
    assertThat(one.status()).as(one.err()).isZero();
    for (String f : new String[] {"t.100", "t.101"}) {
      Files.delete(dir.resolve(f));
    }
    Files.delete(dir);
  }

  @Test
  void whereOutsideEveryRegionSaysHowFarPastTheNearest() {
    Cli r = Cli.run("where", "0x1000", cat.log().toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("0x1000 is in no region the trace shows")
        .containsPattern("\\d+ bytes \\([^)]*\\) before the start of /usr/bin/cat \\(");
  }

  @Test
  void atPastTheEndAndBadAddressesAreErrors() throws Exception {
    long lines = Files.readAllLines(cat.log(), StandardCharsets.ISO_8859_1).size();
    Cli past = Cli.run("maps", "--at", String.valueOf(lines + 5), cat.log().toString());
    assertThat(past.status()).isEqualTo(125);
    assertThat(past.err()).contains("--at " + (lines + 5) + " is past the end of");
    assertThat(past.out()).isEmpty();
    Cli where = Cli.run("where", "0x10", "--at", String.valueOf(lines + 5), cat.log().toString());
    assertThat(where.status()).isEqualTo(125);
    Cli bad = Cli.run("where", "zz", cat.log().toString());
    assertThat(bad.status()).isEqualTo(125);
    assertThat(bad.err()).contains("'zz' is not an address").doesNotContain("Exception");
  }

  @Test
  void aRecordingIsReadWithItsSnapshots(@TempDir Path tmp) throws Exception {
    Path rec = tmp.resolve("cat.mtrace");
    PrintStream sink = new PrintStream(new ByteArrayOutputStream());
    int status =
        Main.run(
            new String[] {
              "-o",
              tmp.resolve("out.txt").toString(),
              "--save",
              rec.toString(),
              "--",
              "/bin/cat",
              "/etc/hostname"
            },
            sink,
            sink);
    assertThat(status).isZero();
    assertThat(RecordingReader.isRecording(rec)).isTrue();
    Cli r = Cli.run("maps", "--explain", rec.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .doesNotContain("no address space known")
        .containsPattern("r-xp [^\n]*/usr/bin/cat\n    image: text");
  }

  @Test
  void aRunningProcessIsExplainedFromItsMaps() throws Exception {
    Process sleep = new ProcessBuilder("/bin/sleep", "30").start();
    try {
      Cli r = Cli.run("maps", "--explain", "-p", String.valueOf(sleep.pid()));
      assertThat(r.status()).as(r.err()).isZero();
      assertThat(r.out())
          .containsPattern("r-xp [^\n]*/usr/bin/sleep\n    image: text, [^\n]*" + "\\.text")
          .containsPattern("\\[stack\\]\n    main stack")
          .doesNotContain("address not in the trace");
      String stack = r.out().lines().filter(l -> l.endsWith("[stack]")).findFirst().orElseThrow();
      Cli w =
          Cli.run(
              "where",
              "0x" + stack.substring(0, stack.indexOf('-')),
              "-p",
              String.valueOf(sleep.pid()));
      assertThat(w.out()).contains("is in " + stack).contains("main stack");
    } finally {
      sleep.destroy();
      sleep.waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void controlBytesInNamesAreEscaped() {
    Region r = new Region(0x1000, 0x2000, "r--p", 0, "00:00", 0, "/tmp/a\nb\u007f", 3);
    assertThat(MapsExplainText.line(r)).endsWith("/tmp/a\\012b\\177");
  }

  @Test
  void helpAndTheManPageNameBothCommands(@TempDir Path tmp) throws Exception {
    assertThat(Cli.run("--help").out())
        .contains("memtrace where ADDR")
        .contains("maps [--at LINE] --explain");
    assertThat(Cli.run("maps", "--help").out()).contains("--explain", "--root", "-p, --pid");
    assertThat(Cli.run("where", "--help").out()).contains("ADDR", "--at", "--root");
    Docs.write(tmp);
    assertThat(Files.readString(tmp.resolve("memtrace.1")))
        .contains(".SH \"MEMTRACE WHERE\"", "\\fB\\-\\-explain\\fR");
  }

  @Test
  void aSharedMappingOfAFileNowGoneIsNotSaidToHaveUnknownSections(@TempDir Path tmp)
      throws Exception {
    // postgres's dynamic shared memory: a /dev/shm file mapped MAP_SHARED and unlinked by the
    // time maps --explain reads the files; ld.so and the kernel map ELF segments MAP_PRIVATE,
    // so a shared mapping holds no sections to look for
    Path log = tmp.resolve("dsm.log");
    Files.writeString(
        log,
        """
        7991 00:01:00.975736 openat(AT_FDCWD, "/dev/shm/PostgreSQL.memtrace-gone", O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600) = 3 <0.000098>
        7991 00:01:00.975912 ftruncate(3, 8976) = 0 <0.000017>
        7991 00:01:00.976001 mmap(NULL, 8976, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f7f6445f000 <0.00002>
        """);
    Cli r = Cli.run("maps", "--explain", log.toString());
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("rw-s 00000000 00:00 0")
        .contains("/dev/shm/PostgreSQL.memtrace-gone")
        .doesNotContain("sections unknown");
    assertThat(r.out())
        .as(
            "the legend does not say every (deleted) is a deleted file, nor every anonymous path empty")
        .contains("empty for private anonymous memory")
        .contains("shared anonymous memory as /dev/zero (deleted)")
        .contains("a memfd as /memfd:NAME (deleted)");
  }
}
