package dev.memtrace.pipeline;

import dev.memtrace.correlate.Snapshot;
import dev.memtrace.elf.ElfFiles;
import dev.memtrace.elf.RecordedElf;
import dev.memtrace.run.LiveItem;
import dev.memtrace.run.MapsSnapshot;
import dev.memtrace.run.RecordingReader;
import dev.memtrace.trace.TraceReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FILE of {@code maps} and {@code where}, readable more than once: an strace log on disk, a
 * {@code run --save} recording (its log lines, and its snapshots as the truth), or standard input
 * (kept in memory).
 */
final class TraceInput {

  private final Path file;
  private final byte[] bytes;
  private final List<Snapshot> snapshots;
  private final List<ElfFiles.Answer> elfAnswers;

  private TraceInput(
      Path file, byte[] bytes, List<Snapshot> snapshots, List<ElfFiles.Answer> elfAnswers) {
    this.file = file;
    this.bytes = bytes;
    this.snapshots = snapshots;
    this.elfAnswers = elfAnswers;
  }

  /** Opens FILE ("-" for standard input); null after saying on err why it cannot. */
  static TraceInput open(String name, InputStream stdin, PrintWriter err) throws IOException {
    if ("-".equals(name)) {
      return new TraceInput(null, stdin.readAllBytes(), List.of(), List.of());
    }
    Path p = Path.of(name);
    if (!Files.isReadable(p) || Files.isDirectory(p)) {
      List<Path> set = Files.exists(p) ? List.of() : AnalyzeInputs.ffSet(p);
      err.println(
          "memtrace: cannot read "
              + name
              + (set.isEmpty()
                  ? ""
                  : ": it names a strace -ff set ("
                      + set.size()
                      + " files, one per task), and this command reads one log; name one of"
                      + " them, e.g. "
                      + set.get(0)
                      + " (analyze reads the whole set)"));
      return null;
    }
    if (!RecordingReader.isRecording(p)) {
      return new TraceInput(p, null, List.of(), List.of());
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<Snapshot> snaps = new ArrayList<>();
    Map<Integer, String> texts = new HashMap<>();
    List<ElfFiles.Answer> answers;
    try (RecordingReader r = RecordingReader.open(p)) {
      answers = RecordedElf.answers(r.elfObjects());
      for (LiveItem i = r.next(); i != null; i = r.next()) {
        if (i instanceof LiveItem.LogLine l) {
          log.write((l.text() + "\n").getBytes(StandardCharsets.ISO_8859_1));
          texts.put(l.line(), l.text());
        } else if (i instanceof MapsSnapshot m && m.maps() != null) {
          snaps.add(
              new Snapshot(
                  m.line(),
                  m.pid(),
                  m.maps(),
                  m.kind() == MapsSnapshot.Kind.AFTER_CALL ? texts.get(m.line()) : null,
                  m.tasks(),
                  m.exe()));
        }
      }
    }
    return new TraceInput(p, log.toByteArray(), snaps, answers);
  }

  /** A new reader from the first line. */
  TraceReader reader() throws IOException {
    InputStream in = bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    return new TraceReader(in, bytes == null ? file.toString() : null, null);
  }

  /** The snapshots a recording holds (none for a plain log). */
  List<Snapshot> snapshots() {
    return snapshots;
  }

  /** What a recording's run read of the files it names (none for a plain log). */
  List<ElfFiles.Answer> elfAnswers() {
    return elfAnswers;
  }

  String name() {
    return file == null ? "standard input" : file.toString();
  }
}
