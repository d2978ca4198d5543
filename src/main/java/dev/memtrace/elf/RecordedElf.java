package dev.memtrace.elf;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a live run's files told about a program execve mapped, as a recording carries it, so a
 * replay lays out the same images without the files:
 *
 * <pre>
 * {"type":"elf","kind":"program","path":"/bin/cat","dir":null,"file":"/usr/bin/cat",
 *  "problem":null,"size":35456,"elfType":3,"interp":"/lib64/ld-linux-x86-64.so.2",
 *  "buildId":"...","loads":[[4,0,0,5800,5800],...],"relro":[6,40816,44912,1888,1888]}
 * </pre>
 *
 * A segment is {@code [flags, offset, vaddr, filesz, memsz]}. When the file could not be read,
 * {@code problem} says why and the headers are absent.
 */
public final class RecordedElf {

  private RecordedElf() {}

  public static void write(JsonGenerator json, ElfFiles.Answer a) throws IOException {
    json.writeStringField("type", "elf");
    json.writeStringField("kind", a.kind());
    json.writeStringField("path", a.path());
    json.writeStringField("dir", a.dir());
    ElfFiles.Opened o = a.opened();
    json.writeStringField("file", o.kernelPath());
    json.writeStringField("problem", o.problem());
    ElfFile e = o.elf();
    if (e == null) {
      return;
    }
    json.writeNumberField("size", e.size());
    json.writeNumberField("elfType", e.type());
    json.writeStringField("interp", e.interp());
    json.writeStringField("buildId", e.buildId());
    json.writeArrayFieldStart("loads");
    for (Segment s : e.loads()) {
      segment(json, s);
    }
    json.writeEndArray();
    if (e.relro() != null) {
      json.writeFieldName("relro");
      segment(json, e.relro());
    }
  }

  private static void segment(JsonGenerator json, Segment s) throws IOException {
    json.writeStartArray();
    json.writeNumber(s.flags());
    json.writeNumber(s.offset());
    json.writeNumber(s.vaddr());
    json.writeNumber(s.filesz());
    json.writeNumber(s.memsz());
    json.writeEndArray();
  }

  /** One recorded answer, or null when the object is not a whole one. */
  static ElfFiles.Answer read(JsonNode o) {
    String kind = text(o.path("kind"));
    String path = text(o.path("path"));
    if (kind == null || path == null) {
      return null;
    }
    String problem = text(o.path("problem"));
    String file = text(o.path("file"));
    ElfFile elf = null;
    if (problem == null) {
      if (file == null || !o.path("loads").isArray() || !o.path("elfType").canConvertToInt()) {
        return null;
      }
      List<Segment> loads = new ArrayList<>();
      for (JsonNode s : o.path("loads")) {
        Segment seg = segment(s, Segment.PT_LOAD);
        if (seg == null) {
          return null;
        }
        loads.add(seg);
      }
      JsonNode r = o.path("relro");
      Segment relro = r.isMissingNode() || r.isNull() ? null : segment(r, Segment.PT_GNU_RELRO);
      elf =
          ElfFile.recorded(
              Path.of(file),
              o.path("size").asLong(),
              o.path("elfType").asInt(),
              loads,
              text(o.path("interp")),
              relro,
              text(o.path("buildId")));
    }
    return new ElfFiles.Answer(
        kind, path, text(o.path("dir")), new ElfFiles.Opened(elf, file, problem));
  }

  private static Segment segment(JsonNode s, int type) {
    if (!s.isArray() || s.size() != 5) {
      return null;
    }
    for (JsonNode n : s) {
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        return null;
      }
    }
    return new Segment(
        type,
        s.get(0).asInt(),
        s.get(1).asLong(),
        s.get(2).asLong(),
        s.get(3).asLong(),
        s.get(4).asLong());
  }

  /**
   * The answers a recording carries (its elf objects, read ahead of its replay); one that is not
   * whole is left out, and the replay then says its file is not in the recording.
   */
  public static List<ElfFiles.Answer> answers(List<JsonNode> objects) {
    List<ElfFiles.Answer> out = new ArrayList<>();
    for (JsonNode o : objects) {
      ElfFiles.Answer a = read(o);
      if (a != null) {
        out.add(a);
      }
    }
    return out;
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }
}
