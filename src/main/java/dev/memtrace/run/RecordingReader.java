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
public final class RecordingReader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] MAGIC =
      ("{\"type\":\"header\",\"format\":\"" + RecordingHeader.FORMAT + "\"")
          .getBytes(StandardCharsets.US_ASCII);

  private RecordingReader() {}

  /** True when the file starts like a recording (strace never writes a line starting with "{"). */
  public static boolean isRecording(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(MAGIC.length);
      return java.util.Arrays.equals(head, MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /** The header, then every item; returns the {@code end} object's exit status, or null. */
  public static Replay replay(Path file, LiveRun.Consumer consumer) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = in.readLine();
      if (first == null) {
        throw new IOException(file + ": empty recording");
      }
      RecordingHeader header = header(JSON.readTree(first), file);
      Integer exitStatus = null;
      boolean interrupted = false;
      int n = 1;
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        n++;
        if (l.isEmpty()) {
          continue;
        }
        JsonNode o;
        try {
          o = JSON.readTree(l);
        } catch (IOException e) {
          throw new IOException(file + ":" + n + ": not a JSON object (cut off?)", e);
        }
        switch (o.path("type").asText()) {
          case "log" -> consumer.accept(new LiveItem.LogLine(o.path("line").asInt(), o.path("text").asText()));
          case "snapshot" -> consumer.accept(snapshot(o));
          case "end" -> {
            exitStatus = o.path("exitStatus").asInt();
            interrupted = o.path("interrupted").asBoolean();
          }
          default -> throw new IOException(file + ":" + n + ": unknown object type " + o.path("type"));
        }
      }
      return new Replay(header, exitStatus, interrupted);
    }
  }

  /** What a replay learnt besides the items. exitStatus is null when the recording has no end. */
  public record Replay(RecordingHeader header, Integer exitStatus, boolean interrupted) {}

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
