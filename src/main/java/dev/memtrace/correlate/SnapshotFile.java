package dev.memtrace.correlate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a corpus-style {@code NAME.maps.jsonl}: one JSON object a line with {@code line},
 * {@code pid}, {@code maps} and, when present, {@code text} (other fields are ignored). Lines that are not such an object are
 * skipped and counted.
 */
public final class SnapshotFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotFile() {}

  public record Loaded(List<Snapshot> snapshots, int skipped) {}

  public static Loaded read(Path file) throws IOException {
    List<Snapshot> out = new ArrayList<>();
    int skipped = 0;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode n = JSON.readTree(line);
          if (n == null || !n.hasNonNull("line") || !n.hasNonNull("pid")) {
            skipped++;
            continue;
          }
          JsonNode maps = n.get("maps");
          JsonNode text = n.get("text");
          out.add(new Snapshot(n.get("line").asInt(), n.get("pid").asInt(),
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
