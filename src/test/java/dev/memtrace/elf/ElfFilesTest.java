package dev.memtrace.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files read for a replay of a recording stand in for the run's only when they are the builds the
 * run read: the recording's build-id, or its size when a build-id is missing, must match.
 */
class ElfFilesTest {

  @TempDir Path root;
  ElfFile cat;

  @BeforeEach
  void copy() throws Exception {
    Path real = Path.of("/usr/bin/cat");
    assumeTrue(Files.isReadable(real));
    cat = ElfFile.read(real);
    assumeTrue(cat.buildId() != null);
    Files.createDirectories(root.resolve("bin"));
    Files.copy(real, root.resolve("bin/prog"));
  }

  private static ElfFiles.Answer ran(String buildId, long size) {
    return new ElfFiles.Answer(
        ElfFiles.FILE,
        "/bin/prog",
        null,
        new ElfFiles.Opened(
            ElfFile.recorded(Path.of("/bin/prog"), size, 3, List.of(), null, null, buildId),
            "/bin/prog",
            null));
  }

  @Test
  void theSameBuildIsUsed() {
    ElfFiles files = ElfFiles.under(root);
    files.expect(List.of(ran(cat.buildId(), cat.size() + 1)));
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
  }

  @Test
  void anotherBuildIsNotUsedAndSaysWhichAndHow() {
    ElfFiles files = ElfFiles.under(root);
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
    files.expect(List.of(ran("00ff", cat.size())));
    ElfFiles.Opened o = files.open("/bin/prog", null);
    assertThat(o.ok()).isFalse();
    assertThat(o.problem())
        .isEqualTo(
            "the one under --root /bin/prog is another build than the recording's (build-id "
                + cat.buildId()
                + ", the recording's 00ff)");
  }

  @Test
  void withoutABuildIdTheSizeIsCompared() {
    ElfFiles files = ElfFiles.under(root);
    files.expect(List.of(ran(null, cat.size() + 1)));
    assertThat(files.open("/bin/prog", null).problem())
        .isEqualTo(
            "the one under --root /bin/prog has "
                + cat.size()
                + " bytes, the recording's "
                + (cat.size() + 1));
  }

  @Test
  void aSegmentLdSoMappedMustBeAPtLoadOfTheFileRead() {
    ElfFiles files = ElfFiles.under(root);
    Segment text = cat.loads().get(1);
    long start = text.vaddr() & ~0xfffL;
    long end = (text.vaddr() + text.filesz() + 0xfff) & ~0xfffL;
    files.traceShowsSegment("/bin/prog", text.offset() & ~0xfffL, end - start);
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
    files.traceShowsSegment("/bin/prog", text.offset() & ~0xfffL, end - start + 0x1000);
    assertThat(files.open("/bin/prog", null).problem())
        .isEqualTo(
            "the trace shows ld.so mapping "
                + (end - start + 0x1000)
                + " bytes of /bin/prog from offset 0x"
                + Long.toHexString(text.offset() & ~0xfffL)
                + ", which is no PT_LOAD segment of the one under --root /bin/prog");
  }

  /**
   * An object whose PT_LOAD alignment exceeds a page has its whole span mapped MAP_FIXED in a
   * reservation (_dl_map_segment): that span is the file's, not a segment it lacks.
   */
  @Test
  void theWholeSpanLdSoPlacedAtAnAlignmentIsTheFilesToo() {
    ElfFiles files = ElfFiles.under(root);
    Segment first = cat.loads().get(0);
    Segment last = cat.loads().get(cat.loads().size() - 1);
    long span = last.vaddr() + last.memsz() - (first.vaddr() & ~0xfffL);
    files.traceShowsSegment("/bin/prog", first.offset() & ~0xfffL, span);
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
    files.traceShowsSegment("/bin/prog", first.offset() & ~0xfffL, span + 0x1000);
    assertThat(files.open("/bin/prog", null).ok()).isFalse();
  }

  @Test
  void theSizeTheTraceShowedIsCheckedAtEachQuestionUntilTheTraceWritesTheFile() {
    ElfFiles files = ElfFiles.under(root);
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
    files.traceShowsSize("/bin/prog", cat.size() + 1);
    assertThat(files.open("/bin/prog", null).problem())
        .isEqualTo(
            "the trace shows /bin/prog of "
                + (cat.size() + 1)
                + " bytes, the one under --root /bin/prog has "
                + cat.size());
    // a file the trace wrote may have changed after what it showed of it
    files.traceWrites("/bin/prog");
    files.traceShowsSize("/bin/prog", 0);
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
  }

  @Test
  void aRecordingsAnswersAreNotCheckedAgainstTheTrace() {
    ElfFiles.Answer a = ran(cat.buildId(), cat.size());
    ElfFiles files = ElfFiles.recorded(List.of(a));
    files.traceShowsSize("/bin/prog", 1);
    assertThat(files.open("/bin/prog", null).ok()).isTrue();
  }
}
