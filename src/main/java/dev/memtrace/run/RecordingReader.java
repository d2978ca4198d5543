package dev.memtrace.run;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a recording back: {@link #isRecording} tells one from a plain strace log by its first line;
 * {@link #replay} hands its log lines and snapshots to a {@link LiveRun.Consumer} in the order the
 * live run did, so the rest of the pipeline cannot tell a replay from a live run.
 *
 * <p>A damaged recording still replays: a line that is not UTF-8, not one JSON object, or not an
 * object this format writes is skipped and counted; a log line lost that way is replayed as an
 * empty line, so every later line keeps its number (and its snapshots). A recording cut short (no
 * {@code end} object, or a last object cut off) replays what it holds. {@link #notices} says what
 * was skipped and whether the recording ended early, naming the file and line.
 */
public final class RecordingReader implements ItemSource, AutoCloseable {

  /**
   * Made on first use: building an ObjectMapper loads some 300 classes (about 0.1 s), which {@link
   * #isRecording}, asked of every log analyze opens, must not cost.
   */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private static final String HEAD = "{\"type\":\"header\"";
  private static final String FORMAT_FIELD = "\"format\":\"" + RecordingHeader.FORMAT + "\"";

  /**
   * True when the file starts like a recording: its first line begins with the header's type or
   * names the format (strace never writes a line starting with "{"), so one damaged byte in the
   * header does not turn a recording into hundreds of unparsed log lines.
   */
  public static boolean isRecording(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(256);
      int n = 0;
      while (n < head.length && head[n] != '\n') {
        n++;
      }
      String first = new String(head, 0, n, StandardCharsets.ISO_8859_1);
      return first.startsWith("{") && (first.startsWith(HEAD) || first.contains(FORMAT_FIELD));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Opens a recording and reads its header. A header of another format version is refused; a
   * damaged header is skipped with a notice ({@link #header} is then null) and the items replay.
   */
  public static RecordingReader open(Path file) throws IOException {
    RecordingLines in =
        new RecordingLines(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    try {
      RecordingReader r = new RecordingReader(file, in);
      r.readHeader();
      r.elf = elfObjects(file);
      return r;
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

  /**
   * What a replay learnt besides the items. exitStatus is null when the recording has no end;
   * header is null when it was damaged.
   */
  public record Replay(RecordingHeader header, Integer exitStatus, boolean interrupted) {}

  private final Path file;
  private final RecordingLines in;
  private RecordingHeader header;
  private Integer exitStatus;
  private boolean interrupted;
  private boolean cutOff;
  private boolean ended;
  private Integer endLines;

  /** Items ready to hand out: a log line and the empty lines standing for lost ones before it. */
  private final ArrayDeque<LiveItem> ready = new ArrayDeque<>();

  /** The number of the last log line handed out (0 before the first). */
  private int lastLog;

  private int logLines;

  /** Damaged lines since the last good log line: how many log lines may have been lost there. */
  private int damagedSinceLog;

  private int damaged;
  private long firstDamagedLine;
  private String firstDamage;
  private long firstOutOfOrder;
  private String outOfOrder;
  private int lostLogLines;

  private RecordingReader(Path file, RecordingLines in) {
    this.file = file;
    this.in = in;
  }

  /** What the run's files told about the programs execve mapped (none in older recordings). */
  private List<JsonNode> elf = List.of();

  /**
   * The {@code "type":"elf"} objects: what the run's files told about the programs execve mapped,
   * for a replay that reads no file ({@code dev.memtrace.elf.RecordedElf} reads them); empty when
   * the recording carries none (made before recordings carried them).
   */
  public List<JsonNode> elfObjects() {
    return elf;
  }

  private static final String ELF_PREFIX = "{\"type\":\"elf\"";

  /**
   * The elf objects of a recording, read ahead of its replay: a live run records them when its
   * model asks, a little after the execve's line, and the replay's model asks at that line. A
   * damaged one is left out (the replay then says the file is not in the recording); the replay
   * itself counts the damage when it reaches it.
   *
   * <p>This reads the recording a second time. Reading it once would need the objects ahead of the
   * execve lines that ask for them, which the run cannot write (its model asks after the line is
   * recorded), or a replay that waits for them. The second reading is small beside the replay: on a
   * 66 MB recording of 600,160 lines ({@code dd bs=1 count=300000}) it took 0.19–0.58 s of the
   * 26–32 s that {@code analyze --format jsonl} took (2 cores shared with other work).
   */
  private static List<JsonNode> elfObjects(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      for (String l = in.readLine(); l != null; l = in.readLine()) {
        if (!l.startsWith(ELF_PREFIX)) {
          continue;
        }
        JsonNode o = elfObject(l);
        if (o != null) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** One elf object's line, or null when it is damaged (counted where the replay reaches it). */
  private static JsonNode elfObject(String line) {
    try {
      JsonNode o =
          Json.MAPPER.readTree(
              new String(line.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
      return o != null && o.isObject() && wholeElf(o) ? o : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Whether an elf object names what it answers (the elf stage checks the headers it holds). */
  private static boolean wholeElf(JsonNode o) {
    return o.path("kind").isTextual() && o.path("path").isTextual();
  }

  /** The header, or null when it was damaged. */
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

  /** How many lines of the recording were damaged and skipped so far. */
  public int damaged() {
    return damaged;
  }

  /**
   * One sentence per problem found so far, each naming the file (and line): damaged lines skipped,
   * log lines out of order, an end that came early. Empty for an intact recording read to its end.
   * Complete once {@link #next} has returned null.
   */
  public List<String> notices() {
    List<String> out = new ArrayList<>();
    if (damaged == 1) {
      out.add(
          file
              + ":"
              + firstDamagedLine
              + ": damaged recording line skipped ("
              + firstDamage
              + ")"
              + lost());
    } else if (damaged > 1) {
      out.add(
          file
              + ": "
              + damaged
              + " damaged recording lines skipped (first: line "
              + firstDamagedLine
              + ", "
              + firstDamage
              + ")"
              + lost());
    }
    if (outOfOrder != null) {
      out.add(
          file
              + ":"
              + firstOutOfOrder
              + ": "
              + outOfOrder
              + "; the replay numbers the log lines in the order they are stored");
    }
    if (cutOff) {
      out.add(
          file
              + ":"
              + in.lineNumber()
              + ": the recording ends early: its last line is cut off;"
              + " replayed the "
              + logLines
              + " log lines before it");
    } else if (in.atEnd() && !ended) {
      out.add(
          file
              + ": the recording ends early: it has no end record (memtrace was stopped while"
              + " recording); replayed the "
              + logLines
              + " log lines it holds");
    } else if (ended && interrupted && logLines == 0 && damaged == 0) {
      // stopped between opening the recording and strace's first line: intact, and empty
      out.add(
          file
              + ": the run was stopped (memtrace exited with "
              + exitStatus
              + ") before strace logged a line: the recording holds no call to replay");
    } else if (ended && endLines != null && endLines != lastLog) {
      out.add(
          file
              + ": the recording's end record counts "
              + endLines
              + " log lines; the last one"
              + " read is line "
              + lastLog);
    }
    return out;
  }

  private String lost() {
    return lostLogLines == 0
        ? ""
        : "; "
            + lostLogLines
            + " lost log line(s) are replayed as empty lines to keep the numbering";
  }

  @Override
  public LiveItem peekReady() throws IOException {
    if (ready.isEmpty()) {
      read();
    }
    return ready.peek();
  }

  @Override
  public LiveItem next() throws IOException {
    if (ready.isEmpty()) {
      read();
    }
    return ready.poll();
  }

  private void readHeader() throws IOException {
    String first = in.next();
    if (first == null) {
      throw new IOException(file + ": empty recording");
    }
    JsonNode h = object(first);
    if (h == null) {
      if (in.atEnd()) {
        cutOff = true;
      } else {
        damage("header: " + (in.malformed() ? "not UTF-8 text" : "not a JSON object"));
      }
      return;
    }
    if (!RecordingHeader.FORMAT.equals(h.path("format").asText())) {
      damage("header: no format " + RecordingHeader.FORMAT);
      return;
    }
    JsonNode v = h.path("version");
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      damage("header: no format version");
      return;
    }
    if (v.asInt() != RecordingHeader.VERSION) {
      throw new IOException(
          file
              + ": recording format version "
              + shown(v.toString(), 20)
              + "; this memtrace reads version "
              + RecordingHeader.VERSION);
    }
    try {
      header = header(h);
    } catch (Damage d) {
      damage("header: " + d.getMessage());
    }
  }

  /** Reads lines until an item is ready or the recording ends. */
  private void read() throws IOException {
    for (String l = in.next(); l != null; l = in.next()) {
      if (l.isEmpty() && !in.malformed()) {
        continue;
      }
      JsonNode o = object(l);
      if (o == null) {
        if (in.atEnd()) {
          cutOff = true; // memtrace was killed while writing its last object: keep the rest
          return;
        }
        damage(in.malformed() ? "not UTF-8 text" : "not a JSON object");
        continue;
      }
      try {
        switch (o.path("type").asText()) {
          case "log" -> {
            log(new LiveItem.LogLine(number(o, "line", 1), logText(o)));
            return;
          }
          case "snapshot" -> {
            ready.add(snapshot(o));
            return;
          }
          case "end" -> end(o);
          case "elf" -> {
            if (!wholeElf(o)) {
              throw new Damage("an elf object without the path it answers for");
            }
          }
          case "header" -> throw new Damage("a second header");
          default ->
              throw new Damage("unknown object type " + shown(o.path("type").toString(), 40));
        }
      } catch (Damage d) {
        damage(d.getMessage());
      }
    }
  }

  /** Queues a log line, after empty lines standing for log lines lost to damage just before it. */
  private void log(LiveItem.LogLine l) {
    int gap = l.line() - lastLog - 1;
    if (gap > 0 && gap <= damagedSinceLog) {
      for (int k = 1; k <= gap; k++) {
        ready.add(new LiveItem.LogLine(lastLog + k, ""));
      }
      lostLogLines += gap;
    } else if (gap != 0 && outOfOrder == null) {
      firstOutOfOrder = in.lineNumber();
      outOfOrder = "log line " + l.line() + " comes after log line " + lastLog;
    }
    damagedSinceLog = 0;
    lastLog = l.line();
    logLines++;
    ready.add(l);
  }

  private void end(JsonNode o) throws Damage {
    exitStatus = number(o, "exitStatus", Integer.MIN_VALUE);
    JsonNode i = o.path("interrupted");
    if (!i.isBoolean()) {
      throw new Damage("an end record without 'interrupted'");
    }
    interrupted = i.asBoolean();
    JsonNode lines = o.path("lines");
    endLines = lines.canConvertToInt() && lines.isIntegralNumber() ? lines.asInt() : null;
    ended = true;
  }

  private void damage(String what) {
    if (damaged++ == 0) {
      firstDamagedLine = in.lineNumber();
      firstDamage = what;
    }
    damagedSinceLog++;
  }

  /** The line as one JSON object, or null when it is not one. */
  private JsonNode object(String line) {
    if (in.malformed()) {
      return null;
    }
    try {
      JsonNode n = Json.MAPPER.readTree(line);
      return n != null && n.isObject() ? n : null;
    } catch (IOException | RuntimeException e) {
      return null; // Jackson's own words name its internals: the caller says what was wrong
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** A recorded object that is not as this format writes it; the line is skipped. */
  private static final class Damage extends Exception {
    Damage(String message) {
      super(message, null, false, false);
    }
  }

  private static String logText(JsonNode o) throws Damage {
    JsonNode t = o.path("text");
    if (!t.isTextual()) {
      throw new Damage("a log object without text");
    }
    String s = t.asText();
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      // log lines are recorded byte for byte (ISO-8859-1) and one to an object
      if (c > 0xff || c == '\n' || c == '\r') {
        throw new Damage("a log text that no log line holds");
      }
    }
    return s;
  }

  private static int number(JsonNode o, String field, int min) throws Damage {
    JsonNode n = o.path(field);
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min) {
      throw new Damage("'" + field + "' is not a number in range");
    }
    return n.asInt();
  }

  private static long longNumber(JsonNode o, String field) throws Damage {
    JsonNode n = o.path(field);
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new Damage("'" + field + "' is not a number in range");
    }
    return n.asLong();
  }

  private static MapsSnapshot snapshot(JsonNode o) throws Damage {
    JsonNode maps = o.path("maps");
    if (!maps.isNull() && !maps.isTextual()) {
      throw new Damage("a snapshot without maps text");
    }
    MapsSnapshot.Kind kind = null;
    for (MapsSnapshot.Kind k : MapsSnapshot.Kind.values()) {
      if (k.label.equals(o.path("kind").asText())) {
        kind = k;
      }
    }
    if (kind == null) {
      throw new Damage("unknown snapshot kind " + shown(o.path("kind").toString(), 40));
    }
    return new MapsSnapshot(
        number(o, "line", 0),
        number(o, "pid", 0),
        kind,
        maps.isNull() ? null : maps.asText(),
        number(o, "threads", 0),
        longNumber(o, "micros"),
        number(o, "delayMicros", 0),
        tasks(o.path("tasks")),
        o.path("exe").isTextual() ? o.path("exe").asText() : null);
  }

  /** The tids of an attach snapshot; a recording without them (or damaged there) lists none. */
  private static List<Integer> tasks(JsonNode a) {
    List<Integer> tids = new ArrayList<>();
    for (JsonNode t : a) {
      if (t.canConvertToInt()) {
        tids.add(t.intValue());
      }
    }
    return tids;
  }

  private static RecordingHeader header(JsonNode h) throws Damage {
    JsonNode strace = h.path("strace");
    JsonNode pid = h.path("pid");
    if (!pid.isNull()
        && !pid.isMissingNode()
        && !(pid.isIntegralNumber() && pid.canConvertToInt())) {
      throw new Damage("'pid' is not a number in range");
    }
    return new RecordingHeader(
        h.path("version").asInt(),
        strings(h.path("command")),
        pid.isNull() || pid.isMissingNode() ? null : pid.asInt(),
        strings(strace.path("argv")),
        new Versions(text(strace.path("version")), text(h.path("kernel")), text(h.path("glibc"))),
        text(h.path("started")),
        h.path("snapshots").asBoolean(),
        h.path("delayMicros").asInt());
  }

  /**
   * A recorded value as a message may quote it: printable ASCII, at most {@code max} characters.
   */
  private static String shown(String s, int max) {
    StringBuilder b = new StringBuilder();
    for (int k = 0; k < s.length() && b.length() < max; k++) {
      char c = s.charAt(k);
      if (c >= 0x20 && c < 0x7f) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04x", (int) c));
      }
    }
    return b.length() < max ? b.toString() : b + "...";
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
