package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrace.run.LiveAssumptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grammar checked on logs that are not in the corpus: real strace, run now, with flag
 * combinations and programs the corpus does not have. Skipped when strace is not installed.
 */
class LiveStraceTest {

  private static final String PY =
      "import threading,mmap,os\n"
          + "m=mmap.mmap(-1,1<<20); m.write(b'x'*10); m.close()\n"
          + "t=threading.Thread(target=lambda: os.getpid()); t.start(); t.join()\n"
          + "open('/etc/hostname','rb').read()\n";

  @TempDir Path tmp;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "ttt_T_yy_k", List.of("-f", "-ttt", "-T", "-yy", "-k"), List.of("ls", "-la", "/tmp")),
        Arguments.of("Xverbose", List.of("-f", "-X", "verbose"), List.of("python3", "-c", PY)),
        Arguments.of(
            "raw_all", List.of("-f", "-e", "raw=all"), List.of("bash", "-c", "ls / | wc -l")),
        Arguments.of(
            "xx_Y",
            List.of("-f", "-xx", "-Y"),
            List.of("bash", "-c", "cat /etc/hostname; echo \u00e9 >/dev/null")),
        Arguments.of("C", List.of("-f", "-C"), List.of("python3", "-c", PY)),
        Arguments.of(
            "r_i_n_v_s100",
            List.of("-f", "-r", "-i", "-n", "-v", "-s", "100"),
            List.of("ls", "-l", "/")),
        Arguments.of(
            "tt_ns_Xraw",
            List.of(
                "-f",
                "--absolute-timestamps=format:unix,precision:ms",
                "--syscall-times=ns",
                "-X",
                "raw"),
            List.of("python3", "-c", PY)),
        Arguments.of(
            "x_nonascii",
            List.of("-f", "-x", "-tt"),
            List.of("bash", "-c", "printf '\\377\\376' | cat > /dev/null")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void freshLogsParse(String name, List<String> flags, List<String> command)
      throws IOException, InterruptedException {
    LiveAssumptions.assumeStrace();
    assumeTrue(onPath(command.get(0)), command.get(0) + " is not installed");
    Path log = tmp.resolve(name + ".log");
    List<String> argv = new ArrayList<>(List.of("strace", "-o", log.toString()));
    argv.addAll(flags);
    argv.addAll(command);
    Process p =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".out").toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("strace finished").isTrue();
    String out = Files.readString(tmp.resolve(name + ".out"));
    assumeTrue(
        p.exitValue() == 0 || !out.contains("ptrace"), "ptrace is not permitted here: " + out);
    assertThat(log).as("strace wrote its log (strace said: %s)", out).isNotEmptyFile();
    List<TraceEvent> events = Corpus.events(log);
    assertThat(events)
        .filteredOn(e -> e instanceof UnparsedEvent)
        .as("unparsed lines of a fresh %s log", name)
        .isEmpty();
    assertThat(events)
        .filteredOn(
            e ->
                e instanceof SyscallEvent s && s.completion() == SyscallEvent.Completion.UNFINISHED)
        .as("calls never resumed")
        .isEmpty();
    assertThat(events).filteredOn(e -> e instanceof SyscallEvent).isNotEmpty();
    assertThat(events)
        .filteredOn(e -> e instanceof SyscallEvent s && s.name().equals("execve"))
        .first()
        .satisfies(e -> assertThat(((SyscallEvent) e).result().value()).hasValue(0));
    if (flags.contains("-C")) {
      assertThat(events)
          .anySatisfy(
              e ->
                  assertThat(e)
                      .isInstanceOfSatisfying(
                          NoticeEvent.class,
                          n -> assertThat(n.kind()).isEqualTo(NoticeEvent.Kind.SUMMARY)));
    }
    if (flags.contains("-k")) {
      assertThat(events)
          .filteredOn(e -> e instanceof SyscallEvent s && !s.stack().isEmpty())
          .isNotEmpty();
    }
    if (flags.contains("-T")) {
      assertThat(events)
          .filteredOn(e -> e instanceof SyscallEvent s && s.duration() != null)
          .isNotEmpty();
    }
    PrefixScanner prefix = new PrefixScanner();
    for (TraceEvent e : events) {
      if (e instanceof SyscallEvent s) {
        for (int i = 0; i < s.args().size(); i++) {
          assertThat(s.args().get(i).text()).isNotNull();
        }
        if (s.completion() == SyscallEvent.Completion.COMPLETE
            && !s.source().text().contains(" resumed>")) {
          // The grammar, as oracle, reads the same call.
          prefix.scan(s.source().text());
          CallRecord r = ArgParser.parseCallRecord(s.source().text().substring(prefix.end));
          assertThat(r).as("grammar reading of line %d", s.line()).isNotNull();
          assertThat(r.args()).as("line %d", s.line()).isEqualTo(s.args().texts());
          assertThat(r.result()).as("line %d", s.line()).isEqualTo(s.result());
        }
      }
    }
  }

  static boolean onPath(String program) {
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
