package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.RegionClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportSpoolTest {

  private static SpaceReport report(String program, int firstPid, long heap) {
    Tally end = new Tally();
    end.add(RegionClass.HEAP, null, heap);
    end.add(RegionClass.IMAGE_TEXT, "/usr/lib/x86_64-linux-gnu/libc.so.6", 1_400_832);
    end.add(RegionClass.IMAGE_TEXT, "/usr/bin/cat", 20_480);
    Tally peak = new Tally();
    peak.add(RegionClass.MALLOC_MMAP, "", 139_264);
    return new SpaceReport(
        program, List.of(firstPid, firstPid + 1), end, peak, 17, 15, true, 3, List.of());
  }

  @Test
  void aReportComesBackFromTheFileAsItWentIn() {
    ReportSpool spool = new ReportSpool();
    SpaceReport r = report("cat", 41, 135_168);
    spool.add(r);
    SpaceReport back = spool.with(List.of()).get(0);
    assertThat(back.program()).isEqualTo("cat");
    assertThat(back.pids()).containsExactly(41, 42);
    assertThat(back.peakLine()).isEqualTo(17);
    assertThat(back.peakTableLine()).isEqualTo(15);
    assertThat(back.fromModel()).isTrue();
    assertThat(back.end().total()).isEqualTo(r.end().total());
    assertThat(back.end().byClass()).containsOnlyKeys(RegionClass.HEAP, RegionClass.IMAGE_TEXT);
    assertThat(back.end().byClass().get(RegionClass.IMAGE_TEXT).regions).isEqualTo(2);
    assertThat(back.end().byClass().get(RegionClass.IMAGE_TEXT).largest).isEqualTo(1_400_832);
    assertThat(back.end().byObject().keySet())
        .containsExactlyElementsOf(r.end().byObject().keySet());
    assertThat(back.peak().byClass().get(RegionClass.MALLOC_MMAP).size).isEqualTo(139_264);
  }

  @Test
  void reportsAreOrderedByTheirFirstPidWithTheLiveOnesAndReadAsOftenAsAsked() {
    ReportSpool spool = new ReportSpool();
    spool.add(report("sort", 30, 1));
    spool.add(report("ls", 10, 2));
    spool.add(report(null, 50, 3));
    List<SpaceReport> all = spool.with(List.of(report("sh", 5, 4), report("uniq", 40, 5)));
    assertThat(all).extracting(r -> r.pids().get(0)).containsExactly(5, 10, 30, 40, 50);
    assertThat(all.get(4).program()).isNull();
    assertThat(all)
        .extracting(r -> r.end().total() - 1_421_312)
        .containsExactly(4L, 2L, 1L, 5L, 3L);
    assertThat(spool.with(List.of()))
        .extracting(SpaceReport::program)
        .containsExactly("ls", "sort", null);
  }
}
