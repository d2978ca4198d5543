package dev.memtrace.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.correlate.ReplayCheck;
import dev.memtrace.correlate.Shared;
import dev.memtrace.run.LiveAssumptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Programs that are not in the corpus, traced here and now with ground truth ({@link MapsCapture}),
 * then replayed from the log alone and compared with every snapshot by the rule of {@link
 * ReplayCheck}. Small C programs are compiled at test time (test resources, and the corpus's
 * sources, which the corpus captured only partly); system programs run as they are. Skipped when
 * strace or gcc is missing.
 */
class LiveMapsTest {

  static Path dir;

  @BeforeAll
  static void tools() throws Exception {
    dir = Files.createDirectories(Path.of("target/live-captures").toAbsolutePath());
    LiveAssumptions.assumeStrace();
    LiveAssumptions.assumeGcc();
  }

  static Stream<Arguments> programs() {
    List<Arguments> out = new ArrayList<>();
    for (String c : List.of("malloc_mix.c", "regions.c", "procs.c")) {
      out.add(Arguments.of(c, null));
    }
    for (String c : List.of("threads.c", "mremap.c", "sbrk.c", "mmapfile.c", "spawn.c", "segv.c")) {
      out.add(Arguments.of("corpus:" + c, null));
    }
    out.add(Arguments.of("ls", List.of("/bin/ls", "-la", "/usr/lib")));
    out.add(Arguments.of("cat", List.of("/bin/cat", "/etc/services")));
    out.add(Arguments.of("sort", List.of("/usr/bin/sort", "/etc/services")));
    out.add(
        Arguments.of("bash", List.of("/bin/bash", "-c", "ls / | wc -l; x=$(echo hi); echo $x")));
    out.add(
        Arguments.of(
            "perl",
            List.of(
                "/usr/bin/perl",
                "-e",
                "my @a = (1..200000); my %h = map { $_ => 1 } @a; print scalar(keys %h), qq(\\n);")));
    out.add(
        Arguments.of(
            "gcc",
            List.of("/usr/bin/gcc", "-c", "-o", "/dev/null", "-x", "c", "/usr/include/stdio.h")));
    out.add(Arguments.of("java", List.of("/usr/bin/java", "-version")));
    out.add(
        Arguments.of(
            "python",
            List.of(
                "/usr/bin/python3",
                "-c",
                "import threading\nts=[threading.Thread(target=lambda: bytearray(300000)) for _ in range(3)]\n"
                    + "[t.start() for t in ts]\n[t.join() for t in ts]")));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("programs")
  void modelFromTheLogAloneAgreesWithEverySnapshot(String name, List<String> command)
      throws Exception {
    List<String> cmd = command;
    String label = name.replace("corpus:", "").replace(".c", "");
    if (cmd == null) {
      Path bin =
          name.startsWith("corpus:")
              ? MapsCapture.compileFile(
                  dir, Shared.dir().resolve("corpus/src/" + name.substring(7)))
              : MapsCapture.compile(dir, name);
      cmd = List.of(bin.toString());
    } else {
      assumeTrue(Files.isExecutable(Path.of(cmd.get(0))), cmd.get(0) + " is not installed");
    }
    MapsCapture.Capture cap = MapsCapture.run(dir, label, cmd);
    assertThat(cap.snapshotCount()).as("snapshots taken").isPositive();
    ReplayCheck.Result r = ReplayCheck.run(cap.log(), cap.snapshots());
    if (!r.mismatches().isEmpty()) {
      // strace holds only the calling thread: the other threads of a program run on (a JVM's, a
      // threaded C program's: seen with procs, a munmap in flight on one thread already done when
      // another thread's snapshot was taken), a state the log never passes through. Such a race
      // is one capture's; a model error is in every capture, so the program gets one more
      // capture, which must agree.
      cap = MapsCapture.run(dir, label + "-again", cmd);
      r = ReplayCheck.run(cap.log(), cap.snapshots());
    }
    assertThat(r.compared()).isPositive();
    assertThat(r.mismatches())
        .as("snapshots where the model differs (log: %s)", cap.log())
        .isEmpty();
    ReplayCheck.Resync withSnapshots = ReplayCheck.resync(cap.log(), cap.snapshots());
    assertThat(withSnapshots.notEqualAfter()).as("snapshots the model did not take over").isEmpty();
  }
}
