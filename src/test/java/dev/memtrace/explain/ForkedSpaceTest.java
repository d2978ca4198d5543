package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A fork child's address space is a copy of its parent's (strace -f -tt -T -y of a small C program,
 * Debian 12, glibc 2.36): what the parent's regions are was told where the parent met them, and the
 * child's first call, whatever it is, does not tell it again.
 */
class ForkedSpaceTest {

  @Test
  void aForkChildsFirstCallIsNotToldTheParentsHeap() {
    // ./s1: malloc grew [heap], then fork(); the child's first call is set_robust_list, which
    // read "[heap]: only the brk area that malloc's main arena grows"
    Run.Out out =
        Run.explain(
            """
            14436 20:00:47.955120 brk(NULL)         = 0x561737243000 <0.000003>
            14436 20:00:47.955642 brk(NULL)         = 0x561737243000 <0.000003>
            14436 20:00:47.955651 brk(0x561737264000) = 0x561737264000 <0.000004>
            14436 20:00:47.963945 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fe2638c2a10) = 14438 <0.000126>
            14438 20:00:47.964113 set_robust_list(0x7fe2638c2a20, 24) = 0 <0.000003>
            14438 20:00:47.964159 exit_group(0) = ?
            14438 20:00:47.964210 +++ exited with 0 +++
            """);
    assertThat(out.why(3)).contains("[heap]: only the brk area");
    assertThat(out.why(4)).startsWith("fork: child 14438 gets a copy of the address space");
    assertThat(out.at(5).why()).isEmpty();
  }

  @Test
  void aVforkChildRunsInTheParentsSpaceNothingCopied() {
    // ./sp: vfork(), then the child execs /bin/true
    Run.Out out =
        Run.explain(
            """
            3404 19:54:42.711600 brk(NULL)         = 0x5604347ac000 <0.000003>
            3404 19:54:42.714750 vfork() = 3406 <0.000073>
            3406 19:54:42.714783 execve("/bin/true", ["true"], 0x7ffea9b16eb8 /* 35 vars */) = 0 <0.000096>
            """);
    assertThat(out.why(2))
        .startsWith(
            "vfork: child 3406 runs in this address space, nothing copied, on the parent's stack,"
                + " and the parent is suspended until the child execs or exits (vfork(2))")
        .doesNotContain("gets a copy");
  }
}
