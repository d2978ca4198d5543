package dev.memtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.trace.Corpus;
import org.junit.jupiter.api.Test;

/**
 * A read whose buffer lies in no region the trace made (ld.so reading an ELF header into its stack;
 * gdb's one-byte reads of its event pipe): the text form said "(in no known region) [unknown]" and
 * the Perfetto export "0x7ffffca054c8 in unknown", a class with no reason beside the why that says
 * where the buffer most likely is.
 */
class BufferInNoRegionTest {

  private static final String LOG = Corpus.log("cat_small_raw_rw.log").toString();

  @Test
  void theTextSaysNoRegionTheTraceMadeAndNoUnknownClass() {
    Cli r = Cli.run("analyze", LOG);
    assertThat(r.out())
        .contains("buffer: 0x7ffffca054c8 (in no region the trace made)\n")
        .contains("lies in no region the trace made: most likely the main thread's [stack]")
        .doesNotContain("[unknown]");
  }

  @Test
  void thePerfettoSliceSaysNoRegionTheTraceMade() {
    Cli r = Cli.run("analyze", "--format", "perfetto", LOG);
    assertThat(r.out())
        .contains("\"buffer\":\"0x7ffffca054c8 in no region the trace made\"")
        .doesNotContain(" in unknown");
  }
}
