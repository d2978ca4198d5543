package dev.memtrace.render.perfetto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Schema-level checks of Chrome trace-event JSON (the JSON Object Format of the Trace Event Format
 * document): a {@code traceEvents} array whose events each have a known {@code ph}, integer {@code
 * pid} and {@code tid}, a numeric non-negative {@code ts}, a name, and for complete slices a
 * numeric non-negative {@code dur}; counters carry numeric args only.
 */
final class TraceEventSchema {
  private static final Set<String> PHASES = Set.of("X", "B", "E", "i", "I", "C", "M");

  static void check(JsonNode root) {
    assertThat(root.isObject()).isTrue();
    assertThat(root.get("traceEvents").isArray()).as("traceEvents array").isTrue();
    for (JsonNode e : root.get("traceEvents")) {
      String ph = e.path("ph").asText();
      assertThat(PHASES).as("ph of %s", e).contains(ph);
      assertThat(e.get("name").isTextual()).as("name of %s", e).isTrue();
      assertThat(e.get("pid").isIntegralNumber()).as("pid of %s", e).isTrue();
      assertThat(e.get("tid").isIntegralNumber()).as("tid of %s", e).isTrue();
      if (!ph.equals("M")) {
        assertThat(e.get("ts").isNumber()).as("ts of %s", e).isTrue();
        assertThat(e.get("ts").asDouble()).isGreaterThanOrEqualTo(0);
      }
      if (ph.equals("X")) {
        assertThat(e.get("dur").isNumber()).as("dur of %s", e).isTrue();
        assertThat(e.get("dur").asDouble()).isGreaterThanOrEqualTo(0);
      }
      if (ph.equals("i")) {
        assertThat(Set.of("g", "p", "t")).contains(e.get("s").asText());
      }
      if (ph.equals("C")) {
        e.get("args")
            .fields()
            .forEachRemaining(
                f -> assertThat(f.getValue().isNumber()).as("counter %s", f.getKey()).isTrue());
      }
      if (ph.equals("M")) {
        assertThat(Set.of("process_name", "thread_name", "process_sort_index", "thread_sort_index"))
            .contains(e.get("name").asText());
      }
    }
  }

  private TraceEventSchema() {}
}
