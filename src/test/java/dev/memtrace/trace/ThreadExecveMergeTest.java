package dev.memtrace.trace;

import static dev.memtrace.trace.EventAssert.assertThatEvent;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A thread's execve in an {@code -ff} set (strace-format.md 4.8): the thread's file ends with the
 * entry half ({@code <pid changed to LEADER ...>}), the leader's file resumes it. The merge makes
 * one call of the two, whichever reaches it first, as a single {@code -f} log does.
 */
class ThreadExecveMergeTest {

  private static final String EXEC =
      "execve(\"/bin/echo\", [\"/bin/echo\", \"exec from thread\"], 0x7ffe /* 2 vars */";

  /** The leader (695): its futex ends, the thread's execve replaces it, the new image runs. */
  private static String leader(String... t) {
    return t[0]
        + "futex(0x7f9c, FUTEX_WAIT_BITSET|FUTEX_CLOCK_REALTIME, 722, NULL, FUTEX_BITSET_MATCH_ANY) = ?\n"
        + t[1]
        + "+++ superseded by execve in pid 722 +++\n"
        + t[2]
        + "<... execve resumed>)                   = 0\n"
        + t[3]
        + "brk(NULL)                               = 0x5600\n"
        + t[4]
        + "+++ exited with 0 +++\n";
  }

  /** The thread (722): it starts, then calls execve and becomes the leader. */
  private static String thread(String... t) {
    return t[0] + "set_robust_list(0x7f9c, 24) = 0\n" + t[1] + EXEC + " <pid changed to 695 ...>\n";
  }

  private static final String[] UNTIMED = {"", "", "", "", ""};

  @Test
  void untimedLeaderFileFirst() {
    List<TraceEvent> ev = merge(file(695, leader(UNTIMED)), file(722, thread(UNTIMED)));
    assertThat(shapes(ev))
        .containsExactly(
            "695 futex",
            "695 superseded",
            "722 set_robust_list",
            "695 execve",
            "695 brk",
            "695 exited");
    assertJoined(ev);
  }

  @Test
  void untimedThreadFileFirst() {
    List<TraceEvent> ev = merge(file(722, thread(UNTIMED)), file(695, leader(UNTIMED)));
    assertThat(shapes(ev))
        .containsExactly(
            "722 set_robust_list",
            "695 futex",
            "695 superseded",
            "695 execve",
            "695 brk",
            "695 exited");
    assertJoined(ev);
  }

  @Test
  void timedEntryBeforeTheResumedHalfInEitherFileOrder() {
    String l =
        leader("10:00:00.100 ", "10:00:00.500 ", "10:00:00.510 ", "10:00:00.600 ", "10:00:00.700 ");
    String t = thread("10:00:00.200 ", "10:00:00.300 ");
    // Another process goes on meanwhile: its events are not held back by the join.
    String other = "10:00:00.400 getpid() = 800\n10:00:00.550 getppid() = 1\n";
    List<String> expected =
        List.of(
            "695 futex",
            "722 set_robust_list",
            "800 getpid",
            "695 superseded",
            "695 execve",
            "800 getppid",
            "695 brk",
            "695 exited");
    List<TraceEvent> a = merge(file(695, l), file(722, t), file(800, other));
    assertThat(shapes(a)).containsExactlyElementsOf(expected);
    assertJoined(a);
    assertThatEvent(one(a)).hasTime("10:00:00.300");
    List<TraceEvent> b = merge(file(800, other), file(722, t), file(695, l));
    assertThat(shapes(b)).containsExactlyElementsOf(expected);
    assertJoined(b);
  }

  @Test
  void timedResumedHalfBeforeTheEntry() {
    // Clocks that disagree (or -t's whole seconds): the leader's half reaches the merge first.
    String l =
        leader("10:00:00.100 ", "10:00:00.200 ", "10:00:00.210 ", "10:00:00.600 ", "10:00:00.700 ");
    String t = thread("10:00:00.250 ", "10:00:00.300 ");
    for (List<Log> set :
        List.of(List.of(file(695, l), file(722, t)), List.of(file(722, t), file(695, l)))) {
      List<TraceEvent> ev = merge(set.toArray(Log[]::new));
      assertThat(shapes(ev))
          .containsExactly(
              "695 futex",
              "695 superseded",
              "722 set_robust_list",
              "695 execve",
              "695 brk",
              "695 exited");
      assertJoined(ev);
    }
  }

  @Test
  void resumedHalfKeepsItsFrames() {
    String l = leader(UNTIMED).replace("= 0\n", "= 0\n > /lib/libc.so.6(execve+0xb) [0xe0c7b]\n");
    List<TraceEvent> ev = merge(file(695, l), file(722, thread(UNTIMED)));
    assertThat(((SyscallEvent) one(ev)).stack())
        .extracting(StackFrame::symbol)
        .containsExactly("execve");
  }

  @Test
  void withoutTheLeaderFileTheEntryHalfStaysUnfinished() {
    List<TraceEvent> ev = merge(file(722, thread(UNTIMED)), file(800, "getpid() = 800\n"));
    assertThat(shapes(ev)).containsExactly("722 set_robust_list", "722 execve", "800 getpid");
    assertThatEvent(one(ev))
        .hasPid(722)
        .isLine(2)
        .isCompletion(SyscallEvent.Completion.UNFINISHED)
        .hasArgs("\"/bin/echo\"", "[\"/bin/echo\", \"exec from thread\"]", "0x7ffe /* 2 vars */");
  }

  @Test
  void withoutTheThreadFileTheResumedHalfStaysAlone() {
    List<TraceEvent> ev = merge(file(695, leader(UNTIMED)), file(800, "getpid() = 800\n"));
    assertThat(shapes(ev))
        .containsExactly(
            "695 futex", "695 superseded", "695 execve", "695 brk", "695 exited", "800 getpid");
    assertThatEvent(one(ev)).hasPid(695).isLine(3).returns(0).hasArgs();
  }

  @Test
  void halvesOfDifferentThreadsStayApart() {
    // The leader says thread 723 replaced it, not 722: no join, nothing lost.
    String l = leader(UNTIMED).replace("pid 722", "pid 723");
    List<TraceEvent> ev = merge(file(695, l), file(722, thread(UNTIMED)));
    assertThat(ev)
        .filteredOn(e -> e instanceof SyscallEvent s && s.name().equals("execve"))
        .extracting(e -> ((SyscallEvent) e).completion())
        .containsExactlyInAnyOrder(
            SyscallEvent.Completion.COMPLETE, SyscallEvent.Completion.UNFINISHED);
    assertThat(ev).hasSize(7);
  }

  private static void assertJoined(List<TraceEvent> ev) {
    assertThatEvent(one(ev))
        .isSyscall("execve")
        .hasPid(695)
        .isLine(2)
        .returns(0)
        .isCompletion(SyscallEvent.Completion.JOINED)
        .hasArgs("\"/bin/echo\"", "[\"/bin/echo\", \"exec from thread\"]", "0x7ffe /* 2 vars */");
    assertThat(one(ev).source().file()).isEqualTo("p.722");
    // Both lines, as a joined -f call cites them: the thread's entry, then the leader's resumption.
    assertThat(one(ev).source().text())
        .contains(EXEC + " <pid changed to 695 ...>\n")
        .endsWith("<... execve resumed>)                   = 0");
  }

  /** The one execve of the events (the test fails when there are more). */
  private static TraceEvent one(List<TraceEvent> ev) {
    List<TraceEvent> execs =
        ev.stream().filter(e -> e instanceof SyscallEvent s && s.name().equals("execve")).toList();
    assertThat(execs).as("execve events").hasSize(1);
    return execs.get(0);
  }

  private static List<String> shapes(List<TraceEvent> ev) {
    return ev.stream()
        .map(
            e ->
                e.pid()
                    + " "
                    + (e instanceof SyscallEvent s
                        ? s.name()
                        : e instanceof ExitEvent x ? x.kind().name().toLowerCase() : e.toString()))
        .toList();
  }

  private record Log(int pid, String text) {}

  private static Log file(int pid, String text) {
    return new Log(pid, text);
  }

  private static List<TraceEvent> merge(Log... logs) {
    List<TraceReader> readers = new ArrayList<>();
    for (Log l : logs) {
      readers.add(
          new TraceReader(
              new ByteArrayInputStream(l.text().getBytes(StandardCharsets.ISO_8859_1)),
              "p." + l.pid(),
              l.pid()));
    }
    try (MergedReader r = new MergedReader(readers)) {
      return Corpus.drain(r);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
