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

  /**
   * strace -e trace=%memory shows no openat: a library ld.so maps from fd 3 is named so in the
   * RELRO sentence, not by the model's "[unknown file, fd 3]" (ruby's libruby, its data segment).
   */
  @Test
  void aRelroOfALibraryTheTraceDoesNotNameSaysSoInWords() {
    Run.Out out =
        Run.explain(
            """
            18731 mmap(NULL, 3936808, PROT_READ, MAP_PRIVATE|MAP_DENYWRITE, 3, 0) = 0x7ff614800000
            18731 mmap(0x7ff614833000, 2465792, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x33000) = 0x7ff614833000
            18731 mmap(0x7ff614a8d000, 1146880, PROT_READ, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x28d000) = 0x7ff614a8d000
            18731 mmap(0x7ff614ba5000, 45056, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x3a5000) = 0x7ff614ba5000
            18731 mprotect(0x7ff614ba5000, 40960, PROT_READ) = 0
            """);
    assertThat(out.why(5))
        .startsWith("RELRO: after relocating a shared object the trace does not name (fd 3),")
        .doesNotContain("[unknown file");
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

  /**
   * A file opened as /proc/self/fd/N (or /dev/fd/N, /proc/PID/fd/N) is the file fd N refers to
   * (proc_fd_link): python3 reopening a memfd so mapped "/dev/fd/6" as a shared file; one whose fd
   * the trace does not show (inherited) is said to be an alias, not named "5".
   */
  @Test
  void aFileOpenedThroughItsDescriptorIsTheFileThatDescriptorIs() {
    Run.Out out =
        Run.explain(
            """
            11844 openat(AT_FDCWD, "/etc/os-release", O_RDONLY|O_CLOEXEC) = 3
            11844 openat(AT_FDCWD, "/proc/self/fd/3", O_RDONLY|O_CLOEXEC) = 4
            11844 mmap(NULL, 267, PROT_READ, MAP_SHARED, 4, 0) = 0x7f7df6d4e000
            11844 memfd_create("mymemfdname", MFD_CLOEXEC) = 6
            11844 openat(AT_FDCWD, "/dev/fd/6", O_RDWR|O_CLOEXEC) = 7
            11844 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 7, 0) = 0x7f7df6d4c000
            11844 openat(AT_FDCWD, "/proc/11844/fd/6", O_RDWR|O_CLOEXEC) = 9
            11844 mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED, 9, 0) = 0x7f7df6d4b000
            11844 openat(AT_FDCWD, "/proc/self/fd/5", O_RDONLY|O_CLOEXEC) = 10
            11844 mmap(NULL, 267, PROT_READ, MAP_SHARED, 10, 0) = 0x7f835fc97000
            11844 munmap(0x7f835fc97000, 267) = 0
            """);
    assertThat(out.at(3).changes().get(0).after().path()).isEqualTo("/etc/os-release");
    assertThat(out.why(3)).contains("of /etc/os-release from");
    for (int line : new int[] {6, 8}) {
      assertThat(out.at(line).changes().get(0).after().path())
          .isEqualTo("/memfd:mymemfdname (deleted)");
      assertThat(out.at(line).classes()).containsExactly(RegionClass.SHARED_MEMORY);
      assertThat(out.why(line)).contains("the memfd \"mymemfdname\"").doesNotContain("/fd/");
    }
    assertThat(out.why(10))
        .contains(
            "the file behind fd 5 (opened as /proc/self/fd/5, a descriptor alias: which file that"
                + " fd was, the trace does not show)");
    assertThat(out.why(11))
        .contains("the mapping of /proc/self/fd/5 (a descriptor alias) made at line 10");
  }
}
