package dev.memtrace.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.TraceEvent;
import dev.memtrace.trace.TraceReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the model says each event belongs to: its task, process and address space. */
class WhoTest {

  private static List<Who> who(String log) {
    MemoryModel m = new MemoryModel();
    List<Who> out = new ArrayList<>();
    for (TraceEvent e : TraceReader.parseAll(log)) {
      m.apply(e);
      out.add(m.who());
    }
    return out;
  }

  @Test
  void cloneFlagsAsANumberMakeAThreadAsTheirNamesDo() {
    for (String flags :
        List.of(
            "0x3d0f00",
            "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND"
                + "|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID")) {
      List<Who> w =
          who(
              """
          10 clone3({flags=%s, stack=0x7f00, stack_size=0x7fff80}, 88) = 11
          11 brk(NULL) = 0x1000
          """
                  .formatted(flags));
      assertThat(w.get(0).made().kind()).as(flags).isEqualTo(Who.Kind.THREAD);
      assertThat(w.get(1).process().number()).as(flags).isEqualTo(10);
      assertThat(w.get(1).space()).as(flags).isSameAs(w.get(0).space());
    }
  }

  @Test
  void aForkedChildHasItsOwnProcessAndACopiedSpace() {
    List<Who> w =
        who(
            """
        10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD) = 12
        12 brk(NULL) = 0x1000
        12 execve("/bin/true", ["true"], 0x7ffe) = 0
        """);
    assertThat(w.get(0).made().kind()).isEqualTo(Who.Kind.PROCESS);
    assertThat(w.get(1).process().number()).isEqualTo(12);
    assertThat(w.get(1).space()).isNotSameAs(w.get(0).space()).isSameAs(w.get(0).made().space());
    assertThat(w.get(2).made().kind()).isEqualTo(Who.Kind.EXEC);
    assertThat(w.get(2).made().space()).isNotSameAs(w.get(1).space());
  }

  @Test
  void aThreadMetBeforeItsCloneReturnedTurnsOutToBeInItsProcess() {
    List<Who> w =
        who(
            """
        11 brk(NULL) = 0x1000
        10 clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_SIGHAND, stack=0x7f00}, 88) = 11
        """);
    assertThat(w.get(0).started()).isFalse();
    assertThat(w.get(0).process().number()).isEqualTo(10);
    assertThat(w.get(0).space().resolve()).isSameAs(w.get(1).space().resolve());
  }

  @Test
  void linesWithoutPidAreTheTaskWhoseTidTheyLearnt() {
    // strace's stderr mode: no pid until a second task appears, then the first one's tid
    List<Who> w =
        who(
            """
        execve("/bin/sh", ["sh"], 0x7ffe) = 0
        set_tid_address(0x7f10) = 700
        [pid 700] mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f20
        [pid 700] +++ exited with 0 +++
        """);
    assertThat(w.get(2).space()).isSameAs(w.get(0).made().space());
    assertThat(w.get(2).started()).isTrue();
    assertThat(w.get(0).process().number()).isEqualTo(700);
    assertThat(w.get(3).spaceEnded()).isTrue();
  }

  @Test
  void aLineWithoutPidAfterTheOthersEndedIsTheOneTaskLeft() {
    // strace's stderr mode drops the pid again once one task is left
    List<Who> w =
        who(
            """
        [pid 700] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD) = 701
        [pid 701] execve("/bin/sleep", ["sleep", "1"], 0x7ffe) = 0
        [pid 700] +++ exited with 0 +++
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f20
        """);
    assertThat(w.get(3).task()).isEqualTo(701);
    assertThat(w.get(3).space()).isSameAs(w.get(1).made().space());
  }
}
