package dev.memtrace.render.perfetto;

import dev.memtrace.model.Region;
import dev.memtrace.timeline.RegionClass;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Perfetto document needs of each event, kept in a temporary file until the timeline is
 * complete: the document's timestamps count from the earliest time in the log, and the process and
 * space an event belongs to are only final once the model has seen every clone. Memory then stays
 * flat whatever the length of the log. Regions are written by value (they compare by value); the
 * strings read back are shared, so the regions the renderer keeps do not each hold a copy of their
 * file's name.
 */
final class EventSpool implements AutoCloseable {

  /** One event as read back; the same object is refilled for each. */
  static final class Entry {
    int task;

    /** The id of the process handle ({@link PerfettoRenderer}), or -1 when the event has none. */
    int process;

    /** The id of the space handle, or -1 for an event the model did not see. */
    int space;

    double raw;
    double dur;
    boolean syscall;
    String name;
    String cat;

    /** The slice's {@code args} object, as JSON in UTF-8. */
    byte[] args = new byte[256];

    int argsLength;

    /** The event's own changes: class label, before, after (before or after may be null). */
    final List<RegionClass> classes = new ArrayList<>(); // null: not classed

    final List<Region> before = new ArrayList<>();
    final List<Region> after = new ArrayList<>();

    /**
     * What a snapshot taught or the ELF headers laid out just before the event: the class the
     * explain stage gave (null: none), before and after regions.
     */
    final List<RegionClass> learntClasses = new ArrayList<>();

    final List<Region> learntBefore = new ArrayList<>();

    final List<Region> learntAfter = new ArrayList<>();
  }

  private final Path file;
  private final DataOutputStream out;
  private DataInputStream in;
  private final Map<String, String> shared = new HashMap<>();

  /** The UTF-8 bytes of the string being read back. */
  private byte[] bytes = new byte[256];

  EventSpool() throws IOException {
    file = Files.createTempFile("memtrace-perfetto-", ".spool");
    file.toFile().deleteOnExit();
    out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  DataOutputStream out() {
    return out;
  }

  static void writeString(DataOutputStream out, String s) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  static void writeRegion(DataOutputStream out, Region r) throws IOException {
    out.writeBoolean(r != null);
    if (r == null) {
      return;
    }
    out.writeLong(r.start());
    out.writeLong(r.end());
    writeString(out, r.perms());
    out.writeLong(r.offset());
    writeString(out, r.dev());
    out.writeLong(r.inode());
    writeString(out, r.path());
    out.writeInt(r.originLine());
    out.writeByte(r.learnt() == null ? -1 : r.learnt().ordinal());
  }

  /** Ends writing; {@link #read} then gives the events back in order. */
  void rewind() throws IOException {
    out.close();
    in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** Fills {@code e} with the next event; false at the end. */
  boolean read(Entry e) throws IOException {
    try {
      e.task = in.readInt();
    } catch (EOFException end) {
      return false;
    }
    e.process = in.readInt();
    e.space = in.readInt();
    e.raw = in.readDouble();
    e.dur = in.readDouble();
    e.syscall = in.readBoolean();
    e.name = readString();
    e.cat = readString();
    e.argsLength = in.readInt();
    if (e.args.length < e.argsLength) {
      e.args = new byte[Math.max(e.argsLength, e.args.length * 2)];
    }
    in.readFully(e.args, 0, e.argsLength);
    e.classes.clear();
    e.before.clear();
    e.after.clear();
    for (int n = in.readInt(); n > 0; n--) {
      int cls = in.readByte();
      e.classes.add(cls < 0 ? null : RegionClass.values()[cls]);
      e.before.add(readRegion());
      e.after.add(readRegion());
    }
    e.learntClasses.clear();
    e.learntBefore.clear();
    e.learntAfter.clear();
    for (int n = in.readInt(); n > 0; n--) {
      int cls = in.readByte();
      e.learntClasses.add(cls < 0 ? null : RegionClass.values()[cls]);
      e.learntBefore.add(readRegion());
      e.learntAfter.add(readRegion());
    }
    return true;
  }

  private String readString() throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    if (bytes.length < n) {
      bytes = new byte[Math.max(n, bytes.length * 2)];
    }
    in.readFully(bytes, 0, n);
    String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
    String known = shared.putIfAbsent(s, s);
    return known != null ? known : s;
  }

  private Region readRegion() throws IOException {
    if (!in.readBoolean()) {
      return null;
    }
    long start = in.readLong();
    long end = in.readLong();
    String perms = readString();
    long offset = in.readLong();
    String dev = readString();
    long inode = in.readLong();
    String path = readString();
    int originLine = in.readInt();
    int learnt = in.readByte();
    return new Region(
        start,
        end,
        perms,
        offset,
        dev,
        inode,
        path,
        originLine,
        learnt < 0 ? null : Region.Learnt.values()[learnt]);
  }

  @Override
  public void close() throws IOException {
    try {
      out.close();
      if (in != null) {
        in.close();
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
