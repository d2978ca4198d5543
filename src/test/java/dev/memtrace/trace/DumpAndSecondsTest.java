package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Line shapes of strace 6.1 logs made for these tests (src/test/resources/logs-extra/): the {@code
 * -e read=}/{@code -e write=} data dumps belong to their call, {@code -r} in whole seconds ({@code
 * --relative-timestamps=s}) is a prefix, and a 23-digit leading number is no timestamp.
 */
class DumpAndSecondsTest {

  static Path extra(String name) throws Exception {
    return Path.of(DumpAndSecondsTest.class.getResource("/logs-extra/" + name).toURI());
  }

  @Test
  void dumpLinesAreTheDataOfTheCallBeforeThem() throws Exception {
    List<TraceEvent> events = Corpus.events(extra("cat_read_write_dump.log"));

    assertThat(events).noneMatch(e -> e instanceof UnparsedEvent || e instanceof NoticeEvent);
    SyscallEvent read =
        events.stream()
            .filter(
                e ->
                    e instanceof SyscallEvent s
                        && s.name().equals("read")
                        && s.args().texts().get(1).startsWith("\"hello"))
            .map(SyscallEvent.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(read.dump()).isEqualTo("68656c6c6f30313233340a"); // "hello01234\n"
    SyscallEvent write =
        events.stream()
            .filter(e -> e instanceof SyscallEvent s && s.name().equals("write"))
            .map(SyscallEvent.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(write.dump()).isEqualTo(read.dump());
    SyscallEvent elf =
        events.stream()
            .filter(e -> e instanceof SyscallEvent s && s.name().equals("read"))
            .map(SyscallEvent.class::cast)
            .findFirst()
            .orElseThrow();
    assertThat(elf.dump()).hasSize(2 * 832).startsWith("7f454c46");
    assertThat(
            events.stream()
                .filter(e -> e instanceof SyscallEvent s && s.name().equals("mmap"))
                .map(SyscallEvent.class::cast))
        .allMatch(s -> s.dump() == null);
  }

  @Test
  void aDumpLineWithNoCallBeforeItIsANotice() {
    List<TraceEvent> events =
        TraceReader.parseAll(
            " | 00000  30 31 0a                                          01.              |\n");
    assertThat(events).singleElement().isInstanceOf(NoticeEvent.class);
  }

  @Test
  void relativeTimesInWholeSecondsArePrefixes() throws Exception {
    List<TraceEvent> events = Corpus.events(extra("cat_r_seconds.log"));

    assertThat(events).noneMatch(e -> e instanceof UnparsedEvent);
    assertThat(events.get(0)).isInstanceOf(SyscallEvent.class);
    assertThat(((SyscallEvent) events.get(0)).name()).isEqualTo("execve");
    assertThat(events).allMatch(e -> e.prefix().relative() != null && e.prefix().relative() == 0.0);
    TraceEvent withPid =
        TraceReader.parseAll(
                "18857      0 execve(\"/usr/bin/sh\", [\"sh\"], 0x7ffd26a066b8 /* 35 vars */) = 0\n")
            .get(0);
    assertThat(withPid.pid()).isEqualTo(18857);
    assertThat(withPid.prefix().relative()).isEqualTo(0.0);
    assertThat(((SyscallEvent) withPid).name()).isEqualTo("execve");
  }

  @Test
  void aTwentyThreeDigitLeadingNumberIsNoTimestamp() {
    TraceEvent e =
        TraceReader.parseAll(
                "12345678901234567890123 brk(NULL)                        = 0x563508598000\n")
            .get(0);
    assertThat(e.prefix().time()).isNull();
    assertThat(e.prefix().seconds()).isNull();
    assertThat(e).isInstanceOf(UnparsedEvent.class);
    TraceEvent epoch =
        TraceReader.parseAll(
                "1796466745.726319 brk(NULL)                        = 0x563508598000\n")
            .get(0);
    assertThat(epoch.prefix().seconds()).isEqualTo(1796466745.726319);
  }
}
