package dev.memtrace.decode;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlagTableTest {

  @Test
  void namesAndValuesBothWays() {
    assertThat(LinuxFlags.PROT.decodeText("PROT_READ|PROT_WRITE")).hasValue(3);
    assertThat(LinuxFlags.PROT.decodeText("0x3 /* PROT_READ|PROT_WRITE */")).hasValue(3);
    assertThat(LinuxFlags.MAP.decodeText("MAP_PRIVATE|MAP_ANONYMOUS|0x400000")).hasValue(0x400022);
    assertThat(LinuxFlags.MAP.decodeText("MAP_PRIVATE|MAP_NOSUCH")).isEmpty();
    // glibc.malloc.hugetlb=2 on this machine: strace prints the huge page size as a shift
    assertThat(
            LinuxFlags.MAP.decodeText("MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT"))
        .hasValue(0x02 | 0x20 | 0x40000 | (21L << 26));
    assertThat(LinuxFlags.MAP.decodeText("MAP_PRIVATE|21<<MAP_NOSUCH_SHIFT")).isEmpty();
    assertThat(
            LinuxFlags.MAP.namesIn(
                "MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB|21<<MAP_HUGE_SHIFT", true))
        .containsExactly("MAP_PRIVATE", "MAP_ANONYMOUS", "MAP_HUGETLB");
    assertThat(LinuxFlags.PROT.names(3)).isEqualTo("PROT_READ|PROT_WRITE");
    assertThat(LinuxFlags.MAP.names(0x100022))
        .isEqualTo("MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE");
    assertThat(LinuxFlags.CLONE.decodeText("CLONE_VM|CLONE_VFORK|SIGCHLD")).hasValue(0x4111);
    assertThat(
            LinuxFlags.CLONE.decodeText(
                "0x1200100 /* CLONE_VM|CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */"))
        .hasValue(0x1200111);
    assertThat(LinuxFlags.OPEN.decodeText("O_RDONLY|O_CLOEXEC")).hasValue(02000000);
  }

  @Test
  void aTextDecodedAgainGivesTheSameAnswerBeyondWhatIsKept() {
    for (int round = 0; round < 2; round++) {
      assertThat(LinuxFlags.MAP.decodeText("MAP_PRIVATE|MAP_NOSUCH")).isEmpty();
      assertThat(LinuxFlags.PROT.decodeText("PROT_READ|PROT_EXEC")).hasValue(5);
      for (int i = 1; i <= 3000; i++) { // more texts than a table keeps
        assertThat(LinuxFlags.MADVISE.decodeText("0x" + Integer.toHexString(i))).hasValue(i);
      }
    }
  }
}
