package dev.memtrace.render.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScriptSafeWriterTest {

  @Test
  void theJsonReadsBackTheSameButCannotCloseAScriptOrOpenAComment() throws Exception {
    String nasty = "</script><!-- & > \u2028\u2029 </SCRIPT >";
    StringWriter out = new StringWriter();
    new ObjectMapper().writeValue(new ScriptSafeWriter(out), Map.of("s", List.of(nasty)));
    String json = out.toString();
    assertThat(json)
        .doesNotContain("<")
        .doesNotContain(">")
        .doesNotContain("&")
        .doesNotContain("\u2028")
        .doesNotContain("\u2029");
    assertThat(new ObjectMapper().readTree(json).get("s").get(0).asText()).isEqualTo(nasty);
  }
}
