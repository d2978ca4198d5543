package dev.memtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The grammars are the oracle for the fast scanner. On every line of every log the tests hold (the
 * corpus, logs-extra, logs-truth), the whole-line grammar and the scanner read the same kind of
 * line, leader, name, arguments, result, errno, -T time and what the kind adds; a line one of them
 * rejects the other rejects too. On every one-line call, the argument grammar's callRecord reads
 * the same as the scanner. And where the scanner gives up on a call, the argument grammar's reading
 * is what comes out.
 */
class GrammarOracleTest {

  @Test
  void wholeLineGrammarAndScannerAgreeOnEveryLine() throws IOException {
    Map<String, Integer> kinds = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    for (Path log : logs()) {
      LineParser parser = new LineParser(log.getFileName().toString());
      int no = 0;
      for (String line : lines(log)) {
        no++;
        String where = log.getFileName() + ":" + no + ": " + line;
        LineReading scanner = LineReading.of(parser, parser.parse(line, no));
        LineReading grammar = LineGrammar.read(line);
        if (!grammar.equals(scanner) && failures.size() < 40) {
          failures.add(where + "\n  scanner " + scanner + "\n  grammar " + grammar);
        }
        kinds.merge(scanner.kind(), 1, Integer::sum);
      }
    }
    assertThat(failures).as(String.join("\n", failures)).isEmpty();
    // Every shape is met, and the corpus is read as the logs it is, not as unparsed lines.
    assertThat(kinds)
        .containsKeys(
            "call",
            "unfinished",
            "resumed",
            "signal",
            "exit",
            "notice",
            "frame",
            "dump",
            "summary");
    assertThat(kinds.get("call")).isGreaterThan(10000);
  }

  /** Lines no corpus log has: odd shapes, and text that is no line strace writes. */
  @Test
  void wholeLineGrammarAndScannerAgreeOnOddLines() {
    List<String> lines =
        List.of(
            "hello from the tracee",
            "",
            "+++ vanished +++",
            "--- notasignal ---",
            "--- SIGSEGV ---",
            "--- stopped by SIGTSTP ---",
            "+++ killed by SIGSEGV (core dumped) +++",
            "+++ superseded by execve in pid 4248 +++",
            "123 +++ exited with 0 +++ trailing",
            "getpid() = abc",
            "getpid() = 0x",
            "getpid()= 42",
            "getpid() = 42 ",
            "getpid() = 42  ",
            "close(3) = -1 EBADF (Bad file descriptor) <0.000004>",
            "write(1, \"a\", 1) = 1 (INJECTED: args) (DELAYED)",
            "read(3, ]) = 0",
            "read(3, \"abc",
            "read(3, {a=[1, 2",
            "4627  clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=1},  <detached ...>",
            "4308  execve(\"/bin/echo\", [\"echo\"], 0x7ffe /* 2 vars */ <pid changed to 4297 ...>",
            "exit_group(0 <unfinished ...>) = ?",
            "<... read resumed>\"x\", 1) = 1",
            "<... read resumed>\"x\", 1",
            "1795683641 0 brk(NULL) = 0x1",
            "12 0 [  12] brk(NULL) = 0x1",
            "[pid 12<sh>] brk(NULL) = 0x1",
            "09:00:41 (+     0.044117) brk(NULL)     = 0x560022ff6000",
            "[  11] [55c6011c91eb] [ Process PID=4626 runs in 32 bit mode. ]",
            " > /lib/libc.so.6(f(int, char)+0x3e) [0x1]",
            " > /x/se gv(\377)(main+0x62) [0x11cb]",
            " > /usr/bin/java() [0x1206]",
            " > unwind error",
            " | 00000  30 31 0a                                          01. |",
            " | 00000  30 31 0a",
            " * 5 bytes in buffer 0",
            "/usr/bin/strace: Process 12 attached with 3 threads",
            "strace: Process 12 detached",
            "strace: exec: No such file or directory",
            "System call usage summary for 32 bit mode:",
            "------ ----------- ----------- --------- --------- ------------------",
            "% time     seconds  usecs/call     calls    errors syscall",
            "100.00    0.125135          95      1311       101 total",
            "mmap 157 0.002594",
            "mmap mmap 157");
    LineParser parser = new LineParser(null);
    int no = 0;
    for (String line : lines) {
      no++;
      LineReading scanner = LineReading.of(parser, parser.parse(line, no));
      assertThat(LineGrammar.read(line)).as(line).isEqualTo(scanner);
    }
  }

  /**
   * Every log the tests hold, and each as the texts the scanner is given: physical lines, except
   * that a notice strace wrote into the end of a line is cut off it and the rest is joined with the
   * next line, as {@link TraceReader} does.
   */
  private static List<Path> logs() throws IOException {
    List<Path> logs = new ArrayList<>(Corpus.allLogs());
    Path base = Corpus.shared();
    for (String dir : List.of("logs-extra", "logs-truth")) {
      try (Stream<Path> files = Files.list(base.resolve(dir))) {
        files
            .filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".log.gz"))
            .sorted()
            .forEach(logs::add);
      }
    }
    return logs;
  }

  private static List<String> lines(Path log) {
    List<String> out = new ArrayList<>();
    try (InputStream raw = Files.newInputStream(log);
        InputStream in = log.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        LineReader r = new LineReader(in)) {
      String carry = null;
      for (String line = r.next(); line != null; line = r.next()) {
        String text = carry == null ? line : carry + line;
        carry = null;
        int at = TraceReader.splicedNotice(text);
        if (at > 0) {
          out.add(text.substring(at));
          carry = text.substring(0, at);
        } else {
          out.add(text);
        }
      }
      if (carry != null) {
        out.add(carry);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Test
  void scannerAndGrammarAgreeOnEveryCorpusCall() {
    PrefixScanner prefix = new PrefixScanner();
    int compared = 0;
    for (var log : Corpus.allLogs()) {
      String name = log.getFileName().toString();
      if (name.contains("stderr") || name.contains("stdout_in_log")) {
        continue; // tracee output inside arguments: no reading is "right" there
      }
      for (TraceEvent e : Corpus.events(log)) {
        if (!(e instanceof SyscallEvent s)
            || s.completion() != SyscallEvent.Completion.COMPLETE
            || s.source().text().indexOf('\n') >= 0
            || s.source().text().contains(" resumed>")) {
          continue;
        }
        prefix.scan(s.source().text());
        String body = s.source().text().substring(prefix.end);
        CallRecord r = ArgParser.parseCallRecord(body);
        String where = log.getFileName() + ":" + e.line();
        assertThat(r).as("grammar reading of %s: %s", where, body).isNotNull();
        assertThat(r.name()).as(where).isEqualTo(s.name());
        assertThat(r.args()).as(where).isEqualTo(s.args().texts());
        assertThat(r.result()).as(where).isEqualTo(s.result());
        assertThat(r.duration()).as(where).isEqualTo(s.duration());
        compared++;
      }
    }
    assertThat(compared).isGreaterThan(6000);
  }

  @Test
  void grammarReadsWhatTheScannerRejects() {
    // Text after the return value that neither expects.
    List<TraceEvent> ev = TraceReader.parseAll("getpid() = 42 (INJECTED)x\n");
    assertThat(ev).singleElement().isInstanceOf(UnparsedEvent.class);
    // A return value that is a NUMBER token but no number: neither reads a call.
    assertThat(TraceReader.parseAll("getpid() = 0x\n"))
        .singleElement()
        .isInstanceOf(UnparsedEvent.class);
    // Spacing the scanner does not expect ("=  42"), which the grammar's tokens do not mind.
    List<TraceEvent> spaced = TraceReader.parseAll("getpid() =  42\n");
    assertThat(spaced)
        .singleElement()
        .isInstanceOfSatisfying(
            SyscallEvent.class, s -> assertThat(s.result().value()).hasValue(42));
    assertThat(
            ArgParser.parseCallRecord("getpid() = 42 ENOSYS (Function not implemented) <0.000001>"))
        .satisfies(
            r -> {
              assertThat(r.result().errno()).isEqualTo("ENOSYS");
              assertThat(r.duration()).isEqualTo(0.000001);
            });
  }
}
