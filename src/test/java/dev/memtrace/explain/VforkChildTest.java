package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A vfork child has left its parent's space when the vfork returns there (the parent resumes only
 * once the child ran execve or exited, vfork(2)). In a log without -f the child's execve never
 * shows, and the summary had listed it as a process of the parent's program: subprocess.run of
 * python3 3.11, traced with strace -e trace=%memory,vfork,clone,clone3,execve, read "process
 * [21237, 21238] python3", two vfork children and no main task.
 */
class VforkChildTest {

  @Test
  void vforkChildrenTheLogNeverShowsAreNotTheParentsProcesses() {
    List<SpaceReport> r =
        Run.reports(
            """
            execve("/usr/bin/python3", ["python3", "-c", "..."], 0x7ffd2f9c8a48 /* 39 vars */) = 0
            mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3e6a4f4000
            vfork()                                 = 21237
            vfork()                                 = 21238
            exit_group(0)                           = ?
            +++ exited with 0 +++
            """,
            true);
    assertThat(r).hasSize(1);
    assertThat(r.get(0).pids()).containsExactly(-1);
    assertThat(r.get(0).program()).isEqualTo("python3");
  }

  @Test
  void withPidsOnlyTheParentIsListed() {
    List<SpaceReport> r =
        Run.reports(
            """
            20913 execve("/usr/bin/python3", ["python3"], 0x7ffd2f9c8a48 /* 39 vars */) = 0
            20913 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3e6a4f4000
            20913 vfork()                           = 20927
            20913 exit_group(0)                     = ?
            20913 +++ exited with 0 +++
            """,
            true);
    assertThat(r).extracting(SpaceReport::pids).containsExactly(List.of(20913));
  }

  @Test
  void aChildWhoseLinesTheLogShowsIsListed() {
    // strace -f: the child's exit (its execve failed) is in the log, in the parent's space
    List<SpaceReport> r =
        Run.reports(
            """
            20913 execve("/usr/bin/python3", ["python3"], 0x7ffd2f9c8a48 /* 39 vars */) = 0
            20913 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3e6a4f4000
            20913 vfork()                           = 20927
            20927 exit_group(127)                   = ?
            20927 +++ exited with 127 +++
            20913 exit_group(0)                     = ?
            20913 +++ exited with 0 +++
            """,
            true);
    assertThat(r).extracting(SpaceReport::pids).containsExactly(List.of(20913, 20927));
  }
}
