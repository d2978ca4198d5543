package dev.memtrace.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a corpus-style {@code NAME.maps.jsonl}: one JSON object a line with {@code line}, {@code
 * pid}, {@code maps} and, when present, {@code text} (other fields are ignored). Lines that are not
 * such an object are skipped and counted, and so is a line that is not UTF-8: one bad byte costs
 * its line only.
 */
public final class SnapshotFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotFile() {}

  public record Loaded(List<Snapshot> snapshots, int skipped) {}

  public static Loaded read(Path file) throws IOException {
    List<Snapshot> out = new ArrayList<>();
    int skipped = 0;
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    // ISO-8859-1 keeps every byte, so each line is decoded from UTF-8 on its own
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      for (String raw = r.readLine(); raw != null; raw = r.readLine()) {
        if (raw.isBlank()) {
          continue;
        }
        try {
          String line =
              utf8.decode(ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1))).toString();
          JsonNode n = JSON.readTree(line);
          if (n == null || !n.hasNonNull("line") || !n.hasNonNull("pid")) {
            skipped++;
            continue;
          }
          JsonNode maps = n.get("maps");
          JsonNode text = n.get("text");
          out.add(
              new Snapshot(
                  n.get("line").asInt(),
                  n.get("pid").asInt(),
                  maps == null || maps.isNull() ? null : maps.asText(),
                  text == null || text.isNull() ? null : text.asText()));
        } catch (IOException bad) {
          skipped++;
        }
      }
    }
    out.sort(Comparator.comparingInt(Snapshot::line));
    return new Loaded(out, skipped);
  }
}
