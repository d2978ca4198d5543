package dev.memtrace.trace;

import static dev.memtrace.trace.EventAssert.assertThatEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Logs that are strace's stderr: notices and tracee output written into the middle of records. */
class StderrModeTest {

  @Test
  void spliceOfAttachedNoticeIsCutOutAndTheCallRejoined() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 2368 attached
        , child_tidptr=0x7f9d78a9ba10) = 2368
        [pid  2368] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLDstrace: Process 2370 attached
        , child_tidptr=0x7f9d78a9ba10) = 2370
        """);
    assertThat(ev).hasSize(4);
    assertThatEvent(ev.get(0)).isNotice(NoticeEvent.Kind.ATTACHED).hasPid(2368).isLine(1);
    assertThatEvent(ev.get(1))
        .isSyscall("clone")
        .isLine(1)
        .returns(2368)
        .hasArgs(
            "child_stack=NULL",
            "flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD",
            "child_tidptr=0x7f9d78a9ba10");
    assertThatEvent(ev.get(3)).isSyscall("clone").hasPid(2368).isLine(3).returns(2370);
  }

  @Test
  void spliceBeforeUnfinishedMarker() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        vfork(strace: Process 4328 attached
         <unfinished ...>
        [pid  4328] execve("/bin/true", ["/bin/true"], 0x7ffd /* 2 vars */) = 0
        [pid  4327] <... vfork resumed>)        = 4328
        """);
    assertThat(ev).hasSize(3);
    assertThatEvent(ev.get(2))
        .isSyscall("vfork")
        .isLine(1)
        .hasPid(4327)
        .returns(4328)
        .isCompletion(SyscallEvent.Completion.JOINED);
  }

  @Test
  void traceeOutputInsideACallIsSkipped() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        write(2, "\\n", 1
        )                       = 1
        copy_file_range(3, NULL, 1, NULL, 9223372035781033984, 0hello world
        second line with a\ttab and "quotes"
        ) = 88
        close(1)                                = 0
        """);
    assertThat(ev).hasSize(3);
    assertThatEvent(ev.get(0)).isSyscall("write").hasArgs("2", "\"\\n\"", "1").returns(1);
    assertThatEvent(ev.get(1)).isSyscall("copy_file_range").isLine(3).returns(88);
    assertThatEvent(ev.get(2)).isSyscall("close").isLine(6);
  }

  @Test
  void pidPrefixComesAndGoes() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        [pid 26753] wait4(-1,  <unfinished ...>
        [pid 26765] +++ exited with 0 +++
        <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 26765
        """);
    assertThat(ev).hasSize(2);
    assertThatEvent(ev.get(1))
        .isSyscall("wait4")
        .hasPid(26753)
        .returns(26765)
        .isCompletion(SyscallEvent.Completion.JOINED);
  }

  @Test
  void corpusStderrLogsRecoverTheirCalls() {
    List<TraceEvent> ev = Corpus.events(Corpus.logs().resolve("cat_missing_f_stderr.log"));
    assertThat(ev).noneMatch(e -> e instanceof UnparsedEvent);
    assertThat(ev)
        .filteredOn(e -> e instanceof SyscallEvent s && s.name().equals("write"))
        .allSatisfy(e -> assertThat(((SyscallEvent) e).result()).isNotNull());
    List<TraceEvent> py = Corpus.events(Corpus.logs().resolve("python_threads_f_stderr.log"));
    assertThat(py)
        .filteredOn(e -> e instanceof NoticeEvent n && n.kind() == NoticeEvent.Kind.ATTACHED)
        .hasSize(4);
    assertThat(py)
        .filteredOn(
            e -> e instanceof SyscallEvent s && s.name().equals("clone3") && s.result() != null)
        .hasSize(4);
  }
}
