package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.correlate.ModelStage;
import dev.memtrace.model.MemoryModel;
import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The explain stage's address spaces over the tasks of a log: who shares what, and when they end.
 */
class ExplainerSpacesTest {

  /** Process 100 maps 8 KiB and exits; then 101, never seen starting, maps 16 KiB and exits. */
  private static final String TWO_LIVES =
      """
      100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
      100 exit_group(0)                     = ?
      100 +++ exited with 0 +++
      101 mmap(NULL, 16384, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1000000000
      101 exit_group(0)                     = ?
      101 +++ exited with 0 +++
      """;

  /**
   * One round of a shell loop: 100 forks child, which execs a program, maps memory and exits. In
   * the second form the child's first line comes before its parent's clone returns in the log.
   */
  private static String round(int child, boolean childFirst) {
    String clone =
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,"
            + " child_tidptr=0x7f0000000a10)";
    String head =
        childFirst
            ? "100 "
                + clone.substring(0, clone.length() - 1)
                + " <unfinished ...>\n"
                + child
                + " set_robust_list(0x7f0000000a20, 24) = 0\n"
                + "100 <... clone resumed>) = "
                + child
                + "\n"
            : "100 " + clone + " = " + child + "\n";
    return head
        + child
        + " execve(\"/bin/true\", [\"true\"], 0x7ffc00000000 /* 10 vars */) = 0\n"
        + child
        + " mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"
        + " = 0x7f2000000000\n"
        + child
        + " exit_group(0) = ?\n"
        + child
        + " +++ exited with 0 +++\n"
        + "100 wait4(-1, NULL, 0, NULL) = "
        + child
        + "\n";
  }

  /** The spaces the explain stage holds after a shell forked and reaped {@code rounds} children. */
  private static int spacesAfter(int rounds, boolean childFirst) {
    StringBuilder log =
        new StringBuilder("100 execve(\"/bin/sh\", [\"sh\"], 0x7ffc00000000 /* 10 vars */) = 0\n");
    for (int i = 0; i < rounds; i++) {
      log.append(round(200 + i, childFirst));
    }
    ModelStage model = new ModelStage(new MemoryModel(), List.of());
    Explainer ex = new Explainer(Explainer.DEFAULT_WINDOW, model.model(), false);
    for (TraceEvent e : TraceReader.parseAll(log.toString())) {
      ex.accept(model.annotate(e));
    }
    ex.finish();
    return ex.spacesHeld();
  }

  @Test
  void theSpaceAForkedChildLeavesByExecveIsLetGo() {
    assertThat(spacesAfter(1, false)).isEqualTo(1);
    assertThat(spacesAfter(40, false)).isEqualTo(1); // the shell's, as after one round
  }

  @Test
  void aChildMetBeforeItsCloneReturnedLeavesNoSpaceBehind() {
    assertThat(spacesAfter(40, true)).isEqualTo(spacesAfter(1, true)).isEqualTo(1);
  }

  @Test
  void aTaskFirstSeenAfterTheLastOneExitedDoesNotJoinTheDeadOnesSpace() {
    List<SpaceReport> r = Run.reports(TWO_LIVES, true);
    assertThat(r).extracting(SpaceReport::pids).containsExactly(List.of(100), List.of(101));
    assertThat(r).extracting(s -> s.end().total()).containsExactly(8192L, 16384L);
  }

  @Test
  void withoutReportsWantedTheSpacesOfExitedProcessesAreLetGo() {
    assertThat(Run.reports(TWO_LIVES, false)).isEmpty();
    String alive =
        TWO_LIVES.lines().filter(l -> !l.startsWith("101 +++")).toList().stream()
            .reduce("", (a, b) -> a + b + "\n");
    assertThat(Run.reports(alive, false))
        .extracting(SpaceReport::pids)
        .containsExactly(List.of(101));
  }

  /**
   * python3 -c 'import os; os.execv("/proc/self/exe", ["x", "-c", "pass"])' was named "exe": the
   * kernel resolves the link to the exec'ing process's own program (proc_exe_link), which its own
   * execve named; a process met midway does not show it, and its name says so.
   */
  @Test
  void aProgramExecutedAsProcSelfExeIsNamedByTheProgramTheLinkNames() {
    String exec =
        """
        100 execve("/usr/bin/python3", ["python3"], 0x7ffc00000000 /* 10 vars */) = 0
        100 execve("/proc/self/exe", ["x", "-c", "pass"], 0x7ffc00000000 /* 10 vars */) = 0
        100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
        100 exit_group(0)                     = ?
        100 +++ exited with 0 +++
        """;
    assertThat(Run.reports(exec, true)).extracting(SpaceReport::program).containsExactly("python3");
    String midway = exec.substring(exec.indexOf('\n') + 1);
    assertThat(Run.reports(midway, true))
        .extracting(SpaceReport::program)
        .containsExactly("/proc/self/exe (its program not in the trace)");
  }

  /**
   * execveat names its program relative to a directory fd the call does not show: the name stays
   * (its headers cannot be read); fexecve's empty path names none.
   */
  @Test
  void execveatNamesItsProgramByItsPathOrNotAtAll() {
    String relative =
        """
        100 execveat(3, "tool", ["tool"], 0x7ffc00000000 /* 10 vars */, 0) = 0
        100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000
        100 exit_group(0)                     = ?
        100 +++ exited with 0 +++
        """;
    assertThat(Run.reports(relative, true))
        .extracting(SpaceReport::program)
        .containsExactly("tool");
    String fexecve =
        relative.replace("3, \"tool\"", "3, \"\"").replace(", 0) = 0", ", AT_EMPTY_PATH) = 0");
    assertThat(Run.reports(fexecve, true))
        .extracting(SpaceReport::program)
        .containsExactly("the program");
  }
}
