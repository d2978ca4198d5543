package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code maps --explain} of an ELF file a program maps itself: lld 14 maps each link input whole,
 * read-only, from offset 0 (mmap(NULL, 1926232, PROT_READ, MAP_PRIVATE|MAP_NORESERVE) of
 * libc.so.6). The listing laid that region out from libc's ELF headers as a loaded object's first
 * segment ("image: headers, 1.84 MiB; holds .note.gnu.property ... .relr.dyn"), though no loader
 * mapped it: its bytes are the whole file's. Lines of strace -f -tt -T -y clang -O2 -fuse-ld=lld
 * a.c b.c c.c cut to ld.lld's calls that map it; the headers are this machine's libc.so.6, copied
 * under a --root.
 */
class LinkerInputMapTest {

  @TempDir Path root;

  @Test
  void aLinkersWholeFileMapIsAFileMappingNotAnImage() throws Exception {
    Path libc = Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6");
    assumeTrue(Files.isReadable(libc));
    Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
    Files.copy(libc, root.resolve("usr/lib/x86_64-linux-gnu/libc.so.6"));
    String log =
        Path.of(LinkerInputMapTest.class.getResource("/logs-extra/lld_input_libc_map.log").toURI())
            .toString();
    Cli r = Cli.run("maps", "--explain", "--at", "6", "--root", root.toString(), log);
    assertThat(r.status()).as(r.err()).isZero();
    String out = r.out();
    int at = out.indexOf("7f3e6a829000-7f3e6aa00000");
    assertThat(at).as(out).isNotNegative();
    String region = out.substring(at, out.indexOf("\n", out.indexOf("\n", at) + 1));
    assertThat(region).contains("file mapping (private)").doesNotContain("image:");
  }
}
