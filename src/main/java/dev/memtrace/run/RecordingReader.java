package dev.memtrace.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a recording back: {@link #isRecording} tells one from a plain strace log by its first
 * line; {@link #replay} hands its log lines and snapshots to a {@link LiveRun.Consumer} in the
 * order the live run did, so the rest of the pipeline cannot tell a replay from a live run.
 */
public final class RecordingReader implements ItemSource, AutoCloseable {

  /**
   * Made on first use: building an ObjectMapper loads some 300 classes (about 0.1 s), which
   * {@link #isRecording}, asked of every log analyze opens, must not cost.
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  private static final byte[] MAGIC =
      ("{\"type\":\"header\",\"format\":\"" + RecordingHeader.FORMAT + "\"")
          .getBytes(StandardCharsets.US_ASCII);

  /** True when the file starts like a recording (strace never writes a line starting with "{"). */
  public static boolean isRecording(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAGIC.length);
      return java.util.Arrays.equals(head, MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /** Opens a recording and reads its header. */
  public static RecordingReader open(Path file) throws IOException {
    BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    try {
      String first = in.readLine();
      if (first == null) {
        throw new IOException(file + ": empty recording");
      }
      return new RecordingReader(file, in, header(Json.MAPPER.readTree(first), file));
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Every item of a recording to {@code consumer}; what the recording said besides. */
  public static Replay replay(Path file, LiveRun.Consumer consumer) throws IOException {
    try (RecordingReader r = open(file)) {
      for (LiveItem i = r.next(); i != null; i = r.next()) {
        consumer.accept(i);
      }
      return new Replay(r.header(), r.exitStatus(), r.interrupted());
    }
  }

  /** What a replay learnt besides the items. exitStatus is null when the recording has no end. */
  public record Replay(RecordingHeader header, Integer exitStatus, boolean interrupted) {}

  private final Path file;
  private final BufferedReader in;
  private final RecordingHeader header;
  private int lineNo = 1;
  private Integer exitStatus;
  private boolean interrupted;
  private boolean cutOff;

  private RecordingReader(Path file, BufferedReader in, RecordingHeader header) {
    this.file = file;
    this.in = in;
    this.header = header;
  }

  public RecordingHeader header() {
    return header;
  }

  /** The run's exit status from the {@code end} object, once read; null if there is none. */
  public Integer exitStatus() {
    return exitStatus;
  }

  public boolean interrupted() {
    return interrupted;
  }

  /** True when the last object was cut off (memtrace itself was killed while writing it). */
  public boolean cutOff() {
    return cutOff;
  }

  private LiveItem peeked;

  @Override
  public LiveItem peekReady() throws IOException {
    if (peeked == null) {
      peeked = read();
    }
    return peeked;
  }

  @Override
  public LiveItem next() throws IOException {
    if (peeked != null) {
      LiveItem p = peeked;
      peeked = null;
      return p;
    }
    return read();
  }

  private LiveItem read() throws IOException {
    for (String l = in.readLine(); l != null; l = in.readLine()) {
      lineNo++;
      if (l.isEmpty()) {
        continue;
      }
      JsonNode o;
      try {
        o = Json.MAPPER.readTree(l);
      } catch (IOException e) {
        if (in.readLine() == null) {
          cutOff = true; // memtrace was killed while writing its last object: keep the rest
          return null;
        }
        throw new IOException(file + ":" + lineNo + ": not a JSON object", e);
      }
      switch (o.path("type").asText()) {
        case "log":
          return new LiveItem.LogLine(o.path("line").asInt(), o.path("text").asText());
        case "snapshot":
          return snapshot(o);
        case "end":
          exitStatus = o.path("exitStatus").asInt();
          interrupted = o.path("interrupted").asBoolean();
          break;
        default:
          throw new IOException(file + ":" + lineNo + ": unknown object type " + o.path("type"));
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private static MapsSnapshot snapshot(JsonNode o) {
    JsonNode maps = o.path("maps");
    return new MapsSnapshot(
        o.path("line").asInt(),
        o.path("pid").asInt(),
        MapsSnapshot.Kind.of(o.path("kind").asText()),
        maps.isNull() ? null : maps.asText(),
        o.path("threads").asInt(),
        o.path("micros").asLong(),
        o.path("delayMicros").asInt());
  }

  private static RecordingHeader header(JsonNode h, Path file) throws IOException {
    if (!RecordingHeader.FORMAT.equals(h.path("format").asText())) {
      throw new IOException(file + ": not a memtrace recording");
    }
    int version = h.path("version").asInt();
    if (version != RecordingHeader.VERSION) {
      throw new IOException(
          file + ": recording format version " + version + "; this memtrace reads version "
              + RecordingHeader.VERSION);
    }
    JsonNode strace = h.path("strace");
    return new RecordingHeader(
        version,
        strings(h.path("command")),
        h.path("pid").isNull() ? null : h.path("pid").asInt(),
        strings(strace.path("argv")),
        new Versions(text(strace.path("version")), text(h.path("kernel")), text(h.path("glibc"))),
        text(h.path("started")),
        h.path("snapshots").asBoolean(),
        h.path("delayMicros").asInt());
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
