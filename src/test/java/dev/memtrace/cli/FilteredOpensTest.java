package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A log made with strace -f -e trace=%memory,%process (a dash script; trimmed to its start) shows
 * no openat: ld.so's mmap of fd 3 right after the execve cannot be named. The check line says the
 * log shows no open call at all, which fits the -e trace= set, instead of blaming only a file
 * opened before the trace began (this process's execve is line 1) or a call the model does not
 * follow.
 */
class FilteredOpensTest {

  @Test
  void anUnnamedFdInALogWithNoOpenCallsSaysTheTraceSetFits() throws Exception {
    String log =
        Path.of(
                FilteredOpensTest.class
                    .getResource("/logs-extra/dash_trace_memory_process.log")
                    .toURI())
            .toString();
    Cli r = Cli.run("analyze", log);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out())
        .contains(
            "check: the file behind fd 3 is unknown: the log shows no open call up to here, for"
                + " any file, which fits strace -e trace= leaving them out (%memory and %process"
                + " do; -e trace=%memory,%process,%file or -y names the file), or it was opened"
                + " before the trace began")
        .doesNotContain("by a call the model does not follow");
  }
}
