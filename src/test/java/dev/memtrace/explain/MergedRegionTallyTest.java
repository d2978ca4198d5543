package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.RegionClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The summary's end table counts a region the kernel merged from memory made for different things
 * (vma_merge) by its parts: nginx's start-up, where glibc's TLS block lands right below the 8 KiB
 * ld.so's minimal malloc mapped, and the two anonymous rw-p mappings become one region.
 */
class MergedRegionTallyTest {

  private static final String START =
      """
      100 execve("/usr/sbin/nginx", ["nginx"], 0x7ffc6ff8b978 /* 39 vars */) = 0
      100 brk(NULL)                         = 0x559eee9f5000
      100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffb4ed0d000
      100 mmap(NULL, 12288, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffb4ed0a000
      100 arch_prctl(ARCH_SET_FS, 0x7ffb4ed0a740) = 0
      100 exit_group(0)                     = ?
      100 +++ exited with 0 +++
      """;

  private static SpaceReport report(String log) {
    List<SpaceReport> reports = Run.reports(log, true);
    assertThat(reports).hasSize(1);
    return reports.get(0);
  }

  @Test
  void eachPartOfAMergedRegionCountsInTheClassOfWhatMadeIt() {
    SpaceReport r = report(START);
    assertThat(r.fromModel()).isTrue();
    Tally end = r.end();
    assertThat(end.byClass()).containsOnlyKeys(RegionClass.LOADER_MALLOC, RegionClass.TLS);
    assertThat(end.byClass().get(RegionClass.LOADER_MALLOC).size).isEqualTo(8192);
    assertThat(end.byClass().get(RegionClass.TLS).size).isEqualTo(12288);
    assertThat(end.byClass().get(RegionClass.TLS).regions).isEqualTo(1);
    // one region of 20 KiB, as /proc/PID/maps shows it
    assertThat(end.regions()).isEqualTo(1);
    assertThat(end.total()).isEqualTo(20480);
    // at the peak, the two ranges the trace made
    assertThat(r.peak().regions()).isEqualTo(2);
  }

  @Test
  void aRegionOneCallMadeCountsWhole() {
    String one =
        """
        100 execve("/usr/sbin/nginx", ["nginx"], 0x7ffc6ff8b978 /* 39 vars */) = 0
        100 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffb4ed0d000
        100 exit_group(0)                     = ?
        100 +++ exited with 0 +++
        """;
    Tally end = report(one).end();
    assertThat(end.regions()).isEqualTo(1);
    assertThat(end.byClass()).containsOnlyKeys(RegionClass.LOADER_MALLOC);
    assertThat(end.byClass().get(RegionClass.LOADER_MALLOC).regions).isEqualTo(1);
  }

  @Test
  void theRegionCountSurvivesTheSpool() {
    SpaceReport r = report(START);
    ReportSpool spool = new ReportSpool();
    spool.add(r);
    SpaceReport back = spool.with(List.of()).get(0);
    assertThat(back.end().regions()).isEqualTo(1);
    assertThat(back.peak().regions()).isEqualTo(2);
  }
}
