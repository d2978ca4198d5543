package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.elf.ElfFile;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.Segment;
import dev.memtrace.run.LiveAssumptions;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the kernel maps at execve, from ELF headers read under a root directory: placed when ld.so's
 * RELRO mprotect tells the base, not before; a file that is missing or does not fit the trace is
 * said, and nothing is made up.
 */
class ExecImagesTest {

  @TempDir Path root;
  final List<String> notes = new ArrayList<>();
  MemoryModel model;
  ElfFile prog;

  @BeforeEach
  void files() throws Exception {
    prog = CatUnderRoot.copy(root);
    model = new MemoryModel(ElfFiles.under(root), null);
  }

  void feed(String... lines) {
    for (TraceEvent e : TraceReader.parseAll(String.join("\n", lines) + "\n")) {
      notes.addAll(model.apply(e).notes());
    }
  }

  static final String EXEC = "10 execve(\"/bin/prog\", [\"prog\"], 0x7ffc /* 1 var */) = 0";
  static final long BASE = 0x555555554000L;

  String relroCall(long len) {
    long at = BASE + (prog.relro().vaddr() & ~0xfffL);
    return "10 mprotect(0x" + Long.toHexString(at) + ", " + len + ", PROT_READ) = 0";
  }

  long relroLength() {
    Segment r = prog.relro();
    return ((r.vaddr() + r.memsz()) & ~0xfffL) - (r.vaddr() & ~0xfffL);
  }

  /**
   * A program without RELRO (a static binary linked so; every Go binary) never gets the mprotect
   * the model waits for: the note says why, instead of blaming the trace for a missing call.
   */
  @Test
  void aProgramWithoutRelroIsNotSaidToMissItsRelroMprotect() throws Exception {
    LiveAssumptions.assumeGcc();
    Path src = Files.writeString(root.resolve("hello.c"), "int main(void) { return 0; }\n");
    List<String> said = new ArrayList<>();
    // linked at fixed addresses (ET_EXEC), then position-independent (ET_DYN)
    for (String link : List.of("-static -no-pie", "-static-pie")) {
      Path under = root.resolve("root" + link.replace(' ', '_'));
      Path bin = Files.createDirectories(under.resolve("bin")).resolve("prog");
      List<String> gccArgs = new ArrayList<>(List.of("gcc", "-Wl,-z,norelro"));
      gccArgs.addAll(List.of(link.split(" ")));
      gccArgs.addAll(List.of("-o", bin.toString(), src.toString()));
      Process gcc = new ProcessBuilder(gccArgs).inheritIO().start();
      assertThat(gcc.waitFor()).isZero();
      assertThat(ElfFile.read(bin).relro()).isNull();
      MemoryModel m = new MemoryModel(ElfFiles.under(under).untilProven(), null);
      for (TraceEvent e : TraceReader.parseAll(EXEC + "\n")) {
        m.apply(e);
      }
      said.addAll(m.elfProblems());
    }
    assertThat(said)
        .containsExactly(
            "the trace never confirmed that this machine's program /bin/prog is the one it ran (it"
                + " has no RELRO segment, whose mprotect after relocation is the sign memtrace"
                + " waits for): what the kernel mapped at execve is not shown",
            "the trace never showed where the kernel put the program /bin/prog (it has no RELRO"
                + " segment, whose mprotect after relocation is the sign memtrace waits for): what"
                + " the kernel mapped at execve is not shown");
  }

  @Test
  void aProgramExecutedAsProcSelfExeIsNotReadFromTheReadersOwnLink() {
    // chromium starts its utility processes as execve("/proc/self/exe", ...): opened here, the
    // link would name memtrace's own java, whose RELRO the traced mprotect cannot fit
    MemoryModel m = new MemoryModel(ElfFiles.under(Path.of("/")), null);
    for (TraceEvent e :
        TraceReader.parseAll(
            "10 execve(\"/proc/self/exe\", [\"/proc/self/exe\", \"--type=utility\"], 0x7ffc /* 1"
                + " var */) = 0\n")) {
      m.apply(e);
    }
    assertThat(m.space(10).unplacedImages()).isEmpty();
    assertThat(m.elfProblems())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("the ELF headers of the program /proc/self/exe are unknown")
        .doesNotContain("java");
  }

  /**
   * python3 -c 'import os; os.execv("/proc/self/exe", ...)': the kernel resolves the link to the
   * exec'ing process's own program (proc_exe_link), which its own execve in the trace named.
   */
  @Test
  void procSelfExeIsTheProgramTheProcesssOwnExecveRan() {
    feed(
        EXEC,
        "10 execve(\"/proc/self/exe\", [\"x\", \"-c\", \"pass\"], 0x7ffc /* 1 var */) = 0",
        "10 brk(NULL) = 0x555555600000");
    assertThat(model.space(10).unplacedImages())
        .containsExactly("program /bin/prog", "loader /lib64/ld-linux-x86-64.so.2");
    assertThat(model.elfProblems()).noneMatch(p -> p.contains("/proc/self/exe"));
    feed("10 execve(\"/proc/10/exe\", [\"x\"], 0x7ffc /* 1 var */) = 0");
    assertThat(model.space(10).unplacedImages()).contains("program /bin/prog");
  }

  @Test
  void theProgramIsPlacedByItsRelroMprotectAndSplitAsTheKernelSplitsIt() {
    feed(EXEC, "10 brk(NULL) = 0x555555600000");
    assertThat(model.space(10).regions()).isEmpty();
    assertThat(model.space(10).unplacedImages())
        .containsExactly("program /bin/prog", "loader /lib64/ld-linux-x86-64.so.2");
    feed(relroCall(relroLength()));
    List<Region> regions = model.space(10).regions();
    long segments = prog.loads().size();
    assertThat(regions).hasSize((int) segments + 1); // the RELRO split
    assertThat(regions)
        .allSatisfy(
            r -> {
              assertThat(r.path()).isEqualTo("/bin/prog");
              assertThat(r.learnt()).isEqualTo(Region.Learnt.ELF_HEADER);
              assertThat(r.originLine()).isEqualTo(1);
            });
    assertThat(regions.get(0).start()).isEqualTo(BASE + prog.firstPage());
    assertThat(regions).extracting(Region::perms).contains("r-xp", "rw-p");
    assertThat(model.space(10).unplacedImages())
        .containsExactly("loader /lib64/ld-linux-x86-64.so.2");
    assertThat(model.elfProblems())
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .startsWith("the trace never showed where the kernel put the loader "));
    // what the ELF layout made is told apart from the mprotect's own (empty) part
    // each segment added, then the data segment's split: a ~ to r--p and a + of the rw-p rest
    assertThat(model.placedNow()).hasSize((int) segments + 2);
    assertThat(model.placedNow().subList(0, (int) segments))
        .allSatisfy(c -> assertThat(c.op()).isEqualTo(RegionChange.Op.ADDED));
    assertThat(notes).allSatisfy(n -> assertThat(n).contains("the model knew no memory there"));
  }

  /** mprotect changes a laid-out area's permissions, not the segment it is known to come from. */
  @Test
  void anAreaLaidOutFromElfHeadersKeepsItsSegmentsProtectionThroughMprotect() {
    feed(EXEC, "10 brk(NULL) = 0x555555600000", relroCall(relroLength()));
    Region text =
        model.space(10).regions().stream()
            .filter(r -> r.perms().equals("r-xp"))
            .findFirst()
            .orElseThrow();
    feed(
        "10 mprotect(0x"
            + Long.toHexString(text.start())
            + ", 4096, PROT_READ|PROT_WRITE|PROT_EXEC) = 0");
    Region now = model.space(10).regionAtOrBelow(text.start());
    assertThat(now.perms()).isEqualTo("rwxp");
    assertThat(now.segmentProt()).isEqualTo(5);
  }

  /**
   * musl's program and loader (its libc.so) both have one-page RELRO: the length alone cannot tell
   * whose mprotect comes first, so the image goes where load_elf_binary puts it: a PIE program with
   * an interpreter at ELF_ET_DYN_BASE (0x55...), the interpreter in the mmap area (0x7f...).
   */
  @Test
  void imagesWithTheSameRelroLengthArePlacedInTheAreasTheKernelLoadsThemIn() throws Exception {
    LiveAssumptions.assumeGcc();
    Path src = Files.writeString(root.resolve("x.c"), "int v = 1; int main(void) { return v; }\n");
    Path under = root.resolve("same");
    Path bin = Files.createDirectories(under.resolve("bin")).resolve("prog");
    Path ld = Files.createDirectories(under.resolve("lib")).resolve("ld-tiny.so");
    gcc("-shared", "-fPIC", "-o", ld.toString(), src.toString());
    gcc(
        "-pie",
        "-fPIE",
        "-Wl,--dynamic-linker=/lib/ld-tiny.so",
        "-o",
        bin.toString(),
        src.toString());
    ElfFile p = ElfFile.read(bin);
    ElfFile l = ElfFile.read(ld);
    long len = relroPages(p);
    assertThat(relroPages(l)).as("the two RELRO lengths this test needs").isEqualTo(len);
    long loaderBase = 0x7f5aed448000L;
    MemoryModel m = new MemoryModel(ElfFiles.under(under), null);
    String loaderRelro = Long.toHexString(loaderBase + (l.relro().vaddr() & ~0xfffL));
    String progRelro = Long.toHexString(BASE + (p.relro().vaddr() & ~0xfffL));
    for (TraceEvent e :
        TraceReader.parseAll(
            String.join(
                "\n",
                EXEC,
                "10 mprotect(0x" + loaderRelro + ", " + len + ", PROT_READ) = 0",
                "10 mprotect(0x" + progRelro + ", " + len + ", PROT_READ) = 0",
                ""))) {
      m.apply(e);
    }
    List<Region> regions = m.space(10).regions();
    assertThat(regions).isNotEmpty();
    assertThat(regions)
        .filteredOn(r -> r.path().endsWith("/bin/prog"))
        .isNotEmpty()
        .allMatch(r -> r.start() >= BASE && r.end() < 0x7f0000000000L);
    assertThat(regions)
        .filteredOn(r -> r.path().endsWith("ld-tiny.so"))
        .isNotEmpty()
        .allMatch(r -> r.start() >= loaderBase);
  }

  private void gcc(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gcc"));
    cmd.addAll(List.of(args));
    Process gcc = new ProcessBuilder(cmd).inheritIO().start();
    assertThat(gcc.waitFor()).isZero();
  }

  private static long relroPages(ElfFile f) {
    Segment r = f.relro();
    return ((r.vaddr() + r.memsz()) & ~0xfffL) - (r.vaddr() & ~0xfffL);
  }

  @Test
  void aSecondReadingWithTheLearntBiasPlacesTheProgramAtExecve() {
    feed(EXEC, "10 brk(NULL) = 0x555555600000", relroCall(relroLength()));
    MemoryModel again = new MemoryModel(ElfFiles.under(root), model.hints());
    for (TraceEvent e : TraceReader.parseAll(EXEC + "\n")) {
      again.apply(e);
    }
    assertThat(again.space(10).regions())
        .hasSize(prog.loads().size())
        .first()
        .extracting(Region::start)
        .isEqualTo(BASE + prog.firstPage());
  }

  @Test
  void aRelroLengthTheFileDoesNotHaveLeavesItUnplacedAndSaysSo() {
    feed(EXEC, relroCall(relroLength() + 0x10000));
    assertThat(model.space(10).regions()).noneMatch(r -> r.learnt() == Region.Learnt.ELF_HEADER);
    assertThat(model.space(10).unplacedImages()).hasSize(2);
    assertThat(model.elfProblems())
        .singleElement()
        .satisfies(n -> assertThat(n).startsWith("line 2 ").contains("may differ from the traced"));
  }

  /**
   * A log read after the run that names its program by a relative path (strace -o x.log ./prog) and
   * shows no directory at the execve: the file is read from the directory memtrace runs in, which
   * is the traced one only when the log is read where it was made, and a note says so. A live run
   * reads it where it runs (no note). The program is elf/bss_mprotect, named from the project's
   * directory, where the tests run.
   */
  @Test
  void aRelativeProgramReadFromThisDirectoryIsSaidToBe() {
    String exec =
        "10 execve(\"target/test-classes/elf/bss_mprotect\", [\"pd\"], 0x7ffc /* 1 var */) = 0";
    Path read = Path.of("target/test-classes/elf/bss_mprotect").toAbsolutePath().normalize();
    model = new MemoryModel(ElfFiles.local().untilProven(), null);
    feed(exec);
    assertThat(model.elfProblems())
        .contains(
            "the program target/test-classes/elf/bss_mprotect is named relative to a directory"
                + " the trace does not show at its execve: its ELF headers were read from "
                + read
                + ", in the directory memtrace runs in, which holds the traced program only when"
                + " the log is read where it was made");
    model = new MemoryModel(ElfFiles.local(), null);
    feed(exec);
    assertThat(model.elfProblems()).noneMatch(p -> p.contains("named relative"));
  }

  @Test
  void aMissingProgramIsSaidAndNothingIsLaidOut() {
    feed("10 execve(\"/bin/gone\", [\"gone\"], 0x7ffc /* 1 var */) = 0");
    assertThat(model.space(10).regions()).isEmpty();
    assertThat(model.elfProblems())
        .singleElement()
        .satisfies(
            n ->
                assertThat(n)
                    .startsWith(
                        "the ELF headers of the program /bin/gone are unknown (cannot read "));
    assertThat(notes).isEmpty();
  }

  @Test
  void aRecordedAnswerLaysOutTheSameImageWithoutTheFile() {
    List<ElfFiles.Answer> heard = new ArrayList<>();
    model = new MemoryModel(ElfFiles.under(root).recordingTo(heard::add), null);
    feed(EXEC, relroCall(relroLength()));
    List<Region> read = model.space(10).regions();
    assertThat(heard).extracting(ElfFiles.Answer::kind).containsExactly("program", "file");

    model = new MemoryModel(ElfFiles.recorded(heard), null);
    feed(EXEC, relroCall(relroLength()));
    assertThat(model.space(10).regions()).isEqualTo(read).isNotEmpty();
  }

  @Test
  void aQuestionTheRecordingDoesNotAnswerIsSaid() {
    model = new MemoryModel(ElfFiles.recorded(List.of()), null);
    feed(EXEC);
    assertThat(model.elfProblems())
        .singleElement()
        .satisfies(n -> assertThat(n).contains("/bin/prog is not in the recording"));
  }

  @Test
  void aSizeTheTraceShowsThatTheFileDoesNotHaveIsSaidAndNothingIsLaidOut() {
    long other = prog.size() + 8;
    feed(
        "9 newfstatat(AT_FDCWD, \"/bin/prog\", {st_mode=S_IFREG|0755, st_size="
            + other
            + ", ...}, 0) = 0",
        EXEC,
        relroCall(relroLength()));
    // the program's headers name its loader: neither is laid out
    assertThat(model.space(10).regions()).isEmpty();
    assertThat(model.space(10).unplacedImages()).isEmpty();
    assertThat(model.elfProblems())
        .first()
        .isEqualTo(
            "the ELF headers of the program /bin/prog are unknown (the trace shows /bin/prog of "
                + other
                + " bytes, the one under --root /bin/prog has "
                + prog.size()
                + "): what the kernel mapped at execve is not shown");
  }

  @Test
  void theSizeTheTraceShowsOfAnOpenFileIsItsFstat() {
    feed(
        "9 openat(AT_FDCWD, \"/bin/prog\", O_RDONLY) = 3",
        "9 fstat(3, {st_mode=S_IFREG|0755, st_size=1, ...}) = 0",
        "9 close(3) = 0",
        EXEC);
    assertThat(model.space(10).unplacedImages()).isEmpty();
    assertThat(model.elfProblems().get(0)).contains("the trace shows /bin/prog of 1 bytes");
  }

  /** The program was laid out, and no size the trace showed was held against its file. */
  private void assertPlacedUnquestioned() {
    assertThat(model.space(10).regions()).anyMatch(r -> r.path().equals("/bin/prog"));
    assertThat(model.elfProblems()).noneMatch(n -> n.contains("the trace shows"));
  }

  @Test
  void theSameSizeOrALinksOwnSizeChangesNothing() {
    feed(
        "9 stat(\"/bin/prog\", {st_mode=S_IFREG|0755, st_size=" + prog.size() + ", ...}) = 0",
        "9 newfstatat(AT_FDCWD, \"/bin/prog\", {st_mode=S_IFLNK|0777, st_size=4, ...},"
            + " AT_SYMLINK_NOFOLLOW) = 0",
        EXEC,
        relroCall(relroLength()));
    assertPlacedUnquestioned();
  }

  @Test
  void theSizeOfAFileTheTraceWroteIsNoEvidence() {
    feed(
        "9 openat(AT_FDCWD, \"/bin/prog\", O_RDWR|O_CREAT|O_TRUNC, 0777) = 3",
        "9 newfstatat(3, \"\", {st_mode=S_IFREG|0755, st_size=0, ...}, AT_EMPTY_PATH) = 0",
        "9 close(3) = 0",
        EXEC,
        relroCall(relroLength()));
    assertPlacedUnquestioned();
  }

  @Test
  void theSizeOfADataFileIsNotKept() {
    // mode 0644 and no .so in the name: not a file whose ELF headers the model would read
    feed(
        "9 stat(\"/bin/prog\", {st_mode=S_IFREG|0644, st_size=1, ...}) = 0",
        EXEC,
        relroCall(relroLength()));
    assertPlacedUnquestioned();
    feed(
        "11 stat(\"/bin/prog\", {st_mode=S_IFREG|S_ISUID|0755, st_size=1, ...}) = 0",
        "11 execve(\"/bin/prog\", [\"prog\"], 0x7ffc /* 1 var */) = 0");
    assertThat(model.elfProblems())
        .anyMatch(n -> n.contains("the trace shows /bin/prog of 1 bytes"));
  }
}
