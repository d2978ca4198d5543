package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A buffer another program than coreutils reads into is named by the read, not given the read's
 * length as its size: git grep reads a work-tree file of n bytes whole into xmallocz(n), n + 1
 * bytes (grep_source_load_file in grep.c, do_xmallocz in wrapper.c), so "git's 245804-byte read
 * buffer" told a size one byte short. Lines of strace -f -tt -T -y of git 2.39 grep -n mmap in a
 * clone of this repository (Debian 12), cut to the start, the two grep threads' stacks and one
 * thread's read of a 245804-byte file.
 */
class ReadLengthNameTest {

  @Test
  void gitGrepsReadBufferIsNamedByItsReadNotSizedByIt() throws Exception {
    Run.Out out =
        Run.explain(
            Path.of(getClass().getResource("/logs-extra/git_grep_xmallocz_read.log").toURI()));
    assertThat(out.why(15)).contains("fits a buffer for git's 245804-byte read at line 17");
    assertThat(out.why(17))
        .contains("likely through git's buffer of its 245804-byte read made at line 15")
        .doesNotContain("245804-byte read buffer");
    assertThat(out.why(20))
        .contains("free() gives git's buffer of its 245804-byte read made at line 15")
        .doesNotContain("245804-byte read buffer");
  }
}
