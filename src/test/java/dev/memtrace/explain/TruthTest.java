package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.decode.Call;
import dev.memtrace.model.MemorySyscalls;
import dev.memtrace.timeline.AnnotatedEvent;
import dev.memtrace.timeline.Explanation;
import dev.memtrace.trace.Corpus;
import dev.memtrace.trace.SignalEvent;
import dev.memtrace.trace.SyscallEvent;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every sentence true, on real traces of programs outside the corpus (src/test/resources/
 * logs-truth: java -version and node -e with -f, dd bs=1M, python3 3.11): the sentence kinds that
 * were false, each checked against the trace's own numbers where it states one.
 */
class TruthTest {

  static final String JAVA = "java_version_f.log.gz";
  static final String NODE = "node_e_workers_f.log.gz";
  static final String DD = "dd_bs1M_count4_f.log";
  static final String PYTHON = "python3_list_f.log.gz";

  /** strace -f -k -e trace=mmap,munmap,mprotect,madvise,brk,mremap java -version: no execve. */
  static final String JAVA_K = "java_version_k_memory.log.gz";

  static Run.Out explain(String name) throws IOException {
    return Run.explain(read(name), Explainer.DEFAULT_WINDOW);
  }

  static List<TraceEvent> read(String name) throws IOException {
    InputStream raw = TruthTest.class.getResourceAsStream("/logs-truth/" + name);
    assertThat(raw).as(name).isNotNull();
    try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        TraceReader r = new TraceReader(in, name, null)) {
      return Corpus.drain(r);
    }
  }

  /** The calls named name whose argument text contains every part, in log order. */
  static List<AnnotatedEvent> calls(Run.Out out, String name, String... parts) {
    return out.events().stream()
        .filter(
            e ->
                e.event() instanceof SyscallEvent s
                    && s.name().equals(name)
                    && List.of(parts).stream().allMatch(p -> s.args().text().contains(p)))
        .toList();
  }

  static String why(AnnotatedEvent e) {
    return String.join(" | ", e.why().stream().map(Explanation::text).toList());
  }

  static long arg(AnnotatedEvent e, int i) {
    return Call.of((SyscallEvent) e.event()).num(i).orElseThrow();
  }

  @Test
  void hotspotStackGuardZonesAreNotTheJavaHeap() throws IOException {
    Run.Out out = explain(JAVA);
    List<AnnotatedEvent> removes =
        calls(out, "mmap", "16384, PROT_NONE", "MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE");
    assertThat(removes).isNotEmpty();
    for (AnnotatedEvent e : removes) {
      assertThat(why(e))
          .contains("removes the stack guard zone of the Java thread stack")
          .contains("os::uncommit_memory")
          .doesNotContain("Java heap");
    }
    List<AnnotatedEvent> commits = calls(out, "mmap", "16384, PROT_READ|PROT_WRITE", "MAP_FIXED");
    assertThat(commits).isNotEmpty();
    for (AnnotatedEvent e : commits) {
      assertThat(why(e)).contains("StackOverflow::create_stack_guard_pages");
    }
    // glibc drops an exiting Java thread's stack: not a Java heap madvise
    List<AnnotatedEvent> dontneed = calls(out, "madvise", "1024000, MADV_DONTNEED");
    assertThat(dontneed).isNotEmpty();
    for (AnnotatedEvent e : dontneed) {
      assertThat(why(e)).contains("a thread is exiting").doesNotContain("Java heap");
    }
    for (AnnotatedEvent e : out.events()) {
      assertThat(why(e))
          .doesNotContain("of the 16384-byte reservation")
          .doesNotContain("reserves the whole Java heap: 16384");
    }
  }

  /** "at offset 0xN of the X made at line L" must be the call's address minus L's address. */
  @Test
  void offsetsAreMeasuredFromTheStartOfWhatTheCitedLineMade() throws IOException {
    Pattern cite = Pattern.compile("at offset (0x[0-9a-f]+) of (?:the |a )?.*?made at line (\\d+)");
    int checked = 0;
    for (String log : List.of(JAVA, NODE)) {
      Run.Out out = explain(log);
      Map<Integer, Long> made = new HashMap<>();
      for (AnnotatedEvent e : out.events()) {
        if (e.event() instanceof SyscallEvent s && s.name().equals("mmap") && s.succeeded()) {
          made.put(s.line(), s.result().value().getAsLong());
        }
      }
      for (AnnotatedEvent e : out.events()) {
        for (Explanation x : e.why()) {
          Matcher m = cite.matcher(x.text());
          if (m.find() && made.containsKey(Integer.parseInt(m.group(2)))) {
            long offset = Long.parseLong(m.group(1).substring(2), 16);
            long start = made.get(Integer.parseInt(m.group(2)));
            assertThat(offset)
                .as(log + " line " + e.event().line() + ": " + x.text())
                .isEqualTo(arg(e, 0) - start);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void noPlaceholderAndNoInternalCitationReachesASentence() throws IOException {
    for (String log : List.of(JAVA, NODE, DD, PYTHON)) {
      for (AnnotatedEvent e : explain(log).events()) {
        assertThat(why(e))
            .as(log + " line " + e.event().line())
            .doesNotContain("null")
            .doesNotContain("?")
            .doesNotContain("memory-facts");
      }
    }
  }

  @Test
  void aFileOpenedRelativeToADirectoryIsNamedByItsWholePath() throws IOException {
    Run.Out out = explain(JAVA);
    // HotSpot's perf data: fchdir to /tmp/hsperfdata_root, then openat(AT_FDCWD, "<pid>")
    List<AnnotatedEvent> perf = calls(out, "mmap", "32768, PROT_READ|PROT_WRITE, MAP_SHARED");
    assertThat(perf).hasSize(1);
    assertThat(why(perf.get(0))).contains("of /tmp/hsperfdata_root/");
  }

  @Test
  void theMainThreadsTlsSentenceFollowsInitTls() throws IOException {
    Run.Out out = explain(DD);
    AnnotatedEvent setFs = calls(out, "arch_prctl", "ARCH_SET_FS").get(0);
    long fs = arg(setFs, 1);
    AnnotatedEvent block =
        out.events().stream()
            .filter(e -> e.why().stream().anyMatch(x -> x.rule().equals("tls-block")))
            .findFirst()
            .orElseThrow();
    long start = ((SyscallEvent) block.event()).result().value().getAsLong();
    assertThat(why(block))
        .contains("init_tls")
        .contains("_dl_allocate_tls_storage")
        .contains("FS points " + Ctx.hex(fs - start) + " into")
        .doesNotContain("plus struct pthread (2368 bytes), rounded to pages");
  }

  @Test
  void ddsBufferIsItsOwnAndItsStatisticsAreNotWrittenThroughIt() throws IOException {
    Run.Out out = explain(DD);
    AnnotatedEvent buffer = calls(out, "mmap", "1056768").get(0);
    // before 9.1: malloc(ibs + INPUT_BLOCK_SLOP), INPUT_BLOCK_SLOP = 2*2 + 2*4096 - 1 = 8195
    assertThat(why(buffer))
        .contains("INPUT_BLOCK_SLOP 8195")
        .contains("request2size(" + (1048576 + 8195) + ")")
        .contains("= 1060864")
        .doesNotContain("malloc(1048576 + 4095)");
    assertThat(Glibc.mallocMmap(1048576 + 8195).value()).isEqualTo(1060864);
    List<AnnotatedEvent> stats = calls(out, "write", "records in");
    assertThat(stats).isNotEmpty();
    for (AnnotatedEvent e : calls(out, "write")) {
      if (((SyscallEvent) e.event()).args().texts().get(0).equals("2")) {
        assertThat(why(e)).doesNotContain("I/O buffer");
      }
    }
    assertThat(why(calls(out, "read", "1048576").get(0))).contains("dd's 1048576-byte I/O buffer");
  }

  @Test
  void aOneMibMappingIsNotSaidToBeOutOfMallocsReach() throws IOException {
    Run.Out out = explain(PYTHON);
    AnnotatedEvent arena = calls(out, "mmap", "NULL, 1048576, PROT_READ|PROT_WRITE").get(0);
    assertThat(why(arena))
        .contains("obmalloc")
        .doesNotContain("would not be an exact power")
        .contains("malloc(n) for n from 1044457 to 1048552 maps exactly 1048576");
    // the range the sentence gives is glibc's own arithmetic, at both ends
    assertThat(Glibc.mallocMmap(1044457).value()).isEqualTo(1048576);
    assertThat(Glibc.mallocMmap(1048552).value()).isEqualTo(1048576);
    assertThat(Glibc.mallocMmap(1044456).value()).isLessThan(1048576);
    assertThat(Glibc.mallocMmap(1048553).value()).isGreaterThan(1048576);
  }

  /** Python reads a .pyc whole into a bytes object: no coreutils block-size wording for it. */
  @Test
  void anotherProgramsReadBufferIsNotGivenCoreutilsWording() throws IOException {
    Run.Out out = explain(PYTHON);
    AnnotatedEvent map = calls(out, "mmap", "NULL, 163840, PROT_READ|PROT_WRITE").get(0);
    assertThat(why(map))
        .contains("fits a buffer for python3's 160699-byte read at line")
        .contains("malloc(n) with n from 159721 to 163816")
        .doesNotContain("block size")
        .doesNotContain("malloc(160699)");
    assertThat(Glibc.mallocMmap(159721).value()).isEqualTo(163840);
    assertThat(Glibc.mallocMmap(163816).value()).isEqualTo(163840);
  }

  /** With -k the caller's frame decides, even where the trace never shows libjvm.so loaded. */
  @Test
  void withStacksTheCallersFrameDecides() throws IOException {
    Run.Out out = explain(JAVA_K);
    List<AnnotatedEvent> removes =
        calls(out, "mmap", "16384, PROT_NONE", "MAP_FIXED|MAP_ANONYMOUS|MAP_NORESERVE");
    assertThat(removes).isNotEmpty();
    for (AnnotatedEvent e : removes) {
      Explanation x = e.why().get(0);
      assertThat(x.rule()).isEqualTo("jvm-stack-guard-remove");
      assertThat(x.basis()).isEqualTo(Explanation.Basis.STACK);
      assertThat(x.evidence().get(0)).contains("StackOverflow::remove_stack_guard_pages");
    }
    for (AnnotatedEvent e : calls(out, "madvise", "1024000, MADV_DONTNEED")) {
      assertThat(why(e)).contains("a thread is exiting").doesNotContain("reservation");
    }
    // HotSpot's own malloc calls are still glibc's: the allocator is on the stack
    AnnotatedEvent osMalloc = calls(out, "mmap", "NULL, 1052672, PROT_READ|PROT_WRITE").get(0);
    assertThat(osMalloc.why().get(0).rule()).isEqualTo("malloc-mmap");
    assertThat(osMalloc.why().get(0).basis()).isEqualTo(Explanation.Basis.STACK);
    AnnotatedEvent segv =
        out.events().stream()
            .filter(e -> e.event() instanceof SignalEvent s && "SIGSEGV".equals(s.signal()))
            .findFirst()
            .orElseThrow();
    assertThat(segv.why().get(0).rule()).isEqualTo("jvm-probe-segv");
  }

  @Test
  void everyReasonInferredFromThePatternSaysSo() throws IOException {
    // retellings (HotSpot's CDS archive and class space reserved together) and signals (the JVM's
    // CPU-feature probe) were written apart from the rule table, which adds the words: both read
    // as certain
    for (String log : List.of(JAVA, JAVA_K, NODE, DD, PYTHON)) {
      for (AnnotatedEvent e : explain(log).events()) {
        for (Explanation x : e.why()) {
          if (x.basis() == Explanation.Basis.PATTERN) {
            assertThat(x.text()).as(log + " " + x.rule()).contains("(inferred");
          }
        }
      }
    }
    AnnotatedEvent segv =
        explain(JAVA).events().stream()
            .filter(e -> e.event() instanceof SignalEvent s && "SIGSEGV".equals(s.signal()))
            .findFirst()
            .orElseThrow();
    assertThat(segv.why().get(0).text())
        .endsWith("SEGV_MAPERR: no mapping at all at the address (inferred from the pattern)");
  }

  @Test
  void v8sReservationsAreNotMallocArenas() throws IOException {
    Run.Out out = explain(NODE);
    List<AnnotatedEvent> rwx = calls(out, "mprotect", "PROT_READ|PROT_WRITE|PROT_EXEC");
    assertThat(rwx).isNotEmpty();
    for (AnnotatedEvent e : rwx) {
      assertThat(why(e)).contains("V8").doesNotContain("arena");
    }
    for (AnnotatedEvent e : calls(out, "mmap", "PROT_NONE", "MAP_NORESERVE")) {
      if (arg(e, 0) != 0) {
        assertThat(why(e))
            .as("line " + e.event().line())
            .contains("V8")
            .doesNotContain("malloc arena:");
      }
    }
  }

  /** Worker threads make arenas at once: each trim names its own reservation. */
  @Test
  void eachArenaTrimNamesTheReservationItCuts() throws IOException {
    Run.Out out = explain(NODE);
    Pattern trim =
        Pattern.compile(
            "trims the (head|tail) of the 128 MiB arena reservation made "
                + "at line (\\d+) \\((\\d+) bytes\\)");
    Map<Integer, Long> made = new HashMap<>();
    for (AnnotatedEvent e : calls(out, "mmap", "134217728")) {
      made.put(e.event().line(), ((SyscallEvent) e.event()).result().value().getAsLong());
    }
    int trims = 0;
    for (AnnotatedEvent e : calls(out, "munmap")) {
      Matcher m = trim.matcher(why(e));
      if (!m.find()) {
        continue;
      }
      long start = made.get(Integer.parseInt(m.group(2)));
      long addr = arg(e, 0);
      long len = arg(e, 1);
      if (m.group(1).equals("head")) {
        assertThat(addr).isEqualTo(start);
      } else {
        assertThat(addr + len).isEqualTo(start + 2 * Glibc.HEAP_MAX);
      }
      trims++;
    }
    // new_heap trims a head only when the reservation is not already 64 MiB-aligned
    long expected =
        made.values().stream().mapToLong(start -> start % Glibc.HEAP_MAX == 0 ? 1 : 2).sum();
    assertThat(made).hasSizeGreaterThan(3);
    assertThat(trims).isEqualTo(expected);
    for (AnnotatedEvent e : out.events()) {
      assertThat(why(e)).doesNotContain("now a 64 MiB arena heap made at line");
    }
  }

  /** The CDS archive is mapped over a reservation it shares with the class space. */
  @Test
  void theCdsArchiveAndItsReservationAreHotspots() throws IOException {
    Run.Out out = explain(JAVA);
    List<AnnotatedEvent> jsa = calls(out, "mmap", "MAP_PRIVATE|MAP_FIXED, 4");
    assertThat(jsa).isNotEmpty();
    for (AnnotatedEvent e : jsa) {
      assertThat(why(e)).contains("CDS").contains("classes.jsa").contains("at offset ");
    }
    long start = arg(jsa.get(0), 0);
    AnnotatedEvent reservation =
        out.events().stream()
            .filter(
                e ->
                    e.event() instanceof SyscallEvent s
                        && s.name().equals("mmap")
                        && s.succeeded()
                        && s.result().value().getAsLong() == start
                        && e.event().line() < jsa.get(0).event().line())
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(why(reservation))
        .contains("compressed class space")
        .contains("line " + jsa.get(0).event().line());
  }

  @Test
  void hotspotsProbeSigsegvIsNotACrash() throws IOException {
    Run.Out out = explain(JAVA);
    AnnotatedEvent segv =
        out.events().stream()
            .filter(e -> e.event() instanceof SignalEvent s && "SIGSEGV".equals(s.signal()))
            .findFirst()
            .orElseThrow();
    assertThat(why(segv))
        .contains("not a crash")
        .contains("VM_Version::get_processor_features")
        .contains("rt_sigreturn");
    int line = segv.event().line();
    assertThat(
            out.events().stream()
                .anyMatch(
                    e ->
                        e.event().line() > line
                            && e.event().line() < line + 5
                            && e.event() instanceof SyscallEvent s
                            && s.name().equals("rt_sigreturn")
                            && s.pid().equals(segv.event().pid())))
        .isTrue();
  }

  @Test
  void nearlyEveryMemoryEventHasAReason() throws IOException {
    for (String log : List.of(JAVA, NODE, DD, PYTHON)) {
      long memory = 0;
      long explained = 0;
      for (AnnotatedEvent e : explain(log).events()) {
        if (e.event() instanceof SyscallEvent s
            && MemorySyscalls.inMemoryClass(s.name())
            && s.succeeded()) {
          memory++;
          explained += e.why().isEmpty() ? 0 : 1;
        }
      }
      assertThat((double) explained / memory)
          .as(log + ": " + explained + "/" + memory)
          .isGreaterThanOrEqualTo(0.95);
    }
  }
}
