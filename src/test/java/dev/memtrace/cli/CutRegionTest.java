package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A region a call only cut out of a larger area, by covering the memory next to it, is not said to
 * be changed by that call. zstd -T2 (strace -f -tt -T -y): pthread_create maps a thread's stack
 * PROT_NONE and mprotects all but its lowest page read-write, which leaves that page, the guard, as
 * it was.
 */
class CutRegionTest {

  private static final Path LOG =
      Path.of("src/test/resources/logs-extra/zstd_thread_stack_guard.log");

  @Test
  void theGuardPageIsCutByTheMprotectOfTheStackNotChangedByIt() {
    Cli guard = Cli.run("where", "0x7fe6b6a51800", LOG.toString());
    assertThat(guard.status()).as(guard.err()).isZero();
    assertThat(guard.out())
        .contains("is in 7fe6b6a51000-7fe6b6a52000 ---p")
        .contains(
            "cut to these bounds by line 2: 9885  02:48:22.525621 mprotect(0x7fe6b6a52000, 8388608,"
                + " PROT_READ|PROT_WRITE) = 0 <0.000004>, which covered only the memory next to it (the kernel"
                + " splits an area a call covers in part: split_vma)")
        .doesNotContain("last changed by");
    Cli stack = Cli.run("where", "0x7fe6b6a52800", LOG.toString());
    assertThat(stack.out())
        .contains("is in 7fe6b6a52000-7fe6b7252000 rw-p")
        .contains("last changed by line 2: 9885  02:48:22.525621 mprotect(")
        .doesNotContain("cut to these bounds");
  }

  @Test
  void mapsExplainSaysTheSameOfEachPart() {
    Cli maps = Cli.run("maps", "--explain", LOG.toString());
    assertThat(maps.status()).as(maps.err()).isZero();
    String out = maps.out();
    String guard = out.substring(out.indexOf("7fe6b6a51000-7fe6b6a52000"));
    String stack = guard.substring(guard.indexOf("7fe6b6a52000-7fe6b7252000"));
    assertThat(guard.substring(0, guard.indexOf("7fe6b6a52000-7fe6b7252000")))
        .contains("cut to these bounds by line 2")
        .doesNotContain("last changed");
    assertThat(stack).contains("last changed by line 2").doesNotContain("cut to these bounds");
  }

  /**
   * An mremap that shrinks a mapping changes it, and cuts the neighbour the kernel had merged with
   * it: a C program maps 1 MiB right below its TLS block (one area for the kernel) and shrinks it
   * to 64 KiB with mremap, then unmaps one page of what is left. Lines 20 and 30 to 32 of strace -f
   * -tt -T -y ./shr.
   */
  @Test
  void anMremapChangesItsOwnMappingAndCutsTheNeighbourMergedWithIt() {
    String log = "src/test/resources/logs-extra/mremap_shrink_beside_tls.log";
    Cli own = Cli.run("where", "--at", "3", "0x7fd07f656800", log);
    assertThat(own.status()).as(own.err()).isZero();
    assertThat(own.out())
        .contains("is in 7fd07f656000-7fd07f666000 rw-p")
        .contains("last changed by line 3: 9402  04:21:46.804408 mremap(")
        .doesNotContain("cut to these bounds");
    Cli tls = Cli.run("where", "--at", "3", "0x7fd07f756800", log);
    assertThat(tls.out())
        .contains("is in 7fd07f756000-7fd07f759000 rw-p")
        .contains("cut to these bounds by line 3: 9402  04:21:46.804408 mremap(")
        .doesNotContain("last changed by");
  }
}
