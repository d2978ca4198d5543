package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.timeline.Explanation.Basis;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A small OpenMP program (gcc -fopenmp, a parallel for with num_threads(3), Debian 12's libgomp)
 * traced with strace -f -v -tt -T -y under env -i PATH LANG OMP_STACKSIZE, cut to the execve, the
 * loading of libgomp, RLIMIT_STACK and the first worker's stack. libgomp's initialize_env
 * (libgomp/env.c) reads OMP_STACKSIZE (then GOMP_STACKSIZE) with parse_stacksize and passes it to
 * pthread_attr_setstacksize for every worker thread, so a stack of that size is libgomp's asking,
 * and one of the default size is not the default's doing alone when OMP_STACKSIZE asks the same.
 */
class OmpStackSizeTest {

  private static Run.Out run(String name) throws Exception {
    return Run.explain(Path.of(OmpStackSizeTest.class.getResource(name).toURI()));
  }

  @Test
  void aWorkersStackOfTheSizeOmpStacksizeAsksIsNamedAsLibgomps() throws Exception {
    Run.Out out = run("/logs-extra/omp_stacksize_v.log");
    assertThat(out.why(12))
        .startsWith("pthread_create makes a thread stack: a stack of 4194304 bytes + a 4096-byte")
        .contains("it fits a libgomp worker thread (libgomp is loaded here)")
        .contains("the OMP_STACKSIZE=4M the environment execve passed at line 1 sets")
        .doesNotContain("if the default guard size was kept");
  }

  @Test
  void theDefaultSizeIsNotTheDefaultAloneWhenOmpStacksizeAsksTheSame() throws Exception {
    Run.Out out = run("/logs-extra/omp_stacksize8m_v.log");
    assertThat(out.why(12))
        .contains("it fits a libgomp worker thread")
        .contains("OMP_STACKSIZE=8M")
        .contains(
            "the same as the default stack size 8388608 (from RLIMIT_STACK, seen at startup)");
    assertThat(out.at(12).why().get(0).basis()).isEqualTo(Basis.PATTERN);
  }

  @Test
  void withoutLibgompTheEnvironmentDoesNotNameIt() throws Exception {
    String log =
        Files.readString(
                Path.of(
                    OmpStackSizeTest.class
                        .getResource("/logs-extra/omp_stacksize8m_v.log")
                        .toURI()))
            .replace("libgomp.so.1", "libfoo.so.1");
    Run.Out out = Run.explain(log);
    assertThat(out.why(12))
        .startsWith("pthread_create makes a thread stack: the default stack size");
    assertThat(out.why(12)).doesNotContain("libgomp");
  }

  @Test
  void parseStacksizeUnits() {
    assertThat(MallocEnv.ompStackBytes("OMP_STACKSIZE=4M")).isEqualTo(4L << 20);
    assertThat(MallocEnv.ompStackBytes("OMP_STACKSIZE=512")).isEqualTo(512L << 10);
    assertThat(MallocEnv.ompStackBytes("GOMP_STACKSIZE= 2 g ")).isEqualTo(2L << 30);
    assertThat(MallocEnv.ompStackBytes("OMP_STACKSIZE=16384b")).isEqualTo(16384);
    assertThat(MallocEnv.ompStackBytes("OMP_STACKSIZE=4MB")).isEqualTo(-1);
    assertThat(MallocEnv.ompStackEntry("[\"OMP_STACKSIZE=x\", \"GOMP_STACKSIZE=1M\"]"))
        .isEqualTo("GOMP_STACKSIZE=1M");
  }
}
