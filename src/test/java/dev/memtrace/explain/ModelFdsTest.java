package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.RegionClass;
import org.junit.jupiter.api.Test;

/** The stage names the file behind an fd from the model's fd table, the one the model keeps. */
class ModelFdsTest {

  @Test
  void anFdCopiedByFcntlNamesTheFileItWasOpenedAs() {
    Run.Out out =
        Run.explain(
            """
            openat(AT_FDCWD, "/tmp/data.bin", O_RDONLY) = 3
            fcntl(3, F_DUPFD, 10) = 10
            close(3) = 0
            mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 10, 0) = 0x7f0000000000
            """);
    assertThat(out.why(4)).contains("/tmp/data.bin").doesNotContain("does not name");
  }

  @Test
  void aCloseOnExecFdIsGoneAfterExecve() {
    Run.Out out =
        Run.explain(
            """
            openat(AT_FDCWD, "/tmp/data.bin", O_RDONLY|O_CLOEXEC) = 3
            openat(AT_FDCWD, "/tmp/kept.bin", O_RDONLY) = 4
            execve("/usr/bin/demo", ["demo"], 0x7ffe /* 3 vars */) = 0
            mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 3, 0) = 0x7f0000000000
            mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, 4, 0) = 0x7f0000100000
            """);
    assertThat(out.why(4)).isNotEmpty().doesNotContain("/tmp/data.bin");
    assertThat(out.why(5)).contains("/tmp/kept.bin");
  }

  @Test
  void aSocketTheTraceNeverNamedStaysUnnamed() {
    Run.Out out =
        Run.explain(
            """
            socket(AF_UNIX, SOCK_STREAM, 0) = 3
            mmap(NULL, 8192, PROT_READ, MAP_SHARED, 3, 0) = 0x7f0000000000
            """);
    assertThat(out.why(2)).isNotEmpty().doesNotContain("[?]").doesNotContain("socket:");
  }

  /** A memfd whose name the trace does not show (-e raw=memfd_create) is no "?" in the maps. */
  @Test
  void aMemfdWhoseNameTheTraceDoesNotShowIsNamedSoNotWithAPlaceholder() {
    Run.Out out =
        Run.explain(
            """
            memfd_create(0x7f93528b6ff0, 0x1) = 0x3
            ftruncate(3, 8192) = 0
            mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 3, 0) = 0x7f9352677000
            """);
    String path = out.at(3).changes().get(0).after().path();
    assertThat(path).isEqualTo("/memfd:(name not in the trace) (deleted)").doesNotContain("?");
    assertThat(out.at(3).classes()).containsExactly(RegionClass.SHARED_MEMORY);
    assertThat(out.why(3)).contains("a file the trace does not name (fd 3)");
  }
}
