package dev.memtrace.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.correlate.AddressSpaceCheck;
import dev.memtrace.correlate.Shared;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole address space from the log alone: programs traced here with ground truth ({@link
 * MapsCapture}), replayed by {@link AddressSpaceCheck} with the ELF headers of this machine's
 * files, must show every region the kernel shows except those no call places, in every snapshot,
 * the first of each process included, and nothing more. The same replay without ELF headers misses
 * the program and ld.so in each first snapshot: what this test is about.
 */
class LiveExecLayoutTest {

  static Path dir;

  @BeforeAll
  static void tools() throws Exception {
    dir = Files.createDirectories(Path.of("target/live-captures").toAbsolutePath());
    assumeTrue(MapsCapture.available("strace"), "strace is not installed");
    assumeTrue(MapsCapture.available("gcc"), "gcc is not installed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cat", "threads", "pipeline"})
  void everyRegionTheKernelShowsButStackAndVdso(String name) throws Exception {
    List<String> cmd =
        switch (name) {
          case "cat" -> List.of("/bin/cat", "/etc/services");
          case "threads" ->
              List.of(
                  MapsCapture.compileFile(dir, Shared.dir().resolve("corpus/src/threads.c"))
                      .toString());
          default -> List.of("/bin/sh", "-c", "ls /usr/lib | gzip -c | wc -c");
        };
    MapsCapture.Capture cap = MapsCapture.run(dir, "exec-" + name, cmd);
    assertThat(cap.snapshotCount()).isPositive();
    AddressSpaceCheck.Figures f = AddressSpaceCheck.run(cap.log(), cap.snapshots());
    assertThat(f.misses()).as("log %s", cap.log()).isEmpty();
    assertThat(f.firstMatched()).isEqualTo(f.firstKernel()).isPositive();
    AddressSpaceCheck.Figures without = AddressSpaceCheck.run(cap.log(), cap.snapshots(), null);
    assertThat(without.firstMatched()).isLessThan(f.firstKernel());
  }
}
