package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * maps --explain and where give a region the class the explanations gave it, as the summary counts
 * it, also where several calls' tags of that one class cover it: in git gc's pack-objects a
 * thread's arena heap grows by grow_heap's mprotects, each told as the arena growing, and two
 * 266240-byte malloc chunks mapped next to each other are one area the kernel merged. Both read
 * "anonymous mmap" while the timeline and the summary said malloc arena and malloc mmap chunk.
 * Lines of strace -f -tt -T -y of git 2.39 gc --aggressive (Debian 12), cut to pack-objects' start,
 * the two chunks, a thread's stack and the arena its first thread made and grew.
 */
class MergedTagsClassTest {

  private static String log() throws Exception {
    return Path.of(
            MergedTagsClassTest.class
                .getResource("/logs-extra/git_pack_objects_arena_grow.log")
                .toURI())
        .toString();
  }

  @Test
  void anArenaHeapGrownPieceByPieceIsAMallocArena() throws Exception {
    Cli maps = Cli.run("maps", "--explain", log());
    assertThat(maps.status()).as(maps.err()).isZero();
    assertThat(maps.out())
        .contains(
            "7fd4a8000000-7fd4a8051000 rw-p 00000000 00:00 0 \n"
                + "    malloc arena (as explained for the mapping made at line 13), 324 KiB")
        .contains(
            "7fd4b101b000-7fd4b109d000 rw-p 00000000 00:00 0 \n"
                + "    malloc mmap chunk (as explained for the mapping made at line 8), 520 KiB")
        .doesNotContain("anonymous mmap");
    Cli where = Cli.run("where", "0x7fd4a8040000", log());
    assertThat(where.out())
        .contains("  malloc arena (as explained for the mapping made at line 13), a region of");
  }
}
