package dev.memtrace.render.html;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.memtrace.render.spool.TempFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table stored as one JSON array per column, each written as its rows come to a temporary file
 * (in {@link TempFiles}), so a table of millions of rows takes no memory; the page copies each file
 * into its data when it is written. Values are those {@link DataJson} writes.
 */
final class JsonColumns {

  private record Column(Path file, JsonGenerator json) {}

  private final Map<String, Column> columns = new LinkedHashMap<>();

  JsonColumns(TempFiles files, JsonFactory factory, String... names) throws IOException {
    for (String n : names) {
      Path f = files.create("column-" + n);
      // as the page's own writer: a char UTF-8 cannot encode (a lone surrogate) becomes '?'
      JsonGenerator g =
          factory.createGenerator(
              new BufferedWriter(
                  new OutputStreamWriter(Files.newOutputStream(f), StandardCharsets.UTF_8),
                  1 << 14));
      g.writeStartArray();
      columns.put(n, new Column(f, g));
    }
  }

  void add(String column, Object value) throws IOException {
    DataJson.write(columns.get(column).json(), value);
  }

  /** Ends every column's array; no row is added after. */
  void end() throws IOException {
    for (Column c : columns.values()) {
      if (!c.json().isClosed()) {
        c.json().writeEndArray();
        c.json().close();
      }
    }
  }

  /**
   * Writes the column as {@code g}'s next value: {@code g} writes what comes before it (a name, a
   * comma) and the file's text follows, through {@code raw}, the writer under {@code g}.
   */
  void write(String column, JsonGenerator g, Writer raw) throws IOException {
    g.writeRawValue("");
    g.flush();
    try (Reader in =
        new InputStreamReader(
            Files.newInputStream(columns.get(column).file()), StandardCharsets.UTF_8)) {
      in.transferTo(raw);
    }
  }

  /**
   * Closes the files still open (after a failure); they are deleted with their {@link TempFiles}.
   */
  void close() throws IOException {
    for (Column c : columns.values()) {
      c.json().close();
    }
  }
}
