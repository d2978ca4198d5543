package dev.memtrace.trace;

import static dev.memtrace.trace.EventAssert.assertThatEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Split calls are joined into one event, whatever comes between the halves. */
class JoinTest {

  @Test
  void halvesJoinAcrossOtherPids() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        2985  read(3,  <unfinished ...>
        2984  <... clock_nanosleep resumed>NULL) = 0
        2984  kill(2985, SIGUSR1)               = 0
        2985  <... read resumed>0x7ffde228e2c3, 1) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
        """);
    assertThat(ev).hasSize(3);
    assertThatEvent(ev.get(0)).isSyscall("clock_nanosleep").hasArgs("NULL").isLine(2);
    assertThatEvent(ev.get(2))
        .isSyscall("read")
        .isLine(1)
        .hasPid(2985)
        .isCompletion(SyscallEvent.Completion.JOINED)
        .hasArgs("3", "0x7ffde228e2c3", "1");
    assertThat(((SyscallEvent) ev.get(2)).result().errno()).isEqualTo("ERESTARTSYS");
  }

  @Test
  void aStatusFilteredCallsBareRestJoinsTheHalfJustBeforeIt() {
    // strace 6.1 -f -z -tt -T of a bash pipeline: the rest of a staged call, with no prefix and no
    // "<... read resumed>", on the line after its entry half
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        30963 20:12:00.580776 read(3, "/tmp/flags\\n", 4096) = 11 <0.002468>
        30963 20:12:00.583762 read(3,  <unfinished ...>
        "", 4096)                               = 0 <0.000546>
        30966 20:12:00.584718 +++ exited with 0 +++
        30963 20:12:00.584658 wait4(-1,  <unfinished ...>
        [{WIFEXITED(s) && WEXITSTATUS(s) == 0}], 0, NULL) = 30966 <0.000061>
        """);
    assertThat(ev).hasSize(4);
    assertThatEvent(ev.get(1))
        .isSyscall("read")
        .isLine(2)
        .hasPid(30963)
        .hasTime("20:12:00.583762")
        .hasArgs("3", "\"\"", "4096")
        .returns(0)
        .hasDuration(0.000546)
        .isCompletion(SyscallEvent.Completion.JOINED);
    assertThatEvent(ev.get(3))
        .isSyscall("wait4")
        .isLine(5)
        .hasArgs("-1", "[{WIFEXITED(s) && WEXITSTATUS(s) == 0}]", "0", "NULL")
        .returns(30966);
  }

  @Test
  void aBareLineThatDoesNotCloseTheHalfBeforeItStaysUnparsed() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        30963 read(3,  <unfinished ...>
        hello from the program
        30963 <... read resumed>"", 4096) = 0
        """);
    assertThat(ev).hasSize(2);
    assertThatEvent(ev.get(0)).isUnparsed().isLine(2);
    assertThatEvent(ev.get(1)).isSyscall("read").isLine(1).returns(0);
  }

  @Test
  void cloneThreeChangedValue() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        2637  clone3({flags=CLONE_VM, child_tid=0x7f1, parent_tid=0x7f1, exit_signal=0, stack=0x7f0, stack_size=0x7fff80, tls=0x7f2} <unfinished ...>
        2637  <... clone3 resumed> => {parent_tid=[2639]}, 88) = 2639
        """);
    assertThatEvent(ev.get(0))
        .isSyscall("clone3")
        .returns(2639)
        .hasArgs(
            "{flags=CLONE_VM, child_tid=0x7f1, parent_tid=0x7f1, exit_signal=0, stack=0x7f0, stack_size=0x7fff80, tls=0x7f2} => {parent_tid=[2639]}",
            "88");
    assertThat(((SyscallEvent) ev.get(0)).args().get(0)).isInstanceOf(Arg.Changed.class);
  }

  @Test
  void threadExecveMovesToTheLeader() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        4231  futex(0x7f9c38de6990, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 4248, NULL, FUTEX_BITSET_MATCH_ANY <unfinished ...>
        4248  execve("/bin/echo", ["/bin/echo", "exec from thread"], 0x7ffe54bf9c38 /* 2 vars */ <unfinished ...>
        4231  <... futex resumed>)              = ?
        4231  +++ superseded by execve in pid 4248 +++
        4231  <... execve resumed>)             = 0
        4231  brk(NULL) = 0x5600
        """);
    assertThat(ev).hasSize(4);
    assertThatEvent(ev.get(0)).isSyscall("futex").returnsText("?");
    assertThat(ev.get(1)).isInstanceOf(ExitEvent.class);
    assertThatEvent(ev.get(2))
        .isSyscall("execve")
        .hasPid(4231)
        .isLine(2)
        .returns(0)
        .isCompletion(SyscallEvent.Completion.JOINED);
  }

  @Test
  void framesComeAfterTheResumedHalf() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        10    munmap(0x7f00, 4096 <unfinished ...>
        11    getpid() = 11
         > /lib/libc.so.6(getpid+0x7) [0x100]
        10    <... munmap resumed>) = 0
         > /lib/libc.so.6(__munmap+0x7) [0x101a07]
         > /bin/prog(main+0x62) [0x11cb]
        10    +++ exited with 0 +++
        """);
    assertThat(ev).hasSize(3);
    assertThat(((SyscallEvent) ev.get(0)).stack())
        .extracting(StackFrame::symbol)
        .containsExactly("getpid");
    assertThat(((SyscallEvent) ev.get(1)).stack())
        .extracting(StackFrame::symbol)
        .containsExactly("__munmap", "main");
  }

  @Test
  void entryNeverResumedIsReleasedUnfinished() {
    List<TraceEvent> ev =
        TraceReader.parseAll(
            """
        2985  read(3,  <unfinished ...>
        2985  +++ killed by SIGKILL +++
        2986  wait4(-1,  <unfinished ...>
        """);
    assertThat(ev).hasSize(3);
    assertThatEvent(ev.get(0))
        .isSyscall("read")
        .isCompletion(SyscallEvent.Completion.UNFINISHED)
        .hasArgs("3");
    assertThat(ev.get(1)).isInstanceOf(ExitEvent.class);
    assertThatEvent(ev.get(2)).isSyscall("wait4").isCompletion(SyscallEvent.Completion.UNFINISHED);
  }
}
