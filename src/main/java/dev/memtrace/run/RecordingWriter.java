package dev.memtrace.run;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a recording ({@code run --save FILE}): JSON Lines, one object a line, in the order the run
 * produced them. The format is described in docs/formats.md ("Recording format"):
 *
 * <pre>
 * {"type":"header","format":"memtrace-recording","version":1,"command":[...],"pid":null,
 *  "strace":{"version":"6.1","argv":[...]},"kernel":"6.18.44","glibc":"2.36",
 *  "started":"2026-11-26T09:35:10Z","snapshots":true,"delayMicros":2000}
 * {"type":"log","line":1,"text":"4202  1795683651.094989 execve(\"/bin/cat\", ...) = 0 <0.000233>"}
 * {"type":"elf","kind":"program","path":"/bin/cat","dir":null,"file":"/usr/bin/cat",...}
 * {"type":"snapshot","line":7,"pid":4202,"kind":"after-call","threads":1,"micros":85,
 *  "delayMicros":2000,"maps":"55d1c0e00000-55d1c0e02000 r--p ..."}
 * {"type":"snapshot","line":0,"pid":4202,"kind":"attach",...,"tasks":[4202,4207],"exe":"/usr/bin/python3.11","maps":"..."}
 * {"type":"end","exitStatus":0,"interrupted":false,"lines":120,"snapshots":31}
 * </pre>
 *
 * Every object is flushed as soon as it is written, so an interrupted run keeps what was traced.
 * The {@code end} object is missing when memtrace itself was killed with SIGKILL.
 */
public final class RecordingWriter implements AutoCloseable {

  private final Path file;
  private final OutputStream out;
  private final JsonGenerator json;

  public RecordingWriter(Path file, RecordingHeader header) throws IOException {
    this.file = file;
    this.out = Files.newOutputStream(file);
    this.json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    try {
      header(header);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  /** A write error names the recording, as one on the timeline names -o's file. */
  private IOException failed(IOException e) {
    return new IOException("write error: " + file + ": " + e.getMessage(), e);
  }

  private void header(RecordingHeader header) throws IOException {
    json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    json.writeStartObject();
    json.writeStringField("type", "header");
    json.writeStringField("format", RecordingHeader.FORMAT);
    json.writeNumberField("version", header.version());
    writeList("command", header.command());
    if (header.pid() == null) {
      json.writeNullField("pid");
    } else {
      json.writeNumberField("pid", header.pid());
    }
    json.writeObjectFieldStart("strace");
    json.writeStringField("version", header.versions().strace());
    writeList("argv", header.straceArgv());
    json.writeEndObject();
    json.writeStringField("kernel", header.versions().kernel());
    json.writeStringField("glibc", header.versions().glibc());
    json.writeStringField("started", header.started());
    json.writeBooleanField("snapshots", header.snapshots());
    json.writeNumberField("delayMicros", header.delayMicros());
    json.writeEndObject();
    json.flush();
  }

  private void writeList(String name, List<String> values) throws IOException {
    json.writeArrayFieldStart(name);
    for (String v : values) {
      json.writeString(v);
    }
    json.writeEndArray();
  }

  public synchronized void item(LiveItem item) throws IOException {
    try {
      write(item);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private void write(LiveItem item) throws IOException {
    json.writeStartObject();
    if (item instanceof LiveItem.LogLine l) {
      json.writeStringField("type", "log");
      json.writeNumberField("line", l.line());
      json.writeStringField("text", l.text());
    } else if (item instanceof MapsSnapshot s) {
      json.writeStringField("type", "snapshot");
      json.writeNumberField("line", s.line());
      json.writeNumberField("pid", s.pid());
      json.writeStringField("kind", s.kind().label);
      json.writeNumberField("threads", s.threads());
      json.writeNumberField("micros", s.micros());
      json.writeNumberField("delayMicros", s.delayMicros());
      if (!s.tasks().isEmpty()) {
        json.writeArrayFieldStart("tasks");
        for (int t : s.tasks()) {
          json.writeNumber(t);
        }
        json.writeEndArray();
      }
      if (s.exe() != null) {
        json.writeStringField("exe", s.exe());
      }
      json.writeStringField("maps", s.maps());
    }
    json.writeEndObject();
    json.flush();
  }

  /** Writes the fields of one object of the recording (its type among them). */
  @FunctionalInterface
  public interface Fields {
    void write(JsonGenerator json) throws IOException;
  }

  /**
   * What the files told the run's model about a program execve mapped (a {@code "type":"elf"}
   * object, whose fields {@code dev.memtrace.elf.RecordedElf} writes): written when the model asks,
   * a little after the execve's line, by the thread that renders. A failure to write is kept and
   * thrown by {@link #end}, as the renderer cannot stop for it.
   */
  public synchronized void elf(Fields fields) {
    if (elfFailure != null) {
      return;
    }
    try {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
      json.flush();
    } catch (IOException e) {
      elfFailure = failed(e);
    }
  }

  private IOException elfFailure;

  public synchronized void end(int exitStatus, boolean interrupted, int lines, int snapshots)
      throws IOException {
    if (elfFailure != null) {
      throw elfFailure;
    }
    try {
      json.writeStartObject();
      json.writeStringField("type", "end");
      json.writeNumberField("exitStatus", exitStatus);
      json.writeBooleanField("interrupted", interrupted);
      json.writeNumberField("lines", lines);
      json.writeNumberField("snapshots", snapshots);
      json.writeEndObject();
      json.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      json.writeRaw('\n');
      json.close();
      out.close();
    } catch (IOException e) {
      throw failed(e);
    }
  }
}
