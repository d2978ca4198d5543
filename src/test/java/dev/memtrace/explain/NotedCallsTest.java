package dev.memtrace.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrace.model.MemorySyscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The explain stage passes by any call outside {@link NotedCalls#NOTED} that changed no region: a
 * name added to one of the switches that learn from calls, and not to that set, would never reach
 * its case. This reads the switches from the source; the memory calls among them reach the stage
 * anyway.
 */
class NotedCallsTest {

  private static final Path SOURCES = Path.of("src/main/java/dev/memtrace/explain");
  private static final Pattern CASE = Pattern.compile("case (\"[^>]*?)->");
  private static final Pattern NAME = Pattern.compile("\"([a-z0-9_]+)\"");

  /** The syscall names the cases of the first switch in {@code method} of {@code file} name. */
  private static Set<String> caseNames(String file, String method) throws IOException {
    String src = Files.readString(SOURCES.resolve(file));
    int start = src.indexOf(method);
    assertThat(start).as(method + " in " + file).isPositive();
    int open = src.indexOf("switch (c.name())", start);
    int end = src.indexOf("default ->", open);
    assertThat(open).as("its switch").isPositive();
    Set<String> names = new LinkedHashSet<>();
    Matcher m = CASE.matcher(src.substring(open, end));
    while (m.find()) {
      Matcher n = NAME.matcher(m.group(1));
      while (n.find()) {
        names.add(n.group(1));
      }
    }
    return names;
  }

  @Test
  void everyNameTheStageLearnsFromIsNoted() throws IOException {
    Set<String> state = caseNames("State.java", "static void applyOther(");
    Set<String> specials = caseNames("Specials.java", "static void after(");
    // a memory call (madvise) reaches the stage whatever it changed: it need not be noted
    specials.removeIf(MemorySyscalls::inMemoryClass);
    assertThat(state).contains("socket", "getrandom");
    assertThat(specials).contains("arch_prctl", "prlimit64");
    assertThat(NotedCalls.NOTED)
        .containsAll(state)
        .containsAll(specials)
        // what the model says they made reaches the stage only if it looks at them
        .contains("clone", "clone3", "fork", "vfork", "execve", "execveat")
        .containsAll(NotedCalls.FLAT_BUFFER)
        .containsAll(NotedCalls.IOV_BUFFER);
  }
}
